import { describe, expect, it } from 'vitest';
import type { Workload } from '../inventory/model';
import { addressBits } from '../simulator/address-bits';
import { endpointLabel, type MatrixEndpoint } from './endpoints';

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
});
