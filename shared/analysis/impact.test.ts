import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory } from '../inventory/model';
import type { Edge, EdgeAction, Policy, Service } from '../policy/model';
import { parseFlowTextStrict } from '../simulator/flow-parser';
import { CompiledFlowReader } from '../simulator/compiled-flows';
import { loadHostTables, type HostFlowTables } from '../simulator/path';
import { groupByTable } from '../simulator/simulate';
import { scenarioArbitrary } from '../simulator/testing/random-scenario';
import { changeImpact, impactSteps, type ChangeImpact, type ImpactEntry, type ImpactScope } from './impact';
import { formatServices } from './service-set';

const RUNS = 300;

function tablesOf(policy: Policy, inventory: Inventory, reader?: CompiledFlowReader): HostFlowTables {
  return loadHostTables(compilePolicy(policy, inventory).hosts, reader);
}

const SERVICES: readonly Service[] = [
  { protocol: 'tcp', ports: { from: 80, to: 80 } },
  { protocol: 'tcp', ports: { from: 5432, to: 5433 } },
  { protocol: 'tcp', ports: { from: 1000, to: 1999 } },
  { protocol: 'udp', ports: { from: 53, to: 53 } },
  { protocol: 'icmp' },
  { protocol: 'any' },
];
const ACTIONS: readonly EdgeAction[] = ['allow', 'log', 'deny', 'reject'];

/** The edits an architect makes between two versions: one edge's services, action or ends; an edge added or removed; a default. */
function editArbitrary(policy: Policy): fc.Arbitrary<Policy> {
  const edgeAt = fc.nat({ max: Math.max(0, policy.edges.length - 1) });
  const group = fc.constantFrom(...policy.groups.map((g) => g.name));
  const withEdge = (i: number, change: (e: Edge) => Edge): Policy => ({ ...policy, edges: policy.edges.map((e, j) => (j === i ? change(e) : e)) });
  const edits: fc.Arbitrary<Policy>[] = [
    fc.tuple(group, group, fc.constantFrom(...SERVICES), fc.constantFrom(...ACTIONS)).map(([from, to, service, action]) => ({
      ...policy,
      edges: [...policy.edges, { id: 'added', from, to, services: [service], action }],
    })),
    fc.constantFrom<Policy['defaults']['betweenGroups']>('drop', 'reject', 'monitor').map((betweenGroups) => ({ ...policy, defaults: { ...policy.defaults, betweenGroups } })),
  ];
  if (policy.edges.length > 0 && policy.edges[0]!.action !== 'redirect')
    edits.push(
      fc.tuple(edgeAt, fc.constantFrom(...SERVICES)).map(([i, service]) => withEdge(i, (e) => (e.action === 'redirect' ? e : { ...e, services: [...e.services, service] }))),
      fc.tuple(edgeAt, fc.constantFrom(...SERVICES)).map(([i, service]) => withEdge(i, (e) => (e.action === 'redirect' ? e : { ...e, services: [service] }))),
      fc.tuple(edgeAt, fc.constantFrom(...ACTIONS)).map(([i, action]) => withEdge(i, (e) => (e.action === 'redirect' ? e : { ...e, action }))),
      fc.tuple(edgeAt, group).map(([i, to]) => withEdge(i, (e) => ({ ...e, to }))),
      edgeAt.map((i) => ({ ...policy, edges: policy.edges.filter((_, j) => j !== i) })),
    );
  return fc.oneof(...edits);
}

function summary(impact: ChangeImpact): string[] {
  return impact.entries.map(
    (e) =>
      `${e.from} → ${e.to} (${e.pairs}): +${formatServices(e.newlyPermitted)} -${formatServices(e.newlyBlocked)} ` +
      `>${formatServices(e.newlyRedirected)} <${formatServices(e.noLongerRedirected)}` +
      e.honeypotChanged.map((swap) => ` ${swap.from}⇒${swap.to} ${formatServices(swap.services)}`).join('') +
      ` e.g. ${e.example.from} → ${e.example.to}`,
  );
}

/** Tables written by hand, host by host, for what the compiler never writes but a switch may hold. */
function handTables(hosts: Record<string, string[]>): HostFlowTables {
  return new Map(Object.entries(hosts).map(([host, lines]) => [host, groupByTable(parseFlowTextStrict(lines.join('\n'), host))]));
}

const BARE: Policy = { apiVersion: 'microseg.dev/v1', name: 'hand', revision: 1, defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, groups: [], edges: [] };

function handInventory(workloads: [name: string, host: string, address: string][]): Inventory {
  return {
    readAt: 'x',
    workloads: workloads.map(([name, host, address]) => ({ id: `static:t/${name}`, name, host, addresses: [address], labels: {}, origin: { kind: 'static' as const, source: 't' } })),
  };
}

function bothWays(before: HostFlowTables, after: HostFlowTables, inventory: Inventory): string[] {
  const narrowed = changeImpact({ policy: BARE, tables: before }, { policy: BARE, tables: after }, inventory, { scope: 'changed-flows' });
  expect(narrowed.stats.scope).toBe('changed-flows');
  const full = summary(changeImpact({ policy: BARE, tables: before }, { policy: BARE, tables: after }, inventory, { scope: 'every-pair' }));
  expect(summary(narrowed)).toEqual(full);
  return full;
}

describe('impact narrowed to the changed flows', () => {
  const inventory = handInventory([
    ['a', 'h1', '10.0.0.1'],
    ['b', 'h1', '10.0.0.2'],
    ['c', 'h1', '10.0.0.3'],
    ['pot', 'h2', '10.0.0.9'],
  ]);

  it("follows a redirect: a change on the honeypot's switch reaches the pairs sent there", () => {
    const h1 = ['table=0,priority=100,ip,nw_src=10.0.0.1,nw_dst=10.0.0.2 actions=ct(commit,nat(dst=10.0.0.9)),NORMAL', 'table=0,priority=0 actions=NORMAL'];
    const before = handTables({ h1, h2: ['table=0,priority=0 actions=NORMAL'] });
    const after = handTables({ h1, h2: ['table=0,priority=100,ip,nw_src=10.0.0.1,nw_dst=10.0.0.9 actions=drop', 'table=0,priority=0 actions=NORMAL'] });
    expect(bothWays(before, after, inventory)).toContain('(no group) a → (no group) b (1): +none -any >none <any e.g. a → b');
  });

  it("follows a redirect that only a later comparison's tables hold", () => {
    // Hosts of their own, which no other comparison has asked about.
    const own = handInventory([
      ['a', 'r1', '10.0.0.1'],
      ['b', 'r1', '10.0.0.2'],
      ['pot', 'r2', '10.0.0.9'],
    ]);
    const r2 = ['table=0,priority=0 actions=NORMAL'];
    const changedR2 = ['table=0,priority=100,ip,nw_src=10.0.0.1,nw_dst=10.0.0.9 actions=drop', ...r2];
    const plain = ['table=0,priority=0 actions=NORMAL'];
    expect(bothWays(handTables({ r1: plain, r2 }), handTables({ r1: plain, r2: changedR2 }), own)).toEqual(['(no group) a → (no group) pot (1): +none -any >none <none e.g. a → pot']);
    const redirecting = ['table=0,priority=100,ip,nw_src=10.0.0.1,nw_dst=10.0.0.2 actions=ct(commit,nat(dst=10.0.0.9)),NORMAL', ...plain];
    expect(bothWays(handTables({ r1: redirecting, r2 }), handTables({ r1: redirecting, r2: changedR2 }), own)).toContain('(no group) a → (no group) b (1): +none -any >none <any e.g. a → b');
  });

  it('sees a clause flow that now hides a hard flow with the same match', () => {
    const h1 = [
      'table=0,priority=100,ip,nw_src=10.0.0.3 actions=conjunction(1,1/2)',
      'table=0,priority=100,ip,nw_dst=10.0.0.2 actions=conjunction(1,2/2)',
      'table=0,priority=50,tcp actions=NORMAL',
      'table=0,priority=0 actions=drop',
    ];
    // Conjunction 5 never completes (no second clause), yet its flow hides the priority-50 flow
    // from the search that follows conjunction 1: c → b over TCP, and only that, is now dropped.
    const after = [...h1, 'table=0,priority=200,tcp actions=conjunction(5,1/2)'];
    const h2 = ['table=0,priority=0 actions=NORMAL'];
    expect(bothWays(handTables({ h1, h2 }), handTables({ h1: after, h2 }), inventory)).toEqual(['(no group) c → (no group) b (1): +none -tcp >none <none e.g. c → b']);
  });
});

describe('conjunction ids renumbered by a change', () => {
  const inventory = handInventory([
    ['web-1', 'h1', '10.0.0.1'],
    ['web-2', 'h2', '10.0.0.2'],
    ['app-1', 'h1', '10.0.0.3'],
    ['db-1', 'h2', '10.0.0.4'],
  ]).workloads.map((w) => ({ ...w, labels: { tier: w.name.split('-')[0]! } }));
  const shop: Policy = {
    ...BARE,
    groups: ['web', 'app', 'db'].map((tier) => ({ name: tier, selector: { labels: `tier=${tier}` } })),
    edges: [
      { id: 'web-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }], action: 'allow' },
      { id: 'app-db', from: 'app', to: 'db', services: [{ protocol: 'tcp', ports: { from: 5432, to: 5432 } }], action: 'allow' },
    ],
  };

  it('still narrows an edge added ahead of the others to the pairs it serves', () => {
    const inv = { readAt: 'x', workloads: inventory };
    // Rules are numbered in edge order: this one shifts every other rule's conjunction id.
    const added: Policy = { ...shop, edges: [{ id: 'a-first', from: 'web', to: 'db', services: [{ protocol: 'tcp', ports: { from: 9999, to: 9999 } }], action: 'allow' }, ...shop.edges] };
    const impact = changeImpact({ policy: shop, tables: tablesOf(shop, inv) }, { policy: added, tables: tablesOf(added, inv) }, inv, { scope: 'changed-flows' });
    expect(summary(impact)).toEqual(['web → db (2): +tcp/9999 -none >none <none e.g. web-1 → db-1']);
    expect(impact.stats.pairsCompared).toBeLessThanOrEqual(4);
  });

  it("gives the example a service its own pair's change is about, not one only other pairs of the group pair changed", () => {
    // web-2 is also in `second`, which gains tcp/443 to db: web → db gains tcp/443 for web-2 only.
    const inv = { readAt: 'x', workloads: inventory.map((w) => (w.name === 'web-2' ? { ...w, labels: { ...w.labels, second: 'yes' } } : w)) };
    const withSecond: Policy = { ...shop, groups: [...shop.groups, { name: 'second', selector: { labels: 'second=yes' } }] };
    const opened: Policy = {
      ...withSecond,
      edges: [
        ...shop.edges,
        { id: 'web-db', from: 'web', to: 'db', services: [{ protocol: 'tcp', ports: { from: 9999, to: 9999 } }], action: 'allow' },
        { id: 'second-db', from: 'second', to: 'db', services: [{ protocol: 'tcp', ports: { from: 443, to: 443 } }], action: 'allow' },
      ],
    };
    for (const scope of ['changed-flows', 'every-pair'] as const) {
      const impact = changeImpact({ policy: withSecond, tables: tablesOf(withSecond, inv) }, { policy: opened, tables: tablesOf(opened, inv) }, inv, { scope });
      const webDb = impact.entries.find((e) => e.from === 'web' && e.to === 'db');
      expect(formatServices(webDb!.newlyPermitted), scope).toBe('tcp/443, tcp/9999');
      expect(webDb!.example, scope).toEqual({ from: 'web-1', to: 'db-1', service: 'tcp/9999' });
    }
  });

  it('gives as example a pair named by its workloads rather than by addresses, where one is', () => {
    // Dual-stack: "fd00::1" sorts before "web-1", but names say which workloads the change concerns.
    const dual = { readAt: 'x', workloads: inventory.map((w, i) => ({ ...w, addresses: [...w.addresses, `fd00::${i + 1}`] })) };
    const opened: Policy = { ...shop, edges: [...shop.edges, { id: 'web-db', from: 'web', to: 'db', services: [{ protocol: 'tcp', ports: { from: 9999, to: 9999 } }], action: 'allow' }] };
    for (const scope of ['changed-flows', 'every-pair'] as const) {
      const impact = changeImpact({ policy: shop, tables: tablesOf(shop, dual) }, { policy: opened, tables: tablesOf(opened, dual) }, dual, { scope });
      expect(summary(impact), scope).toEqual(['web → db (4): +tcp/9999 -none >none <none e.g. web-1 → db-1']);
    }
  });

  it('names a workload by the older groups when the newer policy puts it in none', () => {
    const inv = { readAt: 'x', workloads: inventory };
    // Hand-written, so the group's removal changes only one conjunction (a compile would change membership flows too).
    const clauses = ['table=0,priority=100,ip,nw_src=10.0.0.3 actions=conjunction(1,1/2)', 'table=0,priority=100,ip,nw_dst=10.0.0.4 actions=conjunction(1,2/2)', 'table=0,priority=0 actions=drop'];
    const h2 = ['table=0,priority=0 actions=NORMAL'];
    const before = handTables({ h1: [...clauses, 'table=0,priority=100,conj_id=1 actions=NORMAL'], h2 });
    const after = handTables({ h1: clauses, h2 });
    const withDb: Policy = { ...BARE, groups: [{ name: 'db', selector: { labels: 'tier=db' } }] };
    for (const scope of ['changed-flows', 'every-pair'] as const) {
      const impact = changeImpact({ policy: withDb, tables: before }, { policy: BARE, tables: after }, inv, { scope });
      expect(summary(impact)).toEqual(['(no group) app-1 → db (1): +none -any >none <none e.g. app-1 → db-1']);
    }
  });
});

describe('impact of one change against other inventories and policies', () => {
  // Hand-written tables, so only the inventory and the policy's groups differ between the comparisons.
  const clauses = ['table=0,priority=100,ip,nw_src=10.0.0.3 actions=conjunction(1,1/2)', 'table=0,priority=100,ip,nw_dst=10.0.0.4 actions=conjunction(1,2/2)', 'table=0,priority=0 actions=drop'];
  const h2 = ['table=0,priority=0 actions=NORMAL'];
  const before = handTables({ h1: [...clauses, 'table=0,priority=100,conj_id=1 actions=NORMAL'], h2 });
  const after = handTables({ h1: clauses, h2 });
  const tiers = (names: string[]): Inventory => ({
    readAt: 'x',
    workloads: handInventory(names.map((name, i) => [name, `h${(i % 2) + 1}`, `10.0.0.${i + 1}`])).workloads.map((w) => ({ ...w, labels: { tier: w.name.split('-')[0]! } })),
  });
  const grouped = (names: Record<string, string>): Policy => ({ ...BARE, groups: Object.entries(names).map(([name, tier]) => ({ name, selector: { labels: `tier=${tier}` } })) });

  it('answers for the inventory and the groups it is given, not those of an earlier comparison', () => {
    const first = tiers(['web-1', 'web-2', 'app-1', 'db-1']);
    const policy = grouped({ app: 'app', db: 'db' });
    const expected = ['app → db (1): +none -any >none <none e.g. app-1 → db-1'];
    for (const scope of ['changed-flows', 'every-pair'] as const) expect(summary(changeImpact({ policy, tables: before }, { policy, tables: after }, first, { scope }))).toEqual(expected);

    // Another inventory: 10.0.0.3 is now api-1's.
    const second = tiers(['web-1', 'web-2', 'api-1', 'db-1']);
    const renamed = ['(no group) api-1 → db (1): +none -any >none <none e.g. api-1 → db-1'];
    for (const scope of ['changed-flows', 'every-pair'] as const) expect(summary(changeImpact({ policy, tables: before }, { policy, tables: after }, second, { scope }))).toEqual(renamed);

    // Other groups over the first inventory.
    const regrouped = grouped({ backend: 'app', store: 'db' });
    const named = ['backend → store (1): +none -any >none <none e.g. app-1 → db-1'];
    for (const scope of ['changed-flows', 'every-pair'] as const) expect(summary(changeImpact({ policy: regrouped, tables: before }, { policy: regrouped, tables: after }, first, { scope }))).toEqual(named);
  });
});

// A tester's defect: isolating web, whose only member has two addresses, was reported as
// `web → web: newly blocked any` and exited 1, though only web-1's connections to itself
// changed, which trace refuses (they stay inside the workload).
describe('impact on a workload with several addresses', () => {
  const workload = (name: string, host: string, addresses: string[]): Inventory['workloads'][number] => ({ id: `static:t/${name}`, name, host, addresses, labels: { tier: name.split('-')[0]! }, origin: { kind: 'static', source: 't' } });
  const tiers: Policy = {
    ...BARE,
    groups: [
      { name: 'web', selector: { labels: 'tier=web' } },
      { name: 'app', selector: { labels: 'tier=app' } },
    ],
    edges: [{ id: 'web-to-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }], action: 'allow' }],
  };
  const isolated: Policy = { ...tiers, groups: tiers.groups.map((g) => (g.name === 'web' ? { ...g, isolated: true } : g)) };
  const impactOf = (inventory: Inventory, scope: ImpactScope): string[] => summary(changeImpact({ policy: tiers, tables: tablesOf(tiers, inventory) }, { policy: isolated, tables: tablesOf(isolated, inventory) }, inventory, { scope }));

  it("counts no change of a workload's connections among its own addresses, either way of comparing", () => {
    const alone: Inventory = { readAt: 'x', workloads: [workload('web-1', 'h1', ['10.0.1.1', '10.0.1.2']), workload('app-1', 'h2', ['10.0.2.1'])] };
    for (const scope of ['changed-flows', 'every-pair'] as const) expect(impactOf(alone, scope), scope).toEqual([]);
  });

  it('counts the pairs of its addresses with another workload’s, and none among its own', () => {
    // web-2 beside web-1 on h1: their three addresses are one class, whose pairs are counted one by one.
    const withPeer: Inventory = { readAt: 'x', workloads: [workload('web-1', 'h1', ['10.0.1.1', '10.0.1.2']), workload('web-2', 'h1', ['10.0.1.3']), workload('app-1', 'h2', ['10.0.2.1'])] };
    const expected = ['web → web (4): +none -any >none <none e.g. 10.0.1.1 → web-2'];
    for (const scope of ['changed-flows', 'every-pair'] as const) expect(impactOf(withPeer, scope), scope).toEqual(expected);
  });
});

describe('impact of a change of honeypot', () => {
  // The honeypot of some redirected connections changes to one without an IPv6 address, and
  // that sends its own connections back to itself: those redirects end in a drop instead.
  const inventory: Inventory = {
    readAt: 'x',
    workloads: [
      { id: 'static:t/web-1', name: 'web-1', host: 'h1', addresses: ['10.0.0.11', 'fd00::11'], labels: { tier: 'web' }, origin: { kind: 'static', source: 't' } },
      { id: 'static:t/hp', name: 'hp', namespace: 'sec', host: 'h2', addresses: ['10.0.0.99', 'fd00::99'], labels: { role: 'honeypot' }, mac: '02:00:00:00:00:99', origin: { kind: 'static', source: 't' } },
      { id: 'static:t/hp2', name: 'hp2', host: 'h3', addresses: ['10.0.0.98'], labels: { role: 'honeypot' }, mac: '02:00:00:00:00:98', origin: { kind: 'static', source: 't' } },
    ],
  };
  const tcp = (port: number): Service => ({ protocol: 'tcp', ports: { from: port, to: port } });
  const before: Policy = {
    ...BARE,
    defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'sec/hp' },
    groups: [
      { name: 'web', selector: { labels: 'tier=web' } },
      { name: 'pots', selector: { labels: 'role=honeypot' } },
      { name: 'internet', selector: { cidrs: ['0.0.0.0/0', '::/0'], except: ['10.0.0.0/8', 'fd00::/8'] } },
    ],
  };
  const after: Policy = {
    ...before,
    edges: [
      { id: 'trap-ssh', from: 'internet', to: 'web', services: [tcp(22)], action: 'redirect', redirectTo: 'hp2' },
      { id: 'pots-out', from: 'pots', to: 'web', services: [tcp(80)], action: 'redirect', redirectTo: 'hp2' },
    ],
  };

  it('counts redirected-then-dropped as newly blocked, dropped-then-redirected as newly redirected, and names the honeypots swapped', () => {
    for (const scope of ['changed-flows', 'every-pair'] as const) {
      const impact = changeImpact({ policy: before, tables: tablesOf(before, inventory) }, { policy: after, tables: tablesOf(after, inventory) }, inventory, { scope });
      // IPv6 from outside: hp2 has no IPv6 address, so dropped; IPv4: to hp2 instead of sec/hp.
      // The example's outside end is a host address in public space, not 0.0.0.0 or ::. Two pairs:
      // web-1's IPv4 and IPv6 addresses, each with all the outside addresses of its family, as
      // the matrix counts them (16 stand-ins for the internet's blocks before).
      expect(summary(impact), scope).toContain('internet → web (2): +none -tcp/22 >none <tcp/22 sec/hp⇒hp2 tcp/22 e.g. 1.0.0.1 → web-1');
      // hp2 → web-1 was sent to sec/hp and is now sent back to hp2 itself, dropped; sec/hp → web-1 the other way round.
      expect(summary(impact), scope).toContain('pots → web (2): +none -tcp/80 >tcp/80 <tcp/80 e.g. hp2 → web-1');
      const internet = JSON.parse(JSON.stringify(impact.entries.find((e) => e.from === 'internet' && e.to === 'web'))) as ImpactEntry;
      expect(internet.newlyBlocked.tcp).toEqual([[22, 22]]);
      expect(internet.newlyRedirected.tcp).toEqual([]);
      expect(internet.honeypotChanged).toEqual([{ from: 'sec/hp', to: 'hp2', services: { tcp: [[22, 22]], udp: [], sctp: [], icmp: [], other: [] } }]);
    }
  });
});

describe('impact narrowed to the changed flows (property)', () => {
  it(`reports what comparing every pair reports (${RUNS} runs)`, () => {
    let narrowedPairs = 0;
    let everyPair = 0;
    let changed = 0;
    fc.assert(
      fc.property(
        scenarioArbitrary({ probes: { min: 0, max: 0 }, dualHomed: true }).chain((s) => editArbitrary(s.policy).map((edited) => ({ ...s, edited }))),
        // One reader for both sides, as the app loads them, shares flows' parts; separate ones, as for tables read back, share none.
        fc.boolean(),
        ({ policy, edited, inventory }, oneReader) => {
          const reader = oneReader ? new CompiledFlowReader() : undefined;
          const before = { policy, tables: tablesOf(policy, inventory, reader) };
          const after = { policy: edited, tables: tablesOf(edited, inventory, reader) };
          const narrowed = changeImpact(before, after, inventory, { scope: 'changed-flows' });
          const full = changeImpact(before, after, inventory, { scope: 'every-pair' });
          expect(summary(narrowed)).toEqual(summary(full));
          narrowedPairs += narrowed.stats.pairsCompared;
          everyPair += full.stats.endpoints ** 2;
          if (full.entries.length > 0) changed++;
        },
      ),
      { numRuns: RUNS },
    );
    console.info(`impact narrowing: ${narrowedPairs} of ${everyPair} address pairs compared; ${changed} of ${RUNS} edits changed something`);
    // The property means something only if edits change reach and narrowing leaves pairs out.
    expect(changed).toBeGreaterThan(RUNS / 6);
    expect(narrowedPairs).toBeLessThan(everyPair);
  });
});

describe('impact as steps, for a caller that must stay responsive (the app stops it between two)', () => {
  const tiers = (count: number): Inventory => ({
    readAt: 'x',
    workloads: handInventory(Array.from({ length: 2 * count }, (_, i) => [`${i % 2 ? 'app' : 'web'}-${i}`, `h${i % 4}`, `10.0.${i >> 8}.${i & 255}`])).workloads.map((w) => ({ ...w, labels: { tier: w.name.split('-')[0]! } })),
  });
  const webToApp = (port: number): Policy => ({
    ...BARE,
    groups: [
      { name: 'web', selector: { labels: 'tier=web' } },
      { name: 'app', selector: { labels: 'tier=app' } },
    ],
    edges: [{ id: 'web-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: port, to: port } }], action: 'allow' }],
  });
  const progressOf = (inventory: Inventory, scope: ImpactScope): { units: string[]; impact: ChangeImpact } => {
    const reader = new CompiledFlowReader();
    const steps = impactSteps({ policy: webToApp(8080), tables: tablesOf(webToApp(8080), inventory, reader) }, { policy: webToApp(8081), tables: tablesOf(webToApp(8081), inventory, reader) }, inventory, { scope });
    const units: string[] = [];
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return { units, impact: step.value };
      units.push(step.value.unit);
    }
  };

  it("prepares in steps, then compares the changed flows' pairs a step each: the first reach of a host is slow on a large one", () => {
    const { units, impact } = progressOf(tiers(3), 'changed-flows');
    expect(impact.stats.pairsCompared).toBeGreaterThan(0);
    expect(units.filter((u) => u === 'preparation steps').length).toBeGreaterThanOrEqual(2);
    expect(units.filter((u) => u === 'address pairs').length).toBeGreaterThanOrEqual(impact.stats.pairsCompared);
  });

  it('counts the address pairs of two large classes into the entries in steps, not in one', () => {
    const { units, impact } = progressOf(tiers(64), 'every-pair');
    expect(impact.entries.find((e) => e.from === 'web' && e.to === 'app')?.pairs).toBe(64 * 64);
    expect(units).toContain('class pairs');
  });
});
