import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { parseFlowText } from './flow-parser';
import type { PacketProtocol } from './packet';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables, type PathEnd, type PathProbe } from './path';
import { groupByTable } from './simulate';
import { ACTION_CASES } from './testing/action-cases';
import { HONEYPOT_SCENARIOS, honeypotConnections } from './testing/honeypot-scenarios';
import { LOOKUP_CASES, probePacket } from './testing/lookup-cases';
import { pathProbeOf, scenarioArbitrary, type Scenario } from './testing/random-scenario';
import { VerdictEngine, type PathVerdict, type VerdictEnd, type VerdictService } from './verdict-engine';

const RUNS = 250;

/** `permitted`, `dropped` or `redirected to X`, plus whether anything enforced it. */
function say(v: { verdict: string; redirectedTo?: string | undefined; enforced: boolean }): string {
  return `${v.verdict === 'redirected' ? `redirected to ${v.redirectedTo ?? '?'}` : v.verdict}${v.enforced ? '' : ' (unenforced)'}`;
}

/** What simulatePath says, or the error it throws. */
function simulated(tables: HostFlowTables, from: PathEnd, to: PathEnd, probe: PathProbe, hostOf?: ReadonlyMap<string, string>): string {
  try {
    return say(simulatePath(tables, from, to, probe, 'new', hostOf ? { hostOf } : {}));
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

function engineSays(engine: VerdictEngine | HandleAsker, from: PathEnd, to: PathEnd, probe: PathProbe): string {
  try {
    return say(engine.verdict(from, to, probe));
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

/** Engines asked every way a caller can: with and without the memo, with every flow treated as big, through handles. */
function everyWayOfAsking(tables: HostFlowTables, hostOf: ReadonlyMap<string, string>): (VerdictEngine | HandleAsker)[] {
  return [
    new VerdictEngine(tables, { hostOf }),
    new VerdictEngine(tables, { hostOf, memo: false }),
    // Every flow with two conjunction actions or more counts as big: the probing path of large tables.
    new VerdictEngine(tables, { hostOf, memo: false, bigFlow: 1 }),
    // The memo with big flows: answers remembered per class where clauses are probed, not tallied.
    new VerdictEngine(tables, { hostOf, bigFlow: 1 }),
    // The handle API: ends and services resolved once, asked again and again.
    new HandleAsker(new VerdictEngine(tables, { hostOf })),
    new HandleAsker(new VerdictEngine(tables, { hostOf, memo: false, bigFlow: 1 })),
    // A budget of one flow holds one host's pipeline: every other host asked drops it, and the
    // classes that ends and services remember must be asked again of the pipeline built anew.
    new HandleAsker(new VerdictEngine(tables, { hostOf, pipelineFlows: 1 })),
  ];
}

/** The verdicts of `packets` asked all at once (VerdictEngine.verdicts), with a budget that holds one host; the error text for all if one throws. */
function batchSays(tables: HostFlowTables, hostOf: ReadonlyMap<string, string>, packets: readonly { from: PathEnd; to: PathEnd; probe: PathProbe }[]): string[] {
  const engine = new VerdictEngine(tables, { hostOf, pipelineFlows: 1 });
  const asker = new HandleAsker(engine);
  const steps = engine.verdicts(packets.map((p) => asker.ask(p.from, p.to, p.probe)));
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value.map(say);
}

/** Asks an engine through its handle API: each end and probe resolved once, then reused, as a classifier would. */
class HandleAsker {
  private readonly ends = new Map<string, VerdictEnd>();
  private readonly services = new Map<string, VerdictService>();

  constructor(readonly engine: VerdictEngine) {}

  verdict(from: PathEnd, to: PathEnd, probe: PathProbe): PathVerdict {
    const { from: a, to: b, service } = this.ask(from, to, probe);
    return this.engine.verdictOf(a, b, service);
  }

  ask(from: PathEnd, to: PathEnd, probe: PathProbe): { from: VerdictEnd; to: VerdictEnd; service: VerdictService } {
    return { from: this.end(from), to: this.end(to), service: this.service(probe) };
  }

  private end({ address, host }: PathEnd): VerdictEnd {
    const key = `${address}@${host ?? ''}`;
    let end = this.ends.get(key);
    if (!end) this.ends.set(key, (end = this.engine.end(address, host)));
    return end;
  }

  private service(probe: PathProbe): VerdictService {
    const key = JSON.stringify(probe);
    let service = this.services.get(key);
    if (!service) this.services.set(key, (service = this.engine.service(probe)));
    return service;
  }
}


const SERVICES: PathProbe[] = [
  { protocol: 'tcp', srcPort: 40000, dstPort: 80 },
  { protocol: 'tcp', srcPort: 40000, dstPort: 8080 },
  { protocol: 'udp', srcPort: 68, dstPort: 67 },
  { protocol: 'udp', srcPort: 40000, dstPort: 53 },
  { protocol: 'sctp', srcPort: 40000, dstPort: 9001 },
  { protocol: 'icmp', icmpType: 8 },
  { protocol: 'icmp', icmpType: 135 },
  { protocol: 'other', ipProto: 47 },
];

/** Every probe of the scenario, then every pair of addresses (workloads' and a few outside) on a few services. */
function packetsOf(s: Scenario): { from: PathEnd; to: PathEnd; probe: PathProbe }[] {
  const packets = s.probes.map((p) => ({ from: { address: p.from.address, ...(p.from.host ? { host: p.from.host } : {}) }, to: { address: p.to.address, ...(p.to.host ? { host: p.to.host } : {}) }, probe: pathProbeOf(p) }));
  const ends: PathEnd[] = [
    ...s.inventory.workloads.flatMap((w) => w.addresses.map((address) => ({ address, host: w.host }))),
    { address: '203.0.113.5' },
    { address: '10.0.200.9' },
    { address: '2001:db8::99' },
  ];
  for (const [i, from] of ends.entries())
    for (const [j, to] of ends.entries())
      if (from.address.includes(':') === to.address.includes(':')) packets.push({ from, to, probe: SERVICES[(i * 7 + j) % SERVICES.length]! });
  return packets;
}

const counts = { compared: 0, batched: 0, redirected: 0, permitted: 0, ipv6: 0 };

describe('VerdictEngine gives simulatePath\'s verdict (property)', () => {
  it(`on compiled random policies: redirects, deny/reject, blocks, IPv6, ICMP, ranges, named ports (${RUNS} runs)`, () => {
    Object.assign(counts, { compared: 0, batched: 0, redirected: 0, permitted: 0, ipv6: 0 });
    fc.assert(
      fc.property(scenarioArbitrary(), (s) => {
        const compiled = compilePolicy(s.policy, s.inventory);
        const tables = loadHostTables(compiled.hosts);
        const hostOf = addressHosts(s.inventory.workloads);
        const engines = everyWayOfAsking(tables, hostOf);
        const packets = packetsOf(s);
        // Twice over, so the second pass answers from the memo.
        for (const round of [0, 1])
          for (const { from, to, probe } of packets) {
            const expected = simulated(tables, from, to, probe, hostOf);
            for (const engine of engines) {
              const got = engineSays(engine, from, to, probe);
              if (got !== expected)
                throw new Error(
                  `${from.address}@${from.host ?? '-'} → ${to.address}@${to.host ?? '-'} ${JSON.stringify(probe)} (round ${round}): engine says ${got}, simulatePath ${expected}\n` +
                    JSON.stringify({ policy: s.policy, workloads: s.inventory.workloads }),
                );
            }
            if (round === 1) continue;
            counts.compared++;
            if (!expected.startsWith('throws')) counts.batched++;
            if (expected.startsWith('redirected')) counts.redirected++;
            if (expected === 'permitted') counts.permitted++;
            if (from.address.includes(':')) counts.ipv6++;
          }
        // The same packets all at once, host by host, but those simulatePath throws for.
        const answerable = packets.filter((p) => !simulated(tables, p.from, p.to, p.probe, hostOf).startsWith('throws'));
        const batched = batchSays(tables, hostOf, answerable);
        answerable.forEach((p, i) => expect(`${p.from.address} → ${p.to.address} ${JSON.stringify(p.probe)}: ${batched[i]}`).toBe(`${p.from.address} → ${p.to.address} ${JSON.stringify(p.probe)}: ${simulated(tables, p.from, p.to, p.probe, hostOf)}`));
      }),
      { numRuns: RUNS },
    );
    console.info(`verdict-engine: ${counts.compared} packets compared (${counts.permitted} permitted, ${counts.redirected} redirected, ${counts.ipv6} IPv6)`);
    expect(counts.compared).toBeGreaterThan(RUNS * 30);
    expect(counts.batched).toBeGreaterThan(RUNS * 30);
    expect(counts.redirected).toBeGreaterThan(RUNS);
    expect(counts.permitted).toBeGreaterThan(RUNS);
    expect(counts.ipv6).toBeGreaterThan(RUNS);
  }, 60_000);
});

// Random tables beyond what the compiler writes: ties, identical matches, conj_id, resubmit,
// registers, conntrack with NAT, misses. Each flow is a match and an action list from these.
const MATCHES = [
  '',
  'ip',
  'tcp',
  'udp',
  'icmp',
  'ipv6',
  'arp',
  'ip,nw_src=10.0.0.1',
  'ip,nw_src=10.0.0.0/30',
  'ip,nw_dst=10.0.0.2',
  'ip,nw_dst=10.0.0.0/255.0.255.0',
  'tcp,nw_src=10.0.0.1,tp_dst=80',
  // Both addresses: filed by source, the destination still to check.
  'ip,nw_src=10.0.0.1,nw_dst=10.0.0.2',
  'tcp,nw_src=10.0.0.0/30,nw_dst=10.0.0.0/255.0.255.0',
  'ipv6,ipv6_src=fd00::1,ipv6_dst=fd00::2',
  'tcp,tp_dst=80',
  'tcp,tp_dst=0x50/0xfff0',
  'udp,tp_src=68',
  'icmp,icmp_type=8',
  'ipv6,ipv6_src=fd00::1',
  'ipv6,ipv6_dst=fd00::/64',
  'arp,nw_dst=10.0.0.2',
  'ct_state=+trk+new,ip',
  'ct_state=-trk,ip',
  'ct_state=+trk,ipv6',
  'ct_mark=0x1/0xff,ip',
  'reg0=0x1/0xffff,ip',
  'reg0=0x1/0xffff,ipv6',
  // conj_id=0 holds until a conjunction sets conj_id: seen by a lookup, never by the one after a conjunction.
  'conj_id=0,ip',
  'conj_id=1,ip',
  'conj_id=2',
  'conj_id=3,ipv6',
];

function actionsFor(table: number): string[] {
  const later = [1, 2, 3].filter((t) => t > table);
  return [
    'NORMAL',
    'drop',
    'conjunction(1,1/2)',
    'conjunction(1,2/2)',
    'conjunction(2,1/2),conjunction(1,2/2)',
    'conjunction(2,2/2)',
    'conjunction(3,1/3)',
    'conjunction(3,2/3),conjunction(1,1/2)',
    'conjunction(3,3/3)',
    'mod_dl_dst:02:00:00:00:00:09,NORMAL',
    'ct(commit),NORMAL',
    'ct(commit,nat(dst=10.0.9.9),exec(load:0x1->NXM_NX_CT_MARK[0..15])),mod_dl_dst:02:00:00:00:00:09,NORMAL',
    'ct(commit,nat(dst=fd00::9)),NORMAL',
    'ct(commit,nat(dst=10.0.9.9)),NORMAL',
    'NORMAL,ct(commit,nat(dst=10.0.9.9)),NORMAL',
    ...later.flatMap((t) => [
      `goto_table:${t}`,
      `resubmit(,${t})`,
      `ct(table=${t})`,
      `ct(commit,nat(dst=10.0.9.9),table=${t})`,
      `ct(commit,nat(dst=fd00::9),table=${t})`,
      `load:0x1->NXM_NX_REG0[0..15],resubmit(,${t}),NORMAL`,
    ]),
  ];
}

const flowLine = (table: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(1, 5, 10, 10, 20, 20), fc.constantFrom(...MATCHES), fc.constantFrom(...actionsFor(table)))
    .map(([priority, match, actions]) => `table=${table},priority=${priority}${match ? `,${match}` : ''} actions=${actions}`);

const tablesArbitrary: fc.Arbitrary<string[]> = fc
  .tuple(...[0, 1, 2, 3].map((t) => fc.array(flowLine(t), { minLength: t === 0 ? 1 : 0, maxLength: 9 })))
  .map((tables) => tables.flat());

const ADDRESSES = {
  4: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.1.0.2', '10.0.9.9'],
  6: ['fd00::1', 'fd00::2', 'fd00::9', '2001:db8::1'],
};
const host = fc.constantFrom('h1', 'h1', 'h2', undefined);
/** Two ends of one family, now and then of different ones (simulatePath throws then). */
const endsArbitrary = fc
  .tuple(fc.constantFrom<4 | 6>(4, 4, 6), fc.integer({ min: 0, max: 19 }))
  .chain(([family, mixed]) =>
    fc.tuple(
      fc.record({ address: fc.constantFrom(...ADDRESSES[family]), host }),
      fc.record({ address: fc.constantFrom(...ADDRESSES[mixed === 0 ? (family === 4 ? 6 : 4) : family]), host }),
    ),
  );
const probeArbitrary: fc.Arbitrary<PathProbe> = fc.oneof(
  fc.record({
    protocol: fc.constantFrom<PacketProtocol>('tcp', 'udp', 'sctp'),
    srcPort: fc.constantFrom(68, 40000),
    dstPort: fc.constantFrom(67, 80, 95, 96, 443),
  }),
  fc.record({ protocol: fc.constant<PacketProtocol>('icmp'), icmpType: fc.constantFrom(0, 8) }),
  fc.constant<PathProbe>({ protocol: 'other', ipProto: 47 }),
  fc.constant<PathProbe>({ ethType: 'arp' }),
);

describe('VerdictEngine on tables the compiler does not write (property)', () => {
  it('agrees with simulatePath on random tables of two hosts, a redirect target behind h2', () => {
    const outcomes = new Map<string, number>();
    const hostOf = new Map([
      ['10.0.9.9', 'h2'],
      ['fd00::9', 'h1'],
    ]);
    fc.assert(
      fc.property(
        tablesArbitrary,
        tablesArbitrary,
        fc.array(fc.tuple(endsArbitrary, probeArbitrary), { minLength: 30, maxLength: 30 }),
        (h1, h2, packets) => {
          const tables: HostFlowTables = new Map([
            ['h1', groupByTable(parseFlowText(h1.join('\n')).flows)],
            ['h2', groupByTable(parseFlowText(h2.join('\n')).flows)],
          ]);
          const engines = everyWayOfAsking(tables, hostOf);
          for (const round of [0, 1])
            for (const [[from, to], probe] of packets) {
              const cleanFrom = from.host ? from : { address: from.address };
              const cleanTo = to.host ? to : { address: to.address };
              const expected = simulated(tables, cleanFrom, cleanTo, probe, hostOf);
              if (round === 0) outcomes.set(expected.split(' ')[0]!, (outcomes.get(expected.split(' ')[0]!) ?? 0) + 1);
              for (const engine of engines) {
                const got = engineSays(engine, cleanFrom, cleanTo, probe);
                if (got !== expected)
                  throw new Error(`${JSON.stringify([cleanFrom, cleanTo, probe])} round ${round}: engine ${got}, simulatePath ${expected}`);
              }
            }
          // All at once, host by host: h2 answers connections from h2 to h1 before h1 has (VerdictEngine.ahead).
          const answerable = packets
            .map(([[from, to], probe]) => ({ from: from.host ? from : { address: from.address }, to: to.host ? to : { address: to.address }, probe }))
            .filter((p) => !simulated(tables, p.from, p.to, p.probe, hostOf).startsWith('throws'));
          const batched = batchSays(tables, hostOf, answerable);
          answerable.forEach((p, i) => expect(`${JSON.stringify(p)}: ${batched[i]}`).toBe(`${JSON.stringify(p)}: ${simulated(tables, p.from, p.to, p.probe, hostOf)}`));
        },
      ),
      { numRuns: 400 },
    );
    console.info(`verdict-engine on random tables: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    for (const outcome of ['permitted', 'dropped', 'redirected', 'throws']) expect(outcomes.get(outcome)).toBeGreaterThan(100);
  }, 60_000);
});

describe('VerdictEngine on honeypots that open connections themselves', () => {
  it.each(HONEYPOT_SCENARIOS)('$name: the same verdicts, those returning to their honeypot dropped', (scenario) => {
    const tables = loadHostTables(compilePolicy(scenario.policy, scenario.inventory).hosts);
    const hostOf = addressHosts(scenario.inventory.workloads);
    const engines = everyWayOfAsking(tables, hostOf);
    const verdicts = new Set<string>();
    for (const { from, to, ends, probe, returning } of honeypotConnections(scenario)) {
      const expected = simulated(tables, ends[0], ends[1], probe, hostOf);
      verdicts.add(expected.split(' ')[0]!);
      const which = `${from.name} → ${to.name} ${probe.dstPort}`;
      for (const engine of engines) expect(engineSays(engine, ends[0], ends[1], probe), which).toBe(expected);
      if (returning) expect(expected, which).toBe('dropped');
    }
    expect(verdicts).toContain('dropped');
    expect(verdicts).toContain('redirected');
  });
});

describe('VerdictEngine within a budget of pipelines', () => {
  const h1 = ['table=0,priority=100,ip,nw_src=10.0.1.0/24 actions=NORMAL', 'table=0,priority=100,ip,nw_src=10.0.2.0/24 actions=drop', 'table=0,priority=0 actions=drop'];
  const h2 = ['table=0,priority=0 actions=NORMAL'];
  const tables: HostFlowTables = new Map([
    ['h1', groupByTable(parseFlowText(h1.join('\n')).flows)],
    ['h2', groupByTable(parseFlowText(h2.join('\n')).flows)],
  ]);
  const web = { protocol: 'tcp', srcPort: 40000, dstPort: 80 } as const;

  it('asks a host built again for the classes its ends remembered from the host dropped', () => {
    // A budget of one flow holds one host: asking h2 drops h1. Built again, h1 numbers its
    // classes in the order they are asked, so the class 10.0.1.5 had is now 10.0.2.5's.
    const engine = new VerdictEngine(tables, { pipelineFlows: 1 });
    const allowed = engine.end('10.0.1.5', 'h1');
    const blocked = engine.end('10.0.2.5', 'h1');
    const outside = engine.end('203.0.113.9');
    const other = engine.end('10.0.3.5', 'h2');
    const service = engine.service(web);
    expect(engine.verdictOf(allowed, outside, service).verdict).toBe('permitted');
    expect(engine.verdictOf(other, outside, service).verdict).toBe('permitted');
    expect(engine.verdictOf(blocked, outside, service).verdict).toBe('dropped');
    expect(engine.verdictOf(allowed, outside, service).verdict).toBe('permitted');
  });

  it('answers many connections host by host in the order asked, yielding after each host', () => {
    const engine = new VerdictEngine(tables, { pipelineFlows: 1 });
    const service = engine.service(web);
    const outside = engine.end('203.0.113.9');
    const asked = ['10.0.1.5@h1', '10.0.3.5@h2', '10.0.2.5@h1', '10.0.3.6@h2', '10.0.1.6@h1'].map((e) => {
      const [address, host] = e.split('@') as [string, string];
      return { from: engine.end(address, host), to: outside, service };
    });
    const steps = engine.verdicts(asked);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    expect(step.value.map((v) => v.verdict)).toEqual(['permitted', 'permitted', 'dropped', 'permitted', 'permitted']);
    expect(yields).toBe(2);
  });
});

describe('VerdictEngine asking many connections in one round', () => {
  // h1 admits 10.0.0.1 and 10.0.0.2, not the honeypot 10.0.0.9 behind it; h2 sends everything for 10.0.0.2 there.
  const h1 = ['table=0,priority=10,ip,nw_dst=10.0.0.1 actions=NORMAL', 'table=0,priority=10,ip,nw_dst=10.0.0.2 actions=NORMAL', 'table=0,priority=0 actions=drop'];
  const h2 = ['table=0,priority=10,ip,nw_dst=10.0.0.2 actions=ct(commit,nat(dst=10.0.0.9)),NORMAL', 'table=0,priority=0 actions=NORMAL'];
  const tables: HostFlowTables = new Map([
    ['h1', groupByTable(parseFlowText(h1.join('\n')).flows)],
    ['h2', groupByTable(parseFlowText(h2.join('\n')).flows)],
  ]);
  const hostOf = new Map([['10.0.0.9', 'h1']]);
  const web = { protocol: 'tcp', srcPort: 40000, dstPort: 80 } as const;

  it('takes the answer the destination\'s switch gave first, but not for a connection the first switch redirects there', () => {
    const packets = [
      { from: { address: '10.0.1.5', host: 'h2' }, to: { address: '10.0.0.1', host: 'h1' }, probe: web },
      { from: { address: '10.0.1.5', host: 'h2' }, to: { address: '10.0.0.3', host: 'h1' }, probe: web },
      // h1 would forward to 10.0.0.2, but the packet reaches it sent to the honeypot, which it drops.
      { from: { address: '10.0.1.5', host: 'h2' }, to: { address: '10.0.0.2', host: 'h1' }, probe: web },
    ];
    const expected = packets.map((p) => simulated(tables, p.from, p.to, p.probe, hostOf));
    expect(expected).toEqual(['permitted', 'dropped', 'dropped']);
    expect(batchSays(tables, hostOf, packets)).toEqual(expected);
  });
});

describe('VerdictEngine on the simulator\'s own corner cases', () => {
  const end = (address: string, host?: string): PathEnd => (host ? { address, host } : { address });

  it.each(LOOKUP_CASES)('lookup: $name', ({ lines, probes }) => {
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
    const engine = new VerdictEngine(tables);
    for (const { packet } of probes) {
      const p = probePacket(packet);
      const probe: PathProbe = { ...p, ethType: p.ethType === 'arp' ? 'arp' : undefined };
      delete (probe as { src?: string }).src;
      delete (probe as { dst?: string }).dst;
      if (probe.ethType === undefined) delete probe.ethType;
      expect(engineSays(engine, end(p.src, 'h'), end(p.dst), probe)).toBe(simulated(tables, end(p.src, 'h'), end(p.dst), probe));
    }
  });

  it.each(ACTION_CASES)('actions: $name', ({ lines, probes }) => {
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
    const engine = new VerdictEngine(tables);
    for (const { packet, state } of probes) {
      if (state !== 'new') continue;
      const { src, dst, ethType, ...rest } = probePacket(packet);
      const probe: PathProbe = ethType === 'arp' ? { ...rest, ethType } : rest;
      expect(engineSays(engine, end(src, 'h'), end(dst), probe)).toBe(simulated(tables, end(src, 'h'), end(dst), probe));
    }
  });

  it('does not remember an answer that text order decided: equivalent sources, ties in opposite order', () => {
    const lines = ['priority=10,ip,nw_src=10.0.0.1 actions=drop', 'priority=10,ip actions=NORMAL', 'priority=10,ip,nw_src=10.0.0.2 actions=drop'];
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
    const engine = new VerdictEngine(tables);
    const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort: 80 };
    for (const src of ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.2'])
      expect(engineSays(engine, end(src, 'h'), end('10.0.0.9'), probe)).toBe(simulated(tables, end(src, 'h'), end('10.0.0.9'), probe));
  });

  it('tells destinations apart by the clauses they add to conjunctions the source and service keep alive', () => {
    const tables: Record<string, string[]> = {
      'source supplies two clauses': [
        'priority=10,ip,nw_src=10.0.0.1 actions=conjunction(3,1/3)',
        'priority=10,ip,nw_src=10.0.0.0/30 actions=conjunction(3,2/3)',
        'priority=10,ip,nw_dst=10.0.0.2 actions=conjunction(3,3/3)',
        'priority=10,conj_id=3,ip actions=NORMAL',
        'priority=1 actions=drop',
      ],
      // Flows of one shape for two destinations, other clauses: only 10.0.0.2's completes the conjunction.
      'destinations differing in the clause': [
        'priority=10,ip,nw_src=10.0.0.1 actions=conjunction(5,1/3)',
        'priority=10,ip,nw_dst=10.0.0.2 actions=conjunction(5,2/3)',
        'priority=10,ip,nw_dst=10.0.0.3 actions=conjunction(5,3/3)',
        'priority=10,tcp,tp_dst=80 actions=conjunction(5,3/3)',
        'priority=10,conj_id=5,ip actions=NORMAL',
        'priority=1 actions=drop',
      ],
      'service and destination alone': [
        'priority=10,tcp,tp_dst=80 actions=conjunction(4,1/2)',
        'priority=10,ip,nw_dst=10.0.0.2 actions=conjunction(4,2/2)',
        'priority=10,conj_id=4,ip actions=NORMAL',
        'priority=1 actions=drop',
      ],
      // Slots are numbered by priority, then id: forty other conjunctions put this one's past the slot masks' first word.
      'source and destination, slot 40': [
        ...Array.from({ length: 40 }, (_, i) => `priority=10,ip,nw_src=10.9.0.${i + 1} actions=conjunction(${i + 1},1/2)`),
        ...Array.from({ length: 40 }, (_, i) => `priority=10,ip,nw_dst=10.9.1.${i + 1} actions=conjunction(${i + 1},2/2)`),
        'priority=10,ip,nw_src=10.0.0.1 actions=conjunction(50,1/2)',
        'priority=10,ip,nw_dst=10.0.0.2 actions=conjunction(50,2/2)',
        'priority=10,conj_id=50,ip actions=NORMAL',
        'priority=1 actions=drop',
      ],
      // The same past the first word, complete without the source: the pair's mask must carry the slot's bit in its second word.
      'service and destination alone, slot 40': [
        ...Array.from({ length: 40 }, (_, i) => `priority=10,ip,nw_src=10.9.0.${i + 1} actions=conjunction(${i + 1},1/2)`),
        ...Array.from({ length: 40 }, (_, i) => `priority=10,ip,nw_dst=10.9.1.${i + 1} actions=conjunction(${i + 1},2/2)`),
        'priority=10,tcp,tp_dst=80 actions=conjunction(50,1/2)',
        'priority=10,ip,nw_dst=10.0.0.2 actions=conjunction(50,2/2)',
        'priority=10,conj_id=50,ip actions=NORMAL',
        'priority=1 actions=drop',
      ],
    };
    const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort: 80 };
    for (const lines of Object.values(tables)) {
      const flows: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
      const engine = new VerdictEngine(flows);
      // The first destination has no flows: its answer must not be taken for the second's.
      for (const dst of ['10.0.0.9', '10.0.0.2', '10.0.0.9', '10.0.0.3'])
        expect(engineSays(engine, end('10.0.0.1', 'h'), end(dst), probe)).toBe(simulated(flows, end('10.0.0.1', 'h'), end(dst), probe));
    }
  });

  it('shares a source\'s answers with sources of its shape only for services where none of its conjunctions completes without an exact destination', () => {
    // 10.0.0.1 and 10.0.0.3 have the same hard part; with tcp/80 the first one's conjunction completes through the block alone.
    const lines = [
      'priority=10,ip,nw_src=10.0.0.1 actions=conjunction(5,1/3)',
      'priority=10,tcp,tp_dst=80 actions=conjunction(5,2/3)',
      'priority=10,ip,nw_dst=10.0.1.0/24 actions=conjunction(5,3/3)',
      'priority=10,conj_id=5,ip actions=NORMAL',
      'priority=1 actions=drop',
    ];
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
    const engine = new VerdictEngine(tables);
    const asks: [string, number][] = [['10.0.0.3', 80], ['10.0.0.1', 443], ['10.0.0.1', 80], ['10.0.0.3', 443]];
    for (const [src, dstPort] of asks) {
      const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort };
      expect(engineSays(engine, end(src, 'h'), end('10.0.1.5'), probe)).toBe(simulated(tables, end(src, 'h'), end('10.0.1.5'), probe));
    }
  });

  it('does not share the answers of a source whose clause completes a conjunction with the service alone, in a table without destination flows', () => {
    const lines = [
      'priority=10,ip,nw_src=10.0.0.1 actions=conjunction(6,1/2)',
      'priority=10,tcp,tp_dst=80 actions=conjunction(6,2/2)',
      'priority=10,conj_id=6,ip actions=NORMAL',
      'priority=1 actions=drop',
    ];
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
    const engine = new VerdictEngine(tables);
    const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort: 80 };
    // 10.0.0.3 has the same (empty) hard part as 10.0.0.1 and comes first.
    for (const src of ['10.0.0.3', '10.0.0.1'])
      expect(engineSays(engine, end(src, 'h'), end('10.0.0.2'), probe)).toBe(simulated(tables, end(src, 'h'), end('10.0.0.2'), probe));
  });

  it('tells addresses apart by the priority and the actions of the flows that match them exactly, as source and as destination', () => {
    const tables: string[][] = [
      // Equal matches but for the address: one priority above the plain flow, the other below it.
      ['priority=20,ip,nw_dst=10.0.0.2 actions=drop', 'priority=10,ip actions=NORMAL', 'priority=5,ip,nw_dst=10.0.0.3 actions=drop'],
      ['priority=20,ip,nw_src=10.0.0.2 actions=drop', 'priority=10,ip actions=NORMAL', 'priority=5,ip,nw_src=10.0.0.3 actions=drop'],
      // Equal priorities and matches but for the address, other actions.
      ['priority=20,ip,nw_dst=10.0.0.2 actions=drop', 'priority=20,ip,nw_dst=10.0.0.3 actions=NORMAL', 'priority=1 actions=drop'],
      ['priority=20,ip,nw_src=10.0.0.2 actions=drop', 'priority=20,ip,nw_src=10.0.0.3 actions=NORMAL', 'priority=1 actions=drop'],
    ];
    const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort: 80 };
    for (const lines of tables) {
      const flows: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
      const engine = new VerdictEngine(flows);
      for (const [src, dst] of [['10.0.0.2', '10.0.0.3'], ['10.0.0.3', '10.0.0.2'], ['10.0.0.2', '10.0.0.2'], ['10.0.0.3', '10.0.0.3']] as const)
        expect(engineSays(engine, end(src, 'h'), end(dst), probe)).toBe(simulated(flows, end(src, 'h'), end(dst), probe));
    }
  });

  it('hides a conj_id=0 flow from the lookup after a conjunction, which sets conj_id', () => {
    const lines = [
      'priority=10,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2)',
      'priority=10,tcp,tp_dst=80 actions=conjunction(1,2/2)',
      'priority=5,conj_id=0,ip actions=drop',
      'priority=1,conj_id=1,ip actions=NORMAL',
    ];
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText(lines.join('\n')).flows)]]);
    const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort: 80 };
    expect(simulated(tables, end('10.0.0.1', 'h'), end('10.0.0.2'), probe)).toBe('permitted');
    expect(engineSays(new VerdictEngine(tables), end('10.0.0.1', 'h'), end('10.0.0.2'), probe)).toBe('permitted');
  });

  it('drops a packet that loops through resubmit, as Open vSwitch gives up after 64 nested visits', () => {
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText('table=0,priority=1 actions=NORMAL,resubmit(,0)').flows)]]);
    const probe: PathProbe = { protocol: 'tcp', srcPort: 1, dstPort: 80 };
    expect(new VerdictEngine(tables).verdict(end('10.0.0.1', 'h'), end('10.0.0.2'), probe).verdict).toBe('dropped');
    expect(simulated(tables, end('10.0.0.1', 'h'), end('10.0.0.2'), probe)).toBe('dropped');
  });

  it('leaves a conjunction of more than 31 clauses to simulatePath, with the same answer', () => {
    // Distinct matches (a later flow with the same match replaces an earlier one), all holding for the packet.
    const clauses = Array.from({ length: 40 }, (_, k) =>
      k < 32
        ? `table=0,priority=10,ip,nw_src=10.0.0.1/${k + 1} actions=conjunction(7,${k + 1}/40)`
        : `table=0,priority=10,ip,nw_dst=10.0.0.2/${k - 7} actions=conjunction(7,${k + 1}/40)`,
    );
    const tables: HostFlowTables = new Map([
      ['h', groupByTable(parseFlowText([...clauses, 'table=0,priority=10,conj_id=7,ip actions=NORMAL'].join('\n')).flows)],
    ]);
    const verdict: PathVerdict = new VerdictEngine(tables).verdict(end('10.0.0.1', 'h'), end('10.0.0.2'), { protocol: 'udp' });
    expect(verdict.verdict).toBe('permitted');
    expect(simulated(tables, end('10.0.0.1', 'h'), end('10.0.0.2'), { protocol: 'udp' })).toBe('permitted');
  });

  it('throws where simulatePath throws: unknown host, mixed families, bad ports, ends that are no address', () => {
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText('table=0,priority=1 actions=NORMAL').flows)]]);
    const engine = new VerdictEngine(tables);
    const cases: [PathEnd, PathEnd, PathProbe][] = [
      [end('10.0.0.1', 'nowhere'), end('10.0.0.2'), { protocol: 'tcp' }],
      [end('10.0.0.1', 'h'), end('fd00::2'), { protocol: 'tcp' }],
      [end('10.0.0.1', 'h'), end('10.0.0.2'), { protocol: 'tcp', dstPort: 70000 }],
      [end('10.0.0.1', 'h'), end('10.0.0.2'), {}],
      [end('fd00::1', 'h'), end('fd00::2'), { ethType: 'arp' }],
      [end('10.0.0.1'), end('10.0.0.2'), { protocol: 'tcp' }],
      [end('10.0.0.1', 'h'), end('web-1'), { protocol: 'tcp' }],
      // ARP skips the first address check: the family check must catch an end without an address.
      [end('10.0.0.1', 'h'), end('web-1'), { ethType: 'arp' }],
      [end('web-1', 'h'), end('10.0.0.2'), { ethType: 'arp' }],
    ];
    const handles = new HandleAsker(new VerdictEngine(tables));
    for (const [from, to, probe] of cases) {
      expect(engineSays(engine, from, to, probe)).toBe(simulated(tables, from, to, probe));
      expect(engineSays(handles, from, to, probe)).toBe(simulated(tables, from, to, probe));
    }
  });

  it('takes ends and services only from the engine that made them', () => {
    const tables: HostFlowTables = new Map([['h', groupByTable(parseFlowText('table=0,priority=1 actions=NORMAL').flows)]]);
    const [one, other] = [new VerdictEngine(tables), new VerdictEngine(tables)];
    const service = one.service({ protocol: 'tcp', dstPort: 80 });
    expect(one.verdictOf(one.end('10.0.0.1', 'h'), one.end('10.0.0.2'), service).verdict).toBe('permitted');
    expect(() => other.verdictOf(one.end('10.0.0.1', 'h'), other.end('10.0.0.2'), other.service({ protocol: 'tcp' }))).toThrow(/another VerdictEngine/);
    expect(() => other.verdictOf(other.end('10.0.0.1', 'h'), other.end('10.0.0.2'), service)).toThrow(/another VerdictEngine/);
  });
});
