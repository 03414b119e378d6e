import { describe, expect, it } from 'vitest';
import type { Workload } from '../inventory/model';
import { addressBits } from '../simulator/address-bits';
import { resolveMembership } from '../policy/membership';
import { endpointLabel, matrixEndpoints, type MatrixEndpoint } from './endpoints';
import { NamedAddresses } from './named-addresses';

const workload = (name: string, addresses: string[]): Workload => ({ id: `s/${name}`, name, host: 'h1', addresses, labels: {}, origin: { kind: 'static', source: 's' } });

function endpoint(w: Workload, text: string): MatrixEndpoint {
  return { text, address: addressBits(text)!, workload: w, host: w.host, groups: [] };
}

describe('endpointLabel', () => {
  it('names an endpoint by its workload only where `trace` reads the name as that very address', () => {
    const single = workload('solo', ['10.0.0.1']);
    const twoV4 = workload('multi', ['10.0.0.2', '10.0.0.3']);
    const dual = workload('dual', ['10.0.0.4', 'fd00::4']);
    const v6 = workload('six', ['fd00::5']);
    expect(endpointLabel(endpoint(single, '10.0.0.1'))).toBe('solo');
    expect(endpointLabel(endpoint(twoV4, '10.0.0.3'))).toBe('10.0.0.3');
    expect(endpointLabel(endpoint(dual, '10.0.0.4'))).toBe('dual');
    // Between two dual-stack workloads `trace` takes IPv4: the name would not be this address.
    expect(endpointLabel(endpoint(dual, 'fd00::4'))).toBe('fd00::4');
    expect(endpointLabel(endpoint(v6, 'fd00::5'))).toBe('six');
  });

  it('names a workload whose name is an IP address by its own address, since `trace` reads that name as the address', () => {
    // Docker, Kubernetes and inventory files allow such names; `trace --to 10.0.0.9` reaches whoever has 10.0.0.9.
    expect(endpointLabel(endpoint(workload('10.0.0.9', ['10.0.0.1']), '10.0.0.1'))).toBe('10.0.0.1');
    expect(endpointLabel(endpoint(workload('fd00::9', ['fd00::1']), 'fd00::1'))).toBe('fd00::1');
  });
});

describe('matrixEndpoints', () => {
  const standIns = (cidrs: string[], workloads: Workload[] = []): string[] => {
    const groups = [{ name: 'outside', selector: { cidrs } }];
    return matrixEndpoints(workloads, resolveMembership({ groups }, workloads), new NamedAddresses()).filter((e) => !e.workload).map((e) => e.text);
  };

  it('stands for a block by a host address a person would trace: in public space, not the network address', () => {
    // 0.0.0.0 and :: read as "any" or "unspecified", ::1 as loopback: a cell's example starts with one of these.
    expect(standIns(['0.0.0.0/0', '::/0'])).toEqual(['1.0.0.1', '2000::1']);
    expect(standIns(['203.0.113.0/24'])).toEqual(['203.0.113.1']);
    // One or two addresses have no network address to skip.
    expect(standIns(['203.0.113.8/31'])).toEqual(['203.0.113.8']);
    expect(standIns(['203.0.113.9/32'])).toEqual(['203.0.113.9']);
    // A workload on the first host address leaves the next one.
    expect(standIns(['203.0.113.0/24'], [workload('gw', ['203.0.113.1'])])).toEqual(['203.0.113.2']);
  });
});
