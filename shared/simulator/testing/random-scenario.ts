// Test support only: random policies, inventories and probes for the property and
// differential tests. Pure TypeScript, so both shared/ and electron/ tests can use it.
import fc from 'fast-check';
import type { Inventory, Workload } from '../../inventory/model';
import { resolveMembership } from '../../policy/membership';
import type { EdgeAction, ExcludeSelector, Group, Policy, Selector, Service } from '../../policy/model';
import type { Party } from '../../policy/reference-evaluator';
import type { PacketProtocol } from '../packet';
import type { PathEnd, PathProbe } from '../path';

/** One end of a probe, as the simulator (address, host) and the reference evaluator (party) see it. */
export interface ProbeEnd extends PathEnd {
  party: Party;
}

export interface Probe {
  from: ProbeEnd;
  to: ProbeEnd;
  family: 4 | 6;
  protocol: PacketProtocol;
  srcPort: number;
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
}

/** A probe's packet fields, as simulatePath and the verdict engine take them. */
export function pathProbeOf(p: Probe): PathProbe {
  return {
    protocol: p.protocol,
    srcPort: p.srcPort,
    ...(p.dstPort !== undefined ? { dstPort: p.dstPort } : {}),
    ...(p.icmpType !== undefined ? { icmpType: p.icmpType } : {}),
    ...(p.icmpCode !== undefined ? { icmpCode: p.icmpCode } : {}),
  };
}

export interface Scenario {
  policy: Policy;
  inventory: Inventory;
  probes: Probe[];
}

/** The outside part of a group's selector. */
export type OutsideSelector = Pick<Selector, 'cidrs' | 'except'>;

export interface ScenarioOptions {
  /** Outside parties groups may hold; ALL_OUTSIDE by default. */
  outside?: readonly OutsideSelector[];
  probes?: { min: number; max: number };
  /**
   * Give a third of the IPv4 workloads a second address, outside the blocks that hold their
   * first. Off by default: tests that try every pair of addresses grow with their square.
   */
  dualHomed?: boolean;
}

const SELECTORS = [
  'tier=web',
  'tier=app',
  'tier=db',
  'tier in (web,app)',
  'env=prod',
  'env!=prod',
  'team',
  '!team',
  'tier=db,env=prod',
  'team=red',
];

/** Blocks that hold no workload address (10.0.i.j, fd00::i), written in canonical form. */
const DISJOINT_OUTSIDE: readonly OutsideSelector[] = [
  { cidrs: ['203.0.113.0/24'] },
  { cidrs: ['203.0.113.128/25'] },
  { cidrs: ['198.51.100.0/24'], except: ['198.51.100.64/26'] },
  { cidrs: ['2001:db8::/64'] },
  { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] },
  { cidrs: ['0.0.0.0/0', '::/0'], except: ['10.0.0.0/8', 'fd00::/16'] },
];

/** Blocks that cover workload addresses or carry host bits: the corner cases of block membership. */
const OVERLAPPING_OUTSIDE: readonly OutsideSelector[] = [
  { cidrs: ['10.0.0.0/16'] },
  { cidrs: ['0.0.0.0/0'] },
  { cidrs: ['203.0.113.7/24'] },
  { cidrs: ['fd00::/120'] },
];

/** Every kind of block a group may hold; the default for random scenarios. */
export const ALL_OUTSIDE: readonly OutsideSelector[] = [...DISJOINT_OUTSIDE, ...OVERLAPPING_OUTSIDE];

const OUTSIDE = [
  '203.0.113.5',
  '203.0.113.200',
  '198.51.100.7',
  '198.51.100.70',
  '192.0.2.53',
  '10.0.200.9',
  '2001:db8::99',
  '2001:db9::1',
  'fd00::ff',
  'fd00::35',
];
/** Workload i's switch port, where it has one, is this prefix and i: one name per workload, and the differential test's bridges make them. */
export const SWITCH_PORT_PREFIX = 'p-w';
const RESOLVERS = ['192.0.2.53', 'fd00::35'];
const ICMP_TYPES = [0, 3, 7, 8, 9, 127, 128, 129, 130, 133, 134, 135, 136, 137, 138];
/** Codes around those the services name (0, 0-3, 4, 1). */
const ICMP_CODES = [0, 0, 1, 3, 4, 5];
const SPECIAL_PORTS = [53, 67, 68, 546, 547];

const port = fc.oneof(
  fc.integer({ min: 1, max: 1024 }),
  fc.integer({ min: 8000, max: 8100 }),
  fc.integer({ min: 65500, max: 65535 }),
  fc.integer({ min: 1, max: 65535 }),
);

/** Container ports workloads may declare: one name resolves to different numbers on different workloads. */
const DECLARED_PORTS = [
  { name: 'http', port: 80, protocol: 'tcp' as const },
  { name: 'http', port: 8080, protocol: 'tcp' as const },
  { name: 'dns', port: 53, protocol: 'udp' as const },
  { name: 'dns', port: 5353, protocol: 'udp' as const },
  { name: 'admin', port: 9000, protocol: 'tcp' as const },
  { name: 'admin', port: 9001, protocol: 'sctp' as const },
  { port: 7000, protocol: 'tcp' as const },
];
const NAMED_PORT_NUMBERS = [...new Set(DECLARED_PORTS.map((p) => p.port))];

const namedService: fc.Arbitrary<Service> = fc.record(
  {
    protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const),
    portName: fc.constantFrom('http', 'dns', 'admin'),
    ports: fc.constantFrom({ from: 1, to: 1024 }, { from: 8000, to: 9000 }),
  },
  { requiredKeys: ['protocol', 'portName'] },
);

const service: fc.Arbitrary<Service> = fc.oneof(
  { weight: 2, arbitrary: namedService },
  {
    weight: 6,
    arbitrary: fc.record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const),
      ports: fc.tuple(port, port).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) })),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const),
      ports: port.map((p) => ({ from: p, to: p })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const, 'icmp' as const),
    }),
  },
  {
    // ICMP types, read in each family: 8 and 0-8 IPv4's echo, 128-129 IPv6's, 128-137 with its neighbour discovery.
    weight: 1,
    arbitrary: fc.record({
      protocol: fc.constant('icmp' as const),
      ports: fc.constantFrom({ from: 8, to: 8 }, { from: 3, to: 3 }, { from: 0, to: 8 }, { from: 128, to: 129 }, { from: 128, to: 137 }, { from: 9, to: 127 }),
    }),
  },
  {
    // Codes of one type: 3/4 (IPv4's fragmentation needed), 8/0, 128/1 (no echo has code 1: a code the probes try).
    weight: 1,
    arbitrary: fc.constantFrom(
      { protocol: 'icmp' as const, ports: { from: 3, to: 3 }, icmpCodes: { from: 4, to: 4 } },
      { protocol: 'icmp' as const, ports: { from: 3, to: 3 }, icmpCodes: { from: 0, to: 3 } },
      { protocol: 'icmp' as const, ports: { from: 8, to: 8 }, icmpCodes: { from: 0, to: 0 } },
      { protocol: 'icmp' as const, ports: { from: 128, to: 128 }, icmpCodes: { from: 1, to: 1 } },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ protocol: 'any' as const }) },
);

/** Defaults; `redirect` sends to one of the honeypot specs (a workload's name or address). */
function defaultsArbitrary(honeypots: readonly string[]): fc.Arbitrary<Policy['defaults']> {
  return fc
    .record({
      withinGroup: fc.constantFrom<Policy['defaults']['withinGroup']>('allow', 'allow', 'allow', 'drop'),
      betweenGroups: fc.constantFrom<Policy['defaults']['betweenGroups']>(
        'drop',
        'drop',
        'drop',
        'drop',
        'reject',
        'monitor',
        'redirect',
      ),
      redirectTo: fc.constantFrom(...honeypots),
    })
    .map(({ redirectTo, ...d }) => (d.betweenGroups === 'redirect' ? { ...d, redirectTo } : d));
}

/**
 * Random scenarios: 2-5 groups with overlapping selectors (labels, namespaces by name, pattern
 * and labels, exclusions), 2-8 workloads on 1-4 hosts in 0-2 namespaces with named ports, random
 * edges (numeric and named services) and infrastructure, probes.
 */
export function scenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const outside = options.outside ?? ALL_OUTSIDE;
  return fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.integer({ min: 2, max: 8 }))
    .chain(([hosts, ipv6, count]) =>
      fc
        .tuple(workloadsArbitrary(hosts, ipv6, count, options.dualHomed ?? false), groupsArbitrary(outside), fc.integer({ min: 0, max: 6 }))
        .chain(([workloads, groups, edgeCount]) =>
          fc
            .tuple(
              edgesArbitrary(groups, edgeCount, honeypotSpecs(workloads)),
              infrastructureArbitrary(workloads),
              defaultsArbitrary(honeypotSpecs(workloads)),
            )
            .chain(([edges, infrastructure, policyDefaults]) => {
              const policy: Policy = {
                apiVersion: 'microseg.dev/v1',
                name: 'random',
                revision: 1,
                defaults: policyDefaults,
                infrastructure,
                groups,
                edges,
              };
              const inventory: Inventory = { readAt: 'x', workloads };
              return probesArbitrary(policy, inventory, options.probes ?? { min: 20, max: 40 }).map((probes) => ({
                policy,
                inventory,
                probes,
              }));
            }),
        ),
    );
}

function workloadsArbitrary(hosts: number, ipv6: boolean, count: number, dualHomed: boolean): fc.Arbitrary<Workload[]> {
  const labels = fc.record(
    {
      tier: fc.constantFrom('web', 'app', 'db', 'ops'),
      env: fc.constantFrom('prod', 'dev'),
      team: fc.constantFrom('red', 'blue'),
    },
    { requiredKeys: [] },
  );
  const one = fc.record({
    labels,
    host: fc.integer({ min: 1, max: hosts }),
    family: fc.constantFrom<'4' | '6' | '46'>('4', '4', '46', '6'),
    namespace: fc.constantFrom(undefined, 'shop', 'shop', 'ops'),
    ports: fc.subarray(DECLARED_PORTS),
    // Half the workloads sit behind a port the inventory names, so their hosts guard it.
    guarded: fc.boolean(),
    dualHomed: dualHomed ? fc.constantFrom(false, false, true) : fc.constant(false),
  });
  return fc.array(one, { minLength: count, maxLength: count }).map((list) =>
    list.map((w, i) => {
      const family = ipv6 ? w.family : '4';
      // A dual-homed workload's second IPv4 address lies outside the blocks that hold its first
      // (10.0.0.0/16): a group's block may then hold one address of a workload and not the other.
      const addresses = [
        ...(family.includes('4') ? [`10.0.${i}.${i + 10}`] : []),
        ...(family.includes('4') && w.dualHomed ? [`10.1.${i}.${i + 10}`] : []),
        ...(family.includes('6') ? [`fd00::${(i + 1).toString(16)}`] : []),
      ];
      return {
        id: `static:t/w${i}`,
        name: `w${i}`,
        host: `h${w.host}`,
        addresses,
        // Never the traced packets' own 02:00:00:00:00:02, so a MAC rewrite always shows in the datapath actions.
        mac: `02:00:00:00:01:${(i + 16).toString(16)}`,
        ...(w.guarded ? { switchPort: `${SWITCH_PORT_PREFIX}${i}` } : {}),
        labels: w.labels,
        ...(w.namespace ? { namespace: w.namespace, namespaceLabels: NAMESPACE_LABELS[w.namespace] } : {}),
        ...(w.ports.length > 0 ? { ports: w.ports } : {}),
        origin: { kind: 'static' as const, source: 't' },
      };
    }),
  );
}

const NAMESPACE_LABELS: Record<string, Record<string, string>> = {
  shop: { 'kubernetes.io/metadata.name': 'shop', env: 'prod' },
  ops: { 'kubernetes.io/metadata.name': 'ops', env: 'dev' },
};

/** Workload criteria besides labels and host: namespaces by name, pattern and labels. */
const NAMESPACE_CRITERIA: readonly ExcludeSelector[] = [
  { namespace: 'shop' },
  { namespace: '*' },
  { namespaceLabels: 'env=prod' },
  { namespaceLabels: '' },
  { namespaceLabels: 'env!=prod' },
];

function groupsArbitrary(outside: readonly OutsideSelector[]): fc.Arbitrary<Group[]> {
  const host = fc.oneof(
    { weight: 5, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('h1', 'h2') },
  );
  const labelled = fc
    .record({ labels: fc.constantFrom(...SELECTORS), host })
    .map((s): Selector => (s.host ? s : { labels: s.labels }));
  const namespaced = fc
    .record({ criteria: fc.constantFrom(...NAMESPACE_CRITERIA), labels: fc.option(fc.constantFrom(...SELECTORS), { nil: undefined }) })
    .map(({ criteria, labels }): Selector => ({ ...criteria, ...(labels ? { labels } : {}) }));
  const excluding: fc.Arbitrary<ExcludeSelector[] | undefined> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.oneof(
          fc.constantFrom(...SELECTORS).map((labels): ExcludeSelector => ({ labels })),
          fc.constantFrom(...NAMESPACE_CRITERIA),
        ),
        { minLength: 1, maxLength: 2 },
      ),
    },
  );
  const base =
    outside.length > 0
      ? fc.oneof(
          { weight: 4, arbitrary: labelled },
          { weight: 2, arbitrary: namespaced },
          { weight: 2, arbitrary: fc.constantFrom(...outside) },
        )
      : fc.oneof({ weight: 2, arbitrary: labelled }, { weight: 1, arbitrary: namespaced });
  const selector = fc
    .tuple(base, excluding)
    .map(([s, exclude]): Selector => (exclude ? { ...s, exclude } : s));
  return fc
    .array(fc.record({ selector, isolated: fc.boolean() }), { minLength: 2, maxLength: 5 })
    .map((list) => list.map((g, i) => ({ name: `g${i}`, selector: { ...g.selector }, isolated: g.isolated })));
}

/** Honeypots a redirect may name: the first two workloads, by name or by an address. */
function honeypotSpecs(workloads: readonly Workload[]): string[] {
  return workloads.slice(0, 2).flatMap((w) => [w.name, w.name, ...w.addresses]);
}

function edgesArbitrary(
  groups: readonly Group[],
  count: number,
  honeypots: readonly string[],
): fc.Arbitrary<Policy['edges']> {
  const names = groups.map((g) => g.name);
  const action = fc.constantFrom<EdgeAction>(
    'allow',
    'allow',
    'allow',
    'log',
    'deny',
    'reject',
    'redirect',
    'redirect',
  );
  const edge = fc.record({
    from: fc.constantFrom(...names),
    to: fc.constantFrom(...names),
    services: fc.array(service, { minLength: 1, maxLength: 3 }),
    action,
    redirectTo: fc.constantFrom(...honeypots),
  });
  return fc
    .array(edge, { minLength: count, maxLength: count })
    .map((list) =>
      list.map(({ redirectTo, ...e }, i) => ({
        id: `e${i}`,
        ...e,
        ...(e.action === 'redirect' ? { redirectTo } : {}),
      })),
    );
}

function infrastructureArbitrary(workloads: readonly Workload[]): fc.Arbitrary<Policy['infrastructure']> {
  const candidates = [...RESOLVERS, ...workloads.flatMap((w) => w.addresses)];
  const infrastructure = fc.record({
    dhcp: fc.boolean(),
    dnsResolvers: fc.uniqueArray(fc.constantFrom(...candidates), { maxLength: 2 }),
  });
  return fc.option(infrastructure, { nil: undefined });
}

/** Mostly workload to workload, half of them between an edge's ends; some outside addresses; ports near the ends of ranges. */
function probesArbitrary(
  policy: Policy,
  inventory: Inventory,
  size: { min: number; max: number },
): fc.Arbitrary<Probe[]> {
  const edgePorts = policy.edges.flatMap((e) =>
    e.services.flatMap((s) => (s.ports ? [s.ports.from - 1, s.ports.from, s.ports.to, s.ports.to + 1] : [])),
  );
  const ports = [...new Set([...edgePorts.filter((p) => p >= 1 && p <= 65535), ...SPECIAL_PORTS, ...NAMED_PORT_NUMBERS])];
  const probePort = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ports) }, { weight: 1, arbitrary: port });
  const workloads = inventory.workloads;
  const endChoice = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: workloads.length - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(...OUTSIDE) },
  );
  const membership = resolveMembership(policy, workloads);
  const index = new Map(workloads.map((w, i) => [w.id, i]));
  // Selected and block-covered workloads alike: exclusions and named ports act on both.
  const members = (group: string): Workload[] => {
    const m = membership.get(group);
    return m ? [...m.workloads, ...m.covered] : [];
  };
  const pairs = policy.edges.flatMap((e) =>
    members(e.from).flatMap((a) => members(e.to).map((b) => [index.get(a.id)!, index.get(b.id)!] as const)),
  );
  const ends =
    pairs.length > 0
      ? fc.oneof(fc.tuple(endChoice, endChoice), fc.constantFrom(...pairs))
      : fc.tuple(endChoice, endChoice);
  const generic = fc.record({
    ends,
    family: fc.constantFrom<4 | 6>(4, 4, 6),
    protocol: fc.constantFrom<PacketProtocol>('tcp', 'tcp', 'udp', 'udp', 'sctp', 'icmp', 'other'),
    srcPort: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 32768, max: 60999 }) },
      { weight: 1, arbitrary: fc.constantFrom(67, 68, 546, 547) },
    ),
    dstPort: probePort,
    icmpType: fc.constantFrom(...ICMP_TYPES),
    icmpCode: fc.constantFrom(...ICMP_CODES),
    // Which of an end's addresses of the family it sends from or is reached at.
    picks: fc.tuple(fc.nat(), fc.nat()),
  });
  // Between an edge's ends, on a port the destination declares under a name the edge uses:
  // where named ports resolve, or fail to (another protocol, a number outside the filter).
  const named = policy.edges.flatMap((e) => {
    const names = new Set(e.services.flatMap((x) => (x.portName ? [x.portName] : [])));
    return members(e.from).flatMap((a) =>
      members(e.to).flatMap((b) =>
        (b.ports ?? [])
          .filter((p) => p.name !== undefined && names.has(p.name))
          .map((p) => ({ ends: [index.get(a.id)!, index.get(b.id)!] as const, protocol: p.protocol, dstPort: p.port })),
      ),
    );
  });
  // Between an edge's ends, on ICMP types and codes at the edges of what it names and one past them.
  const icmpNamed = policy.edges.flatMap((e) => {
    const messages = e.services.flatMap((x) => (x.protocol === 'icmp' && x.ports ? icmpMessagesAround(x.ports, x.icmpCodes) : []));
    if (messages.length === 0) return [];
    return members(e.from).flatMap((a) => members(e.to).flatMap((b) => messages.map((m) => ({ ends: [index.get(a.id)!, index.get(b.id)!] as const, ...m }))));
  });
  const aimed = [
    ...(named.length > 0
      ? [fc.tuple(fc.constantFrom(...named), generic).map(([n, g]) => ({ ...g, ends: n.ends, protocol: n.protocol, dstPort: n.dstPort }))]
      : []),
    ...(icmpNamed.length > 0
      ? [fc.tuple(fc.constantFrom(...icmpNamed), generic).map(([n, g]) => ({ ...g, ends: n.ends, protocol: 'icmp' as const, icmpType: n.icmpType, icmpCode: n.icmpCode }))]
      : []),
  ];
  const probe = aimed.length > 0 ? fc.oneof({ weight: 3, arbitrary: generic }, ...aimed.map((arbitrary) => ({ weight: 1, arbitrary }))) : generic;
  return fc.array(probe, { minLength: size.min, maxLength: size.max }).map((raw) =>
    raw.flatMap((p) => {
      const from = probeEnd(workloads, p.ends[0], p.family, p.picks[0]);
      const to = probeEnd(workloads, p.ends[1], p.family, p.picks[1]);
      if (!from || !to) return [];
      const ported = p.protocol === 'tcp' || p.protocol === 'udp' || p.protocol === 'sctp';
      return [
        {
          from,
          to,
          family: p.family,
          protocol: p.protocol,
          srcPort: p.srcPort,
          ...(ported ? { dstPort: p.dstPort } : {}),
          ...(p.protocol === 'icmp' ? { icmpType: p.icmpType, icmpCode: p.icmpCode } : {}),
        },
      ];
    }),
  );
}

/** ICMP messages at the bounds of a service's types and codes, and one past each (within 0 to 255). */
function icmpMessagesAround(types: { from: number; to: number }, codes: { from: number; to: number } | undefined): { icmpType: number; icmpCode: number }[] {
  const around = ({ from, to }: { from: number; to: number }): number[] => [...new Set([from - 1, from, to, to + 1])].filter((n) => n >= 0 && n <= 255);
  return around(types).flatMap((icmpType) => (codes ? around(codes) : [0, 1]).map((icmpCode) => ({ icmpType, icmpCode })));
}

function probeEnd(workloads: readonly Workload[], choice: number | string, family: 4 | 6, pick: number): ProbeEnd | null {
  if (typeof choice === 'string')
    return choice.includes(':') === (family === 6) ? { address: choice, party: { address: choice } } : null;
  const w = workloads[choice]!;
  const addresses = w.addresses.filter((a) => a.includes(':') === (family === 6));
  const address = addresses[pick % Math.max(1, addresses.length)];
  // Sent honestly: through its own switch port, where the inventory names one.
  return address ? { address, host: w.host, ...(w.switchPort ? { port: w.switchPort } : {}), party: { workload: w.id, address } } : null;
}
