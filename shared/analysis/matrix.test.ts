import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory } from '../inventory/model';
import type { Edge, Policy } from '../policy/model';
import { addressBits } from '../simulator/address-bits';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables, type PathResult } from '../simulator/path';
import { scenarioArbitrary, type Probe, type Scenario } from '../simulator/testing/random-scenario';
import { addressKey } from '../simulator/table-index';
import { changeImpact } from './impact';
import { FlowSignatures } from './flow-signatures';
import { HostReach, PROBE_SOURCE_PORT } from './host-reach';
import { matrixSteps, ReachabilityAnalysis, reachabilityMatrix } from './matrix';
import { formatMatrixCsv, formatMatrixText } from './matrix-format';
import { pairReach, type PairReach } from './reach';
import { formatServices, serviceSetOf, type ServiceProtocol, type ServiceSet } from './service-set';

const RUNS = 120;

function tablesOf(policy: Policy, inventory: Inventory): HostFlowTables {
  const compiled = compilePolicy(policy, inventory);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loadHostTables(compiled.hosts);
}

/** The dimension and value of the service set a probe falls in. */
function serviceOf(p: Probe): [ServiceProtocol, number] {
  if (p.protocol === 'icmp') return ['icmp', p.icmpType ?? 0];
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
    p.protocol === 'icmp' ? { protocol: 'icmp' as const, icmpType: value, icmpCode: 0 }
    : p.protocol === 'other' ? { protocol: 'other' as const, ipProto: 47 }
    : { protocol: p.protocol, srcPort: PROBE_SOURCE_PORT, dstPort: value };
  return simulatePath(tables, p.from, p.to, probe, 'new', { hostOf: addressHosts(s.inventory.workloads) });
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
    const cell = (from: string, to: string) => matrix.cells[matrix.groups.indexOf(from)]![matrix.groups.indexOf(to)]!;
    expect(formatServices(cell('web', 'app').always)).toBe('tcp/8080-8090');
    // Only web-2 is in prod, so udp/53 holds for some web members only.
    expect(formatServices(cell('web', 'app').sometimes)).toBe('udp/53');
    expect(formatServices(cell('app', 'db').always)).toBe('tcp/5432');
    expect(formatServices(cell('world', 'web').always)).toBe('tcp/443');
    expect(formatServices(cell('db', 'app').always)).toBe('none');
    expect(formatServices(cell('web', 'web').always)).toBe('any');
    expect(cell('web', 'web').pairs).toBe(2);
    expect(formatMatrixText(matrix)).toContain('web → app: tcp/8080-8090; some pairs only: udp/53');
    expect(formatMatrixCsv(matrix).split('\n')[0]).toBe('from,to,always,sometimes,redirected,pairs');
    expect(matrix.workloads?.names).toEqual(['app-1', 'db-1', 'web-1', 'web-2']);
  });

  it('runs in steps of a few dozen class pairs, counting group cells, to the same matrix', () => {
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
    expect(reports.every((r, i) => r.unit === 'group cells' && r.total === 26 && r.done <= r.total && (i === 0 || r.done >= reports[i - 1]!.done))).toBe(true);
    expect(next.value).toEqual(reachabilityMatrix(policy, many, tables));
  });

  it('sees addresses the tables name one by one outside the inventory: a DNS resolver on the internet', () => {
    const withResolver: Policy = { ...policy, infrastructure: { dhcp: false, dnsResolvers: ['8.8.8.8'] } };
    const matrix = reachabilityMatrix(withResolver, inventory, tablesOf(withResolver, inventory));
    const cell = matrix.cells[matrix.groups.indexOf('app')]![matrix.groups.indexOf('world')]!;
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
    expect(matrix.cells[matrix.groups.indexOf('web')]![matrix.groups.indexOf('web')]!.pairs).toBe(2);
    expect(matrix.workloads?.names).toEqual(['app-1', 'db-1', 'web-1', 'web-2']);
  });

  it('reports exactly the pairs and services a one-edge change opens and closes', () => {
    const changed: Policy = { ...policy, edges: edges.map((e) => (e.id === 'app-db' ? { ...e, services: [{ protocol: 'tcp', ports: { from: 5433, to: 5433 } }] } : e)) };
    const impact = changeImpact({ policy, tables: tablesOf(policy, inventory) }, { policy: changed, tables: tablesOf(changed, inventory) }, inventory);
    expect(impact.entries.map((e) => `${e.from}→${e.to} +${formatServices(e.newlyPermitted)} -${formatServices(e.newlyBlocked)}`)).toEqual([
      'app→db +tcp/5433 -tcp/5432',
    ]);
    expect(impact.entries[0]!.example).toEqual({ from: 'app-1', to: 'db-1' });
  });
});

describe('reachability agrees with the simulator, packet by packet (property)', () => {
  it(`gives every random probe the verdict simulatePath gives it (${RUNS} runs)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(scenarioArbitrary(), (s) => {
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

