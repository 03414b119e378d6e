import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { qualifiedName, type Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import type { Edge, Policy } from '../policy/model';
import { HONEYPOT_PRIORITY } from '../compiler/pipeline';
import { addressBits } from '../simulator/address-bits';
import type { SimFlow } from '../simulator/flow-model';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables, type PathResult } from '../simulator/path';
import { scenarioArbitrary, type Probe, type Scenario } from '../simulator/testing/random-scenario';
import { addressKey } from '../simulator/table-index';
import { ReachabilityAnalysis } from './class-reach';
import { withoutInfrastructurePasses } from './infrastructure-passes';
import { endpointLabel, sameParty, type MatrixEndpoint } from './endpoints';
import { changeImpact } from './impact';
import { FlowSignatures } from './flow-signatures';
import { HostReach, PROBE_SOURCE_PORT } from './host-reach';
import { matrixSteps, reachabilityMatrix, type MatrixCell, type ReachabilityMatrix } from './matrix';
import { matrixCsvChunks, matrixTextLines, openCells } from './matrix-format';
import { memberPairCount, MemberPairCounter, outsidePairCount } from './matrix-grid';
import { allGroupCells } from './testing/matrix-cells';
import { pairReach, type PairReach } from './reach';
import { formatServices, icmpValue, intersectServices, NO_SERVICES, serviceSetOf, subtractServices, unionServices, type ServiceProtocol, type ServiceSet } from './service-set';

const RUNS = Number(process.env.MATRIX_RUNS ?? 120);

function tablesOf(policy: Policy, inventory: Inventory): HostFlowTables {
  const compiled = compilePolicy(policy, inventory);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loadHostTables(compiled.hosts);
}

/** The dimension and value of the service set a probe falls in. */
function serviceOf(p: Probe): [ServiceProtocol, number] {
  if (p.protocol === 'icmp') return ['icmp', icmpValue(p.icmpType ?? 0, p.icmpCode ?? 0)];
  if (p.protocol === 'other') return ['other', 47];
  return [p.protocol, p.dstPort ?? 0];
}

function holds(set: ServiceSet, [protocol, value]: [ServiceProtocol, number]): boolean {
  return set[protocol].some(([from, to]) => from <= value && value <= to);
}

/** What the reach says about one probe, in the simulator's words. */
function reachSays(reach: PairReach, service: [ServiceProtocol, number]): string {
  if (holds(reach.permitted, service)) return 'permitted';
  const honeypot = reach.redirected.find((r) => holds(r.services, service));
  return honeypot ? `redirected to ${honeypot.to}` : 'dropped';
}

function pathSays(path: PathResult): string {
  return path.verdict === 'redirected' ? `redirected to ${path.redirectedTo ?? '?'}` : path.verdict;
}

function simulate(tables: HostFlowTables, s: Scenario, p: Probe): PathResult {
  const [, value] = serviceOf(p);
  const probe =
    p.protocol === 'icmp' ? { protocol: 'icmp' as const, icmpType: p.icmpType ?? 0, icmpCode: p.icmpCode ?? 0 }
    : p.protocol === 'other' ? { protocol: 'other' as const, ipProto: 47 }
    : { protocol: p.protocol, srcPort: PROBE_SOURCE_PORT, dstPort: value };
  // The matrix says what the policy lets open: an ICMP reply or error as its type, not as conntrack's invalid.
  return simulatePath(tables, p.from, p.to, probe, 'new', { hostOf: addressHosts(s.inventory.workloads), everyFirstPacketOpens: true });
}

describe('service sets', () => {
  it('unite, subtract and print as the policy file writes services', () => {
    const web = serviceSetOf({ tcp: [[80, 80], [443, 443]] });
    expect(formatServices(web)).toBe('tcp/80, tcp/443');
    expect(formatServices(serviceSetOf({ tcp: [[8000, 8010], [8011, 8020]], udp: [[0, 65535]] }))).toBe('tcp/8000-8020, udp');
    expect(formatServices(serviceSetOf({}))).toBe('none');
  });
});

describe('reachability matrix', () => {
  const inventory: Inventory = {
    readAt: '2026-01-01T00:00:00Z',
    workloads: [
      { id: 's/web-1', name: 'web-1', host: 'h1', addresses: ['10.0.0.1'], labels: { tier: 'web' }, origin: { kind: 'static', source: 's' } },
      { id: 's/web-2', name: 'web-2', host: 'h2', addresses: ['10.0.0.2'], labels: { tier: 'web', env: 'prod' }, origin: { kind: 'static', source: 's' } },
      { id: 's/app-1', name: 'app-1', host: 'h2', addresses: ['10.0.0.3'], labels: { tier: 'app' }, origin: { kind: 'static', source: 's' } },
      { id: 's/db-1', name: 'db-1', host: 'h1', addresses: ['10.0.0.4'], labels: { tier: 'db' }, origin: { kind: 'static', source: 's' } },
    ],
  };
  const edges: Edge[] = [
    { id: 'web-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8090 } }], action: 'allow' },
    { id: 'prod-app', from: 'prod', to: 'app', services: [{ protocol: 'udp', ports: { from: 53, to: 53 } }], action: 'allow' },
    { id: 'app-db', from: 'app', to: 'db', services: [{ protocol: 'tcp', ports: { from: 5432, to: 5432 } }], action: 'allow' },
    { id: 'world-web', from: 'world', to: 'web', services: [{ protocol: 'tcp', ports: { from: 443, to: 443 } }], action: 'allow' },
  ];
  const policy: Policy = {
    apiVersion: 'microseg.dev/v1',
    name: 't',
    revision: 1,
    defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
    groups: [
      { name: 'web', selector: { labels: 'tier=web' } },
      { name: 'prod', selector: { labels: 'env=prod' } },
      { name: 'app', selector: { labels: 'tier=app' } },
      { name: 'db', selector: { labels: 'tier=db' } },
      { name: 'world', selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] } },
    ],
    edges,
  };

  it('says which services each group may open to each other group, for all or only some member pairs', () => {
    const matrix = reachabilityMatrix(policy, inventory, tablesOf(policy, inventory));
    const cell = (from: string, to: string) => allGroupCells(matrix)[matrix.groups.indexOf(from)]![matrix.groups.indexOf(to)]!;
    expect(formatServices(cell('web', 'app').always)).toBe('tcp/8080-8090');
    // Only web-2 is in prod, so udp/53 holds for some web members only.
    expect(formatServices(cell('web', 'app').sometimes)).toBe('udp/53');
    expect(formatServices(cell('app', 'db').always)).toBe('tcp/5432');
    expect(formatServices(cell('world', 'web').always)).toBe('tcp/443');
    expect(formatServices(cell('db', 'app').always)).toBe('none');
    expect(formatServices(cell('web', 'web').always)).toBe('any');
    expect(cell('web', 'web').pairs).toBe(2);
    expect([...matrixTextLines(matrix)]).toContain('web → app: tcp/8080-8090; some pairs only: udp/53');
    expect([...matrixCsvChunks(matrix)][0]).toBe('from,to,always,sometimes,redirected,pairs');
    expect(matrix.workloads?.names).toEqual(['app-1', 'db-1', 'web-1', 'web-2']);
  });

  it('groups its counts by thousands in the text, as replay does', () => {
    const many: Policy = { ...policy, edges: [], groups: Array.from({ length: 40 }, (_, i) => ({ name: `g${String(i).padStart(2, '0')}`, selector: { labels: 'tier=web' } })) };
    const lines = [...matrixTextLines(reachabilityMatrix(many, inventory, tablesOf(many, inventory)))];
    expect(lines.find((l) => l.includes('ordered pairs'))).toMatch(/^40 groups; [\d,]+ of 1,600 ordered pairs permit nothing\.$/);
  });

  it('counts a group cell’s pairs as address pairs, the same in the panel, the CSV and the JSON: 2 and 2 dual-stack workloads make 8', () => {
    const dual = (name: string, n: number, tier: string): Inventory['workloads'][number] => ({ id: `s/${name}`, name, host: `h${n % 2}`, addresses: [`10.0.0.${n}`, `fd00::${n}`], labels: { tier }, origin: { kind: 'static', source: 's' } });
    const dualStack: Inventory = { readAt: 'x', workloads: [dual('web-1', 1, 'web'), dual('web-2', 2, 'web'), dual('app-1', 3, 'app'), dual('app-2', 4, 'app')] };
    const matrix = reachabilityMatrix(policy, dualStack, tablesOf(policy, dualStack));
    const [web, app] = [matrix.groups.indexOf('web'), matrix.groups.indexOf('app')];

    expect(memberPairCount(matrix.members, web, app)).toBe(8);
    expect(new MemberPairCounter(matrix.members).count(web, app)).toBe(8);
    expect([...matrixCsvChunks(matrix)].join('\n').split('\n')).toContain('web,app,tcp/8080-8090,,,8');
    expect(openCells(matrix).find((c) => c.from === 'web' && c.to === 'app')?.pairs).toBe(8);
    // The workload grid's cell is one pair of workloads, over both families.
    const workloads = matrix.workloads!;
    expect(workloads.cells[workloads.names.indexOf('web-1')]![workloads.names.indexOf('app-1')]!.pairs).toBe(1);
  });

  it('counts no pair between two workloads without an address family in common, in the workload grid as in the group cell', () => {
    const only = (name: string, address: string): Inventory['workloads'][number] => ({ id: `s/${name}`, name, host: 'h1', addresses: [address], labels: { tier: 'web' }, origin: { kind: 'static', source: 's' } });
    const split: Inventory = { readAt: 'x', workloads: [only('web-4', '10.0.0.4'), only('web-6', 'fd00::6')] };
    const matrix = reachabilityMatrix(policy, split, tablesOf(policy, split));
    const web = matrix.groups.indexOf('web');
    expect(memberPairCount(matrix.members, web, web)).toBe(0);
    // No connection runs between them (trace says so), so the grid shows no member pair, not a closed one.
    const workloads = matrix.workloads!;
    expect(workloads.cells[workloads.names.indexOf('web-4')]![workloads.names.indexOf('web-6')]!.pairs).toBe(0);
  });

  // A tester's defect: with web-1 alone in web, `web → web: any` showed web-1's connections
  // between its own two addresses, which trace refuses as connections to itself.
  it('counts no pair between two addresses of one workload, in the cell, its count, its example and the text', () => {
    const workload = (name: string, host: string, addresses: string[], tier: string): Inventory['workloads'][number] => ({ id: `s/${name}`, name, host, addresses, labels: { tier }, origin: { kind: 'static', source: 's' } });
    const dualHomed: Inventory = { readAt: 'x', workloads: [workload('web-1', 'h1', ['10.0.1.1', '10.0.1.2'], 'web'), workload('app-1', 'h2', ['10.0.2.1'], 'app')] };
    const webToApp: Policy = { ...policy, groups: policy.groups.filter((g) => g.name === 'web' || g.name === 'app'), edges: [edges[0]!] };
    const matrix = reachabilityMatrix(webToApp, dualHomed, tablesOf(webToApp, dualHomed));
    const [web, app] = [matrix.groups.indexOf('web'), matrix.groups.indexOf('app')];

    expect(allGroupCells(matrix)[web]![web]).toEqual({ always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 0, outsidePairs: 0 });
    expect(memberPairCount(matrix.members, web, web)).toBe(0);
    expect(new MemberPairCounter(matrix.members).count(web, web)).toBe(0);
    expect(allGroupCells(matrix)[web]![app]).toMatchObject({ pairs: 2, example: { from: '10.0.1.1', to: 'app-1' } });
    expect([...matrixTextLines(matrix)].filter((line) => line.startsWith('web → web'))).toEqual([]);
  });

  it("keeps a workload's pairs among its own addresses out of a cell's services, though rules name them: always is what every other pair opens", () => {
    // web-2 may open tcp/80 to web-1's second address; web-1's first address may not (a deny
    // edge between two one-address groups), but that is web-1 with itself.
    const workload = (name: string, host: string, addresses: string[]): Inventory['workloads'][number] => ({ id: `s/${name}`, name, host, addresses, labels: { tier: 'web' }, origin: { kind: 'static', source: 's' } });
    const dualHomed: Inventory = { readAt: 'x', workloads: [workload('web-1', 'h1', ['10.0.1.1', '10.0.1.2']), workload('web-2', 'h2', ['10.0.1.3'])] };
    const tcp80 = [{ protocol: 'tcp' as const, ports: { from: 80, to: 80 } }];
    const split: Policy = {
      ...policy,
      defaults: { withinGroup: 'drop', betweenGroups: 'drop' },
      groups: [{ name: 'web', selector: { labels: 'tier=web' } }, { name: 'one', selector: { cidrs: ['10.0.1.1/32'] } }, { name: 'two', selector: { cidrs: ['10.0.1.2/32'] } }],
      edges: [
        { id: 'web-two', from: 'web', to: 'two', services: tcp80, action: 'allow' },
        { id: 'one-two', from: 'one', to: 'two', services: tcp80, action: 'deny' },
      ],
    };
    const tables = tablesOf(split, dualHomed);
    const matrix = reachabilityMatrix(split, dualHomed, tables);
    const cell = (from: string, to: string): MatrixCell => allGroupCells(matrix)[matrix.groups.indexOf(from)]![matrix.groups.indexOf(to)]!;

    expect(cell('web', 'two')).toMatchObject({ pairs: 1, example: { from: 'web-2', to: '10.0.1.2' } });
    expect(formatServices(cell('web', 'two').always)).toBe('tcp/80');
    expect(formatServices(cell('web', 'two').sometimes)).toBe('none');
    expect(cell('one', 'two').pairs).toBe(0);
    expect(allGroupCells(matrix).map((row) => row.map(withoutExample))).toEqual(referenceMatrix(split, dualHomed, tables).cells);
  });

  it('counts a workload address with an address block group’s outside addresses as one pair, however the exceptions split the space', () => {
    // Three exceptions cut 0.0.0.0/0 into dozens of stretches, each an outside member of its own.
    const internet = { name: 'world', selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } };
    const carved: Policy = { ...policy, groups: policy.groups.map((g) => (g.name === 'world' ? internet : g)) };
    const matrix = reachabilityMatrix(carved, inventory, tablesOf(carved, inventory));
    const [world, web] = [matrix.groups.indexOf('world'), matrix.groups.indexOf('web')];
    expect(matrix.members.byGroup[world]!.length).toBeGreaterThan(10);

    // web-1 and web-2, each from the world's outside addresses: 2 pairs, both of them with the outside.
    expect(memberPairCount(matrix.members, world, web)).toBe(2);
    expect(outsidePairCount(matrix.members, web, world)).toBe(2);
    // The example's outside end is a host address in public space, not 0.0.0.0.
    expect(allGroupCells(matrix)[world]![web]).toMatchObject({ pairs: 2, outsidePairs: 2, example: { from: '1.0.0.1', to: 'web-1' } });
    expect([...matrixCsvChunks(matrix)].join('\n').split('\n')).toContain('world,web,tcp/443,,,2');
    expect(openCells(matrix).find((c) => c.from === 'world' && c.to === 'web')).toMatchObject({ pairs: 2, outsidePairs: 2 });
    // Between workloads nothing changes: web-1 and web-2 with each other, none with the outside.
    expect(allGroupCells(matrix)[web]![web]).toMatchObject({ pairs: 2, outsidePairs: 0 });
  });

  it('runs in steps, counting hosts, then source addresses, then address classes, then group cells, to the same matrix', () => {
    // Sixty workloads on twelve hosts: enough class pairs for several steps. 25 group cells and
    // the workload grid (sixty is still small enough for one).
    const many: Inventory = {
      readAt: 'x',
      workloads: Array.from({ length: 60 }, (_, i) => ({
        id: `s/w${i}`,
        name: `w${i}`,
        host: `h${i % 12}`,
        addresses: [`10.0.${Math.floor(i / 200)}.${(i % 200) + 10}`],
        labels: { tier: ['web', 'app', 'db'][i % 3]!, ...(i % 4 === 0 ? { env: 'prod' } : {}) },
        origin: { kind: 'static' as const, source: 's' },
      })),
    };
    const tables = tablesOf(policy, many);
    const steps = matrixSteps(policy, many, tables);
    const reports: { done: number; total: number; unit: string }[] = [];
    let next = steps.next();
    for (; !next.done; next = steps.next()) reports.push(next.value);
    expect(reports.length).toBeGreaterThan(3);
    const cellReports = reports.filter((r) => r.unit === 'group cells');
    expect(cellReports.length).toBe(5);
    expect(reports.every((r, i) => ['hosts', 'source addresses', 'address classes', 'group cells'].includes(r.unit) && r.done <= r.total && (i === 0 || r.unit !== reports[i - 1]!.unit || r.done >= reports[i - 1]!.done))).toBe(true);
    expect(cellReports.every((r) => r.total === 26)).toBe(true);
    expect(next.value).toEqual(reachabilityMatrix(policy, many, tables));
  });

  it('sees addresses the tables name one by one outside the inventory: a DNS resolver on the internet', () => {
    const withResolver: Policy = { ...policy, infrastructure: { dhcp: false, dnsResolvers: ['8.8.8.8'] } };
    const matrix = reachabilityMatrix(withResolver, inventory, tablesOf(withResolver, inventory));
    const cell = allGroupCells(matrix)[matrix.groups.indexOf('app')]![matrix.groups.indexOf('world')]!;
    expect(formatServices(cell.sometimes)).toBe('tcp/53, udp/53');
    const impact = changeImpact({ policy, tables: tablesOf(policy, inventory) }, { policy: withResolver, tables: tablesOf(withResolver, inventory) }, inventory);
    expect(impact.entries.map((e) => `${e.from}→${e.to} +${formatServices(e.newlyPermitted)} e.g. ${e.example.to}`)).toContain('app→world +tcp/53, udp/53 e.g. 8.8.8.8');
  });

  it('leaves out workloads that take no part (no host or no address), as the compiler does', () => {
    const withPending: Inventory = {
      ...inventory,
      workloads: [
        ...inventory.workloads,
        { id: 's/pending', name: 'pending', host: '', addresses: [], labels: { tier: 'web' }, origin: { kind: 'static', source: 's' } },
        { id: 's/unscheduled', name: 'unscheduled', host: '', addresses: ['10.0.0.9'], labels: { tier: 'web' }, origin: { kind: 'static', source: 's' } },
      ],
    };
    const matrix = reachabilityMatrix(policy, withPending, tablesOf(policy, withPending));
    expect(allGroupCells(matrix)[matrix.groups.indexOf('web')]![matrix.groups.indexOf('web')]!.pairs).toBe(2);
    expect(matrix.workloads?.names).toEqual(['app-1', 'db-1', 'web-1', 'web-2']);
  });

  it('reports exactly the pairs and services a one-edge change opens and closes', () => {
    const changed: Policy = { ...policy, edges: edges.map((e) => (e.id === 'app-db' ? { ...e, services: [{ protocol: 'tcp', ports: { from: 5433, to: 5433 } }] } : e)) };
    const impact = changeImpact({ policy, tables: tablesOf(policy, inventory) }, { policy: changed, tables: tablesOf(changed, inventory) }, inventory);
    expect(impact.entries.map((e) => `${e.from}→${e.to} +${formatServices(e.newlyPermitted)} -${formatServices(e.newlyBlocked)}`)).toEqual([
      'app→db +tcp/5433 -tcp/5432',
    ]);
    expect(impact.entries[0]!.example).toEqual({ from: 'app-1', to: 'db-1', service: 'tcp/5432' });
  });
});

describe('reachability agrees with the simulator, packet by packet (property)', () => {
  it(`gives every random probe the verdict simulatePath gives it (${RUNS} runs)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(scenarioArbitrary({ dualHomed: true }), (s) => {
        const tables = tablesOf(s.policy, s.inventory);
        const analysis = ReachabilityAnalysis.of(s.policy, s.inventory, tables);
        const byAddress = new Map(analysis.endpoints.map((e) => [addressKey(e.address), e]));
        const direct = new HostReach(tables, new FlowSignatures(tables));
        const hostOf = addressHosts(s.inventory.workloads);
        for (const p of s.probes) {
          const path = simulate(tables, s, p);
          if (!path.enforced) continue;
          const src = byAddress.get(addressKey(addressBits(p.from.address)!));
          const dst = byAddress.get(addressKey(addressBits(p.to.address)!));
          // Between two known endpoints the class representatives answer; otherwise the pair itself.
          const reach =
            src && dst && src !== dst ? analysis.reach(src, dst)
            : pairReach(direct, hostOf, { address: addressBits(p.from.address)!, ...(p.from.host ? { host: p.from.host } : {}) }, { address: addressBits(p.to.address)!, ...(p.to.host ? { host: p.to.host } : {}) });
          const service = serviceOf(p);
          compared++;
          if (reachSays(reach, service) !== pathSays(path))
            throw new Error(`${p.from.address} → ${p.to.address} ${service.join('/')}: matrix says ${reachSays(reach, service)}, simulator ${pathSays(path)}\n${JSON.stringify({ policy: s.policy, workloads: s.inventory.workloads })}`);
        }
      }),
      { numRuns: RUNS },
    );
    console.info(`matrix-vs-simulator: ${compared} probes compared`);
    expect(compared).toBeGreaterThan(RUNS * 5);
  });
});


/**
 * The matrix as the per-pair engine gives it, pair by pair: every pair of members of two
 * parties (not one workload's addresses) of one family with a switch on their path, reached through ReachabilityAnalysis (itself held
 * to simulatePath above) on the tables as the matrix reads them, without what passes every pair
 * before the policy. Examples are left out: any pair of the cell will do.
 */
function referenceMatrix(policy: Policy, inventory: Inventory, tables: HostFlowTables): Pick<ReachabilityMatrix, 'groups' | 'workloads'> & { cells: MatrixCell[][] } {
  const analysis = ReachabilityAnalysis.of(policy, inventory, withoutInfrastructurePasses(tables).tables);
  const groups = policy.groups.map((g) => g.name).sort((a, b) => a.localeCompare(b));
  const members = (g: string): MatrixEndpoint[] => analysis.endpoints.filter((e) => e.groups.includes(g));
  const cells = groups.map((from) =>
    groups.map((to): MatrixCell => {
      let always: ServiceSet | null = null;
      let any = NO_SERVICES;
      let redirected = NO_SERVICES;
      let pairs = 0;
      // A workload address meets a group's outside addresses as one end, however many stand in for them.
      const withOutside = new Set<string>();
      for (const s of members(from))
        for (const d of members(to)) {
          if (sameParty(s, d) || s.address.family !== d.address.family || (s.host === undefined && d.host === undefined)) continue;
          if (s.host === undefined) withOutside.add(`to ${d.text}`);
          else if (d.host === undefined) withOutside.add(`from ${s.text}`);
          else pairs++;
          const reach = analysis.reach(s, d);
          always = always ? intersectServices(always, reach.permitted) : reach.permitted;
          any = unionServices(any, reach.permitted);
          for (const r of reach.redirected) redirected = unionServices(redirected, r.services);
        }
      return { always: always ?? NO_SERVICES, sometimes: subtractServices(any, always ?? NO_SERVICES), redirected, pairs: pairs + withOutside.size, outsidePairs: withOutside.size };
    }),
  );
  const workloads = inventory.workloads.filter(takesPart).sort((a, b) => a.name.localeCompare(b.name));
  const endpointsOf = (id: string): MatrixEndpoint[] => analysis.endpoints.filter((e) => e.workload?.id === id);
  const workloadCells = workloads.map((from) =>
    workloads.map((to): MatrixCell => {
      const cell: MatrixCell = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 0, outsidePairs: 0 };
      if (from.id === to.id) return cell;
      for (const s of endpointsOf(from.id))
        for (const d of endpointsOf(to.id)) {
          if (s.address.family !== d.address.family) continue;
          cell.pairs = 1;
          const reach = analysis.reach(s, d);
          cell.always = unionServices(cell.always, reach.permitted);
          for (const r of reach.redirected) cell.redirected = unionServices(cell.redirected, r.services);
        }
      return cell;
    }),
  );
  return { groups, cells, workloads: { names: workloads.map(qualifiedName), cells: workloadCells } };
}

function withoutExample(cell: MatrixCell): MatrixCell {
  const copy = { ...cell };
  delete copy.example;
  return copy;
}

describe('the matrix counted per rule agrees with the per-pair engine (property)', () => {
  it(`gives every group cell and workload cell of random policies the same services and pairs (${RUNS} runs)`, () => {
    let cells = 0;
    fc.assert(
      fc.property(scenarioArbitrary({ probes: { min: 0, max: 0 }, dualHomed: true }), (s) => {
        const tables = tablesOf(s.policy, s.inventory);
        const matrix = reachabilityMatrix(s.policy, s.inventory, tables);
        const reference = referenceMatrix(s.policy, s.inventory, tables);
        const analysis = ReachabilityAnalysis.of(s.policy, s.inventory, tables);
        const labels = new Set(analysis.endpoints.map(endpointLabel));
        const all = allGroupCells(matrix);
        const counter = new MemberPairCounter(matrix.members);
        matrix.groups.forEach((_, i) =>
          matrix.groups.forEach((__, j) => {
            expect(counter.count(i, j)).toBe(memberPairCount(matrix.members, i, j));
            expect(counter.outside(i, j)).toBe(outsidePairCount(matrix.members, i, j));
          }),
        );
        for (const row of all)
          for (const cell of row) {
            cells++;
            // An example is one pair of the cell's members, named as trace accepts them.
            if (cell.pairs > 0) expect(cell.example && labels.has(cell.example.from) && labels.has(cell.example.to)).toBe(true);
            else expect(cell.example).toBeUndefined();
          }
        const withoutExamples = all.map((row) => row.map(withoutExample));
        const failure = `\n${JSON.stringify({ policy: s.policy, workloads: s.inventory.workloads })}`;
        expect(withoutExamples, failure).toEqual(reference.cells);
        expect(matrix.workloads, failure).toEqual(reference.workloads);
      }),
      { numRuns: RUNS },
    );
    expect(cells).toBeGreaterThan(RUNS * 4);
  });
});

/**
 * Tables the compiler never writes, so that what it always writes alike cannot hide a
 * mistake: one table's band of one priority moved onto another band that holds conjunctions
 * (conjunctions with different verdicts at one level), and a host's honeypot acceptance gone
 * (a redirected connection then meets the honeypot host's rules).
 */
function mutatedTables(tables: HostFlowTables, pick: { band: number; onto: number; host: number }): HostFlowTables {
  const hosts = [...tables.keys()];
  const withoutAcceptance = hosts[pick.host % hosts.length];
  const out = new Map<string, Map<number, SimFlow[]>>();
  for (const [host, byTable] of tables) {
    const mutated = new Map<number, SimFlow[]>();
    for (const [table, flows] of byTable) {
      const levels = [...new Set(flows.filter((f) => f.actions.some((a) => a.kind === 'conjunction')).map((f) => f.priority))].sort((a, b) => a - b);
      const from = levels[pick.band % Math.max(1, levels.length)];
      const onto = levels[pick.onto % Math.max(1, levels.length)];
      mutated.set(
        table,
        flows
          .filter((f) => !(host === withoutAcceptance && f.priority === HONEYPOT_PRIORITY))
          .map((f) => (f.priority === from && onto !== undefined ? { ...f, text: f.text, priority: onto } : f)),
      );
    }
    out.set(host, mutated);
  }
  return out;
}

describe('the matrix counted per rule agrees with the per-pair engine on tables the compiler never writes (property)', () => {
  it('tells apart sources whose redirected connections meet different rules at the honeypot', () => {
    // a1 and a2 look alike on their host (a deny rule each, same band); only a1 has a rule
    // towards the honeypot, which counts once the honeypot host no longer accepts everything.
    const workload = (name: string, host: string, address: string): Inventory['workloads'][number] => ({
      id: `s/${name}`,
      name,
      host,
      addresses: [address],
      mac: `02:00:00:00:00:${address.split('.').at(-1)!.padStart(2, '0')}`,
      labels: { role: name },
      origin: { kind: 'static', source: 's' },
    });
    // d sits beside the honeypot and looks like it there (a deny rule towards each, same band):
    // a1's pairs with d are redirected into a1's rule at the honeypot, its pair with the
    // honeypot itself is not redirected at all.
    const inventory: Inventory = {
      readAt: 'x',
      workloads: [workload('a1', 'h1', '10.0.0.11'), workload('a2', 'h1', '10.0.0.12'), workload('hp', 'h2', '10.0.0.20'), workload('d', 'h2', '10.0.0.21'), workload('c', 'h3', '10.0.0.30')],
    };
    const group = (name: string): Policy['groups'][number] => ({ name, selector: { labels: `role=${name}` } });
    const policy: Policy = {
      apiVersion: 'microseg.dev/v1',
      name: 't',
      revision: 1,
      defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'hp' },
      groups: ['a1', 'a2', 'hp', 'd', 'c'].map(group),
      edges: [
        { id: 'a1-hp', from: 'a1', to: 'hp', services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'deny' },
        { id: 'a2-c', from: 'a2', to: 'c', services: [{ protocol: 'udp', ports: { from: 53, to: 53 } }], action: 'deny' },
        { id: 'a2-d', from: 'a2', to: 'd', services: [{ protocol: 'tcp', ports: { from: 81, to: 81 } }], action: 'deny' },
      ],
    };
    const tables = mutatedTables(tablesOf(policy, inventory), { band: 0, onto: 0, host: 1 });
    const matrix = reachabilityMatrix(policy, inventory, tables);
    const cell = (from: string, to: string): MatrixCell => allGroupCells(matrix)[matrix.groups.indexOf(from)]![matrix.groups.indexOf(to)]!;
    // a1's connections to tcp/80 are sent to the honeypot and dropped there; a2's deny is its own.
    expect(formatServices(subtractServices(cell('a2', 'c').redirected, cell('a1', 'c').redirected))).toBe('tcp/80');
    expect(formatServices(subtractServices(cell('a1', 'c').redirected, cell('a2', 'c').redirected))).toBe('udp/53');
    expect(formatServices(subtractServices(cell('a2', 'd').redirected, cell('a1', 'd').redirected))).toBe('tcp/80');
    expect(formatServices(subtractServices(cell('a1', 'd').redirected, cell('a2', 'd').redirected))).toBe('tcp/81');
    expect(allGroupCells(matrix).map((row) => row.map(withoutExample))).toEqual(referenceMatrix(policy, inventory, tables).cells);
  });

  it(`gives every group cell the same services and pairs (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(scenarioArbitrary({ probes: { min: 0, max: 0 }, dualHomed: true }), fc.record({ band: fc.nat(), onto: fc.nat(), host: fc.nat() }), (s, pick) => {
        const tables = mutatedTables(tablesOf(s.policy, s.inventory), pick);
        const matrix = reachabilityMatrix(s.policy, s.inventory, tables);
        const reference = referenceMatrix(s.policy, s.inventory, tables);
        const failure = `\n${JSON.stringify({ pick, policy: s.policy, workloads: s.inventory.workloads })}`;
        expect(allGroupCells(matrix).map((row) => row.map(withoutExample)), failure).toEqual(reference.cells);
        expect(matrix.workloads, failure).toEqual(reference.workloads);
      }),
      { numRuns: RUNS },
    );
  });
});
