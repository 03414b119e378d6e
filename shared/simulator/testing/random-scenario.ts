// Test support only: random policies, inventories and probes for the property and
// differential tests. Pure TypeScript, so both shared/ and electron/ tests can use it.
import fc from 'fast-check';
import type { Inventory, Workload } from '../../inventory/model';
import type { Group, Policy, Service } from '../../policy/model';
import type { Party } from '../../policy/reference-evaluator';
import type { PacketProtocol } from '../packet';
import type { PathEnd } from '../path';

/** One end of a probe, as the simulator (address, host) and the reference evaluator (party) see it. */
export interface ProbeEnd extends PathEnd {
  party: Party;
}

export interface Probe {
  from: ProbeEnd;
  to: ProbeEnd;
  family: 4 | 6;
  protocol: PacketProtocol;
  dstPort?: number;
  icmpType?: number;
}

export interface Scenario {
  policy: Policy;
  inventory: Inventory;
  probes: Probe[];
}

export interface ScenarioOptions {
  /** Outside address blocks groups may hold; the default mixes narrow, wide and overlapping ones. */
  cidrs?: readonly string[];
  probes?: { min: number; max: number };
}

const SELECTORS = ['tier=web', 'tier=app', 'tier=db', 'tier in (web,app)', 'env=prod', 'env!=prod', 'team', '!team', 'tier=db,env=prod', 'team=red'];
const DEFAULT_CIDRS = ['203.0.113.0/24', '203.0.113.128/25', '198.51.100.0/24', '10.0.0.0/16', '0.0.0.0/0', '2001:db8::/64', 'fd00::/120'];
const OUTSIDE = ['203.0.113.5', '203.0.113.200', '198.51.100.77', '192.0.2.1', '10.0.200.9', '2001:db8::99', '2001:db9::1', 'fd00::ff'];
const ICMP_TYPES = [0, 8, 128, 129, 133, 134, 135, 136, 137];

const port = fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 8000, max: 8100 }), fc.integer({ min: 65500, max: 65535 }), fc.integer({ min: 1, max: 65535 }));

const service: fc.Arbitrary<Service> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const), ports: fc.tuple(port, port).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) })) }) },
  { weight: 3, arbitrary: fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const), ports: port.map((p) => ({ from: p, to: p })) }) },
  { weight: 1, arbitrary: fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const, 'icmp' as const) }) },
  { weight: 1, arbitrary: fc.constant({ protocol: 'any' as const }) },
);

/** Random scenarios: 2-5 groups with overlapping selectors, 2-8 workloads on 1-4 hosts, random edges, probes. */
export function scenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const cidrs = options.cidrs ?? DEFAULT_CIDRS;
  const hostCount = fc.integer({ min: 1, max: 4 });
  return fc.tuple(hostCount, fc.boolean(), fc.integer({ min: 2, max: 8 })).chain(([hosts, ipv6, count]) =>
    fc.tuple(workloadsArbitrary(hosts, ipv6, count), groupsArbitrary(cidrs), fc.boolean(), fc.integer({ min: 0, max: 6 })).chain(([workloads, groups, allowWithin, edgeCount]) =>
      fc
        .tuple(edgesArbitrary(groups, edgeCount), fc.constantFrom<Policy['defaults']['withinGroup']>('allow', 'allow', 'drop'))
        .chain(([edges, within]) => {
          const policy: Policy = { apiVersion: 'microseg.dev/v1', name: 'random', revision: 1, defaults: { withinGroup: allowWithin ? 'allow' : within, betweenGroups: 'drop' }, groups, edges };
          const inventory: Inventory = { readAt: 'x', workloads };
          return probesArbitrary(policy, inventory, options.probes ?? { min: 20, max: 40 }).map((probes) => ({ policy, inventory, probes }));
        }),
    ),
  );
}

function workloadsArbitrary(hosts: number, ipv6: boolean, count: number): fc.Arbitrary<Workload[]> {
  const labels = fc.record(
    { tier: fc.constantFrom('web', 'app', 'db', 'ops'), env: fc.constantFrom('prod', 'dev'), team: fc.constantFrom('red', 'blue') },
    { requiredKeys: [] },
  );
  const one = fc.record({ labels, host: fc.integer({ min: 1, max: hosts }), family: fc.constantFrom<'4' | '6' | '46'>('4', '4', '46', '6') });
  return fc.array(one, { minLength: count, maxLength: count }).map((list) =>
    list.map((w, i) => {
      const family = ipv6 ? w.family : '4';
      const addresses = [...(family.includes('4') ? [`10.0.${i}.${i + 10}`] : []), ...(family.includes('6') ? [`fd00::${(i + 1).toString(16)}`] : [])];
      return { id: `static:t/w${i}`, name: `w${i}`, host: `h${w.host}`, addresses, labels: w.labels, origin: { kind: 'static' as const, source: 't' } };
    }),
  );
}

function groupsArbitrary(cidrs: readonly string[]): fc.Arbitrary<Group[]> {
  const labelled = fc.record({ labels: fc.constantFrom(...SELECTORS), host: fc.option(fc.constantFrom('h1', 'h2'), { nil: undefined, freq: 5 }) });
  const outside = fc.uniqueArray(fc.constantFrom(...cidrs), { minLength: 1, maxLength: 2 }).map((c) => ({ cidrs: c }));
  const selector = cidrs.length > 0 ? fc.oneof({ weight: 4, arbitrary: labelled }, { weight: 1, arbitrary: outside }) : labelled;
  return fc.array(fc.record({ selector, isolated: fc.boolean() }), { minLength: 2, maxLength: 5 }).map((list) =>
    list.map(({ selector: s, isolated }, i) => ({ name: `g${i}`, selector: Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)), isolated })),
  );
}

function edgesArbitrary(groups: readonly Group[], count: number): fc.Arbitrary<Policy['edges']> {
  const names = groups.map((g) => g.name);
  const edge = fc.record({ from: fc.constantFrom(...names), to: fc.constantFrom(...names), services: fc.array(service, { minLength: 1, maxLength: 3 }) });
  return fc.array(edge, { minLength: count, maxLength: count }).map((list) => list.map((e, i) => ({ id: `e${i}`, ...e, action: 'allow' as const })));
}

/** Mostly workload to workload; some outside addresses; ports at and around the ends of the policy's ranges. */
function probesArbitrary(policy: Policy, inventory: Inventory, size: { min: number; max: number }): fc.Arbitrary<Probe[]> {
  const edgePorts = policy.edges.flatMap((e) => e.services.flatMap((s) => (s.ports ? [s.ports.from - 1, s.ports.from, s.ports.to, s.ports.to + 1] : [])));
  const ports = [...new Set(edgePorts.filter((p) => p >= 1 && p <= 65535))];
  const probePort = ports.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ports) }, { weight: 1, arbitrary: port }) : port;
  const workloads = inventory.workloads;
  const endChoice = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: workloads.length - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(...OUTSIDE) });
  const probe = fc.record({
    from: endChoice,
    to: endChoice,
    family: fc.constantFrom<4 | 6>(4, 4, 6),
    protocol: fc.constantFrom<PacketProtocol>('tcp', 'tcp', 'udp', 'sctp', 'icmp', 'other'),
    dstPort: probePort,
    icmpType: fc.constantFrom(...ICMP_TYPES),
  });
  return fc.array(probe, { minLength: size.min, maxLength: size.max }).map((raw) =>
    raw.flatMap((p) => {
      const from = probeEnd(workloads, p.from, p.family);
      const to = probeEnd(workloads, p.to, p.family);
      if (!from || !to) return [];
      const ported = p.protocol === 'tcp' || p.protocol === 'udp' || p.protocol === 'sctp';
      return [{ from, to, family: p.family, protocol: p.protocol, ...(ported ? { dstPort: p.dstPort } : {}), ...(p.protocol === 'icmp' ? { icmpType: p.icmpType } : {}) }];
    }),
  );
}

function probeEnd(workloads: readonly Workload[], choice: number | string, family: 4 | 6): ProbeEnd | null {
  if (typeof choice === 'string') return choice.includes(':') === (family === 6) ? { address: choice, party: { address: choice } } : null;
  const w = workloads[choice]!;
  const address = w.addresses.find((a) => a.includes(':') === (family === 6));
  return address ? { address, host: w.host, party: { workload: w.id } } : null;
}
