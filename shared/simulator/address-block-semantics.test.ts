import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { formatFlow } from '../compiler/flow';
import { parseInventoryFile } from '../inventory/static-file';
import type { Edge, EdgeAction, Group, Policy } from '../policy/model';
import { parsePolicyFile } from '../policy/policy-file';
import { mayConnect, type Party } from '../policy/reference-evaluator';
import { parseFlowText } from './flow-parser';
import { loadHostTables, simulatePath, type PathEnd } from './path';

// Corner cases of address blocks and infrastructure rules, where the compiled tables once
// disagreed with the semantics (found by the property test, confirmed on Open vSwitch 3.1 with
// ofproto/trace). Each case asks both the tables (through the simulator) and the reference.

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const shop = parsePolicyFile(read('../../examples/three-tier-shop/policy.yaml'), 'policy.yaml').policy!;
const inventory = parseInventoryFile(
  read('../../examples/three-tier-shop/inventory.yaml'),
  'inventory.yaml',
  'x',
).inventory!;

type End = PathEnd & { party: Party };
const workload = (name: string): End => {
  const w = inventory.workloads.find((x) => x.name === name)!;
  return { address: w.addresses[0]!, host: w.host, party: { workload: w.id, address: w.addresses[0]! } };
};
const outside = (address: string): End => ({ address, party: { address } });
const tcp = (id: string, from: string, to: string, port: number, action: EdgeAction = 'allow'): Edge => ({
  id,
  from,
  to,
  services: [{ protocol: 'tcp', ports: { from: port, to: port } }],
  action,
});
const extend = (groups: Group[], edges: Edge[], rest: Partial<Policy> = {}): Policy => ({
  ...shop,
  ...rest,
  groups: [...shop.groups, ...groups],
  edges: [...shop.edges, ...edges],
});

/** Both answers for one TCP connection: what the compiled tables do and what the policy means. */
function both(policy: Policy, from: End, to: End, port: number): { tables: boolean; reference: boolean } {
  const path = simulatePath(
    loadHostTables(compilePolicy(policy, inventory).hosts),
    from,
    to,
    { protocol: 'tcp', srcPort: 40000, dstPort: port },
    'new',
  );
  const answer = mayConnect(policy, inventory, {
    from: from.party,
    to: to.party,
    protocol: 'tcp',
    port,
    sourcePort: 40000,
    family: 4,
  });
  return { tables: path.verdict === 'permitted', reference: answer.allowed };
}

describe('address blocks and infrastructure: tables agree with the semantics', () => {
  // A block holds every address in it, a workload's too, on both sides of an edge.
  const internet = extend(
    [{ name: 'internet', selector: { cidrs: ['0.0.0.0/0'] } }],
    [tcp('app-to-internet', 'app', 'internet', 443), tcp('internet-to-web', 'internet', 'web', 443)],
  );

  it('a block covering workloads counts them: app may reach web on 443 through the internet edges', () => {
    expect(both(internet, workload('app-1'), workload('web-1'), 443)).toEqual({ tables: true, reference: true });
  });

  it('outside parties get what the edges say', () => {
    expect(both(internet, outside('203.0.113.9'), workload('web-1'), 443)).toEqual({ tables: true, reference: true });
    expect(both(internet, outside('203.0.113.9'), workload('app-1'), 443)).toEqual({ tables: false, reference: false });
  });

  it('carving the private ranges out keeps workloads out of the block', () => {
    const carved = extend(
      [{ name: 'internet', selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] } }],
      [tcp('app-to-internet', 'app', 'internet', 443), tcp('internet-to-web', 'internet', 'web', 443)],
    );
    expect(both(carved, workload('app-1'), workload('web-1'), 443)).toEqual({ tables: false, reference: false });
  });

  it('a deny edge to a block covering workloads outranks an allow edge to them', () => {
    const corp = extend([{ name: 'corp', selector: { cidrs: ['10.20.0.0/16'] } }], [tcp('no-web-to-corp', 'web', 'corp', 8080, 'deny')]);
    expect(both(corp, workload('web-1'), workload('app-1'), 8080)).toEqual({ tables: false, reference: false });
  });

  it('only workloads may query a resolver that is a workload; outside parties meet the edges', () => {
    const dns = extend(
      [{ name: 'internet', selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] } }],
      [tcp('no-internet', 'internet', 'app', 53, 'deny')],
      { infrastructure: { dhcp: false, dnsResolvers: ['10.20.2.21'] } },
    );
    expect(both(dns, outside('203.0.113.9'), workload('app-1'), 53)).toEqual({ tables: false, reference: false });
    expect(both(dns, workload('web-1'), workload('app-1'), 53)).toEqual({ tables: true, reference: true });
  });

  // 198.51.100.9/24 and 198.51.100.0/24 are one block; the compiler prints the canonical form
  // once, so neither flow replaces the other in the switch.
  const partners = extend(
    [
      { name: 'partner-a', selector: { cidrs: ['198.51.100.0/24'] } },
      { name: 'partner-b', selector: { cidrs: ['198.51.100.9/24'] } },
    ],
    [tcp('partner-a-web', 'partner-a', 'web', 443), tcp('partner-b-web', 'partner-b', 'web', 8443)],
  );

  it('a block written with host bits is the same flow as the canonical block, printed once', () => {
    const text = compilePolicy(partners, inventory)
      .hosts.find((h) => h.host === 'host-a')!
      .flows.map(formatFlow)
      .join('\n');
    expect(parseFlowText(text).diagnostics).toEqual([]);
    expect(both(partners, outside('198.51.100.7'), workload('web-1'), 443)).toEqual({ tables: true, reference: true });
    expect(both(partners, outside('198.51.100.7'), workload('web-1'), 8443)).toEqual({ tables: true, reference: true });
  });

  it('the within-group rule holds selected workloads only, never the addresses of a block', () => {
    const groups = shop.groups.map((g) => (g.name === 'web' ? { ...g, selector: { labels: 'tier=web', cidrs: ['198.51.100.0/24'] } } : g));
    expect(both({ ...shop, groups }, outside('198.51.100.7'), workload('web-1'), 80)).toEqual({ tables: false, reference: false });
  });
});
