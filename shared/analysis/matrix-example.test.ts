import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory } from '../inventory/model';
import type { Edge, Policy } from '../policy/model';
import { resolveEndpoints } from '../simulator/endpoints';
import { echoRequestType } from '../simulator/packet';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables, type PathProbe } from '../simulator/path';
import { VerdictEngine } from '../simulator/verdict-engine';
import { reachabilityMatrix } from './matrix';
import {
  checkedExamples,
  EXAMPLE_TRACE_LIMIT,
  exampleGoal,
  type CellPlace,
  findExample,
  pairsToTry,
  type ExampleGoal,
  type NamedPair,
} from './matrix-example';
import { cellServicesAt, examplePair, type CellServices } from './matrix-grid';
import { formatServices, icmpValue, NO_SERVICES, SERVICE_DOMAIN, serviceSetOf, type ServiceSet } from './service-set';

const workload = (
  name: string,
  host: string,
  address: string,
  labels: Record<string, string>,
): Inventory['workloads'][number] => ({
  id: `s/${name}`,
  name,
  host,
  addresses: [address],
  labels,
  origin: { kind: 'static', source: 's' },
});

// web-1 comes first in address order but only web-2 is in prod, and only prod may open udp/53 to
// app (and only web-2 has tcp/22 redirected to the honeypot): the cell web → app opens and
// redirects those for some member pairs only, and not for the first.
const inventory: Inventory = {
  readAt: '2026-01-01T00:00:00Z',
  workloads: [
    workload('web-1', 'h1', '10.0.0.1', { tier: 'web' }),
    workload('web-3', 'h1', '10.0.0.2', { tier: 'web' }),
    workload('web-2', 'h2', '10.0.0.5', { tier: 'web', env: 'prod' }),
    workload('app-1', 'h2', '10.0.0.3', { tier: 'app' }),
    workload('app-2', 'h1', '10.0.0.4', { tier: 'app' }),
    { ...workload('trap', 'h1', '10.0.0.9', { tier: 'trap' }), mac: '02:00:00:00:00:09' },
  ],
};
const edges: Edge[] = [
  {
    id: 'prod-app',
    from: 'prod',
    to: 'app',
    services: [{ protocol: 'udp', ports: { from: 53, to: 53 } }],
    action: 'allow',
  },
  {
    id: 'prod-ssh',
    from: 'prod',
    to: 'app',
    services: [{ protocol: 'tcp', ports: { from: 22, to: 22 } }],
    action: 'redirect',
    redirectTo: 'trap',
  },
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
    { name: 'trap', selector: { labels: 'tier=trap' } },
  ],
  edges,
};

function tablesOf(): HostFlowTables {
  const compiled = compilePolicy(policy, inventory);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loadHostTables(compiled.hosts);
}

/** The verdict the Trace tab gets for a pair named as the cell names it: the same resolution and simulator. */
function tracer(
  tables: HostFlowTables,
  goal: ExampleGoal,
  traced: NamedPair[],
): (pair: NamedPair) => Promise<ExampleGoal['verdict']> {
  return (pair) => {
    traced.push(pair);
    const ends = resolveEndpoints(inventory, pair.from, pair.to);
    if (!ends.ok) return Promise.reject(new Error(ends.message));
    const { service } = goal;
    const probe: PathProbe =
      service.protocol === 'icmp'
        ? { protocol: 'icmp', icmpType: echoRequestType(ends.to.end.address) }
        : { protocol: service.protocol, srcPort: 49152, dstPort: service.port };
    return Promise.resolve(
      simulatePath(tables, ends.from.end, ends.to.end, probe, 'new', { hostOf: addressHosts(inventory.workloads) })
        .verdict,
    );
  };
}

describe("a matrix cell's example pair", () => {
  const tables = tablesOf();
  const matrix = reachabilityMatrix(policy, inventory, tables);
  const [web, app] = [matrix.groups.indexOf('web'), matrix.groups.indexOf('app')];
  const services = cellServicesAt(matrix.grid, web, app)!;

  it('is a pair for which the shown service passes, when only some pairs open it and the first does not', async () => {
    expect(formatServices(services.always)).toBe('none');
    expect(formatServices(services.sometimes)).toBe('udp/53');
    expect(examplePair(matrix.members, web, app)).toEqual({ from: 'web-1', to: 'app-1' });
    const goal = exampleGoal(services);
    expect(goal).toEqual({ service: { protocol: 'udp', port: 53 }, verdict: 'permitted' });

    const traced: NamedPair[] = [];
    const search = await findExample(
      pairsToTry(matrix.members, web, app, EXAMPLE_TRACE_LIMIT),
      goal,
      tracer(tables, goal, traced),
    );
    expect(search).toMatchObject({ found: true, pair: { from: 'web-2' } });
    // The first member pair was tried and dropped it.
    expect(traced[0]).toEqual({ from: 'web-1', to: 'app-1' });
  });

  it('is, on the command line, a pair the verdict engine confirms: found by tracing for some pairs, the first pair for every pair', () => {
    const engine = new VerdictEngine(tables, { hostOf: addressHosts(inventory.workloads) });
    const cells: CellPlace[] = [
      { row: web, column: app, services },
      { row: web, column: app, services: { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: services.redirected } },
      { row: web, column: app, services: { always: services.sometimes, sometimes: NO_SERVICES, redirected: NO_SERVICES } },
    ];
    const [someOpen, redirected, everyOpen] = checkedExamples(matrix.members, cells, inventory, engine);
    expect(someOpen).toMatchObject({ from: 'web-2', service: 'udp/53' });
    expect(redirected).toMatchObject({ from: 'web-2', service: 'tcp/22' });
    // Told that every pair opens udp/53, it takes the first member pair without asking.
    expect(everyOpen).toEqual({ from: 'web-1', to: 'app-1', service: 'udp/53' });
  });

  it('is, on the command line, none for a cell that opens only what the trace cannot send (GRE)', () => {
    const engine = new VerdictEngine(tables, { hostOf: addressHosts(inventory.workloads) });
    const greOnly = { always: serviceSetOf({ other: [[47, 47]] }), sometimes: NO_SERVICES, redirected: NO_SERVICES };
    expect(exampleGoal(greOnly).verdict).toBe('dropped');
    expect(checkedExamples(matrix.members, [{ row: web, column: app, services: greOnly }], inventory, engine)).toEqual([undefined]);
  });

  it('is, on the command line, the first pair the panel would find, though the engine asks pairs in batches', async () => {
    // web-1 alone is not in prod: after it fails, several prod pairs pass within one batch.
    const prodInventory: Inventory = {
      ...inventory,
      workloads: inventory.workloads.map((w) => (w.labels.tier === 'web' && w.name !== 'web-1' ? { ...w, labels: { ...w.labels, env: 'prod' } } : w)),
    };
    const prodTables = loadHostTables(compilePolicy(policy, prodInventory).hosts);
    const prodMatrix = reachabilityMatrix(policy, prodInventory, prodTables);
    const cells: CellPlace[] = [{ row: web, column: app, services: cellServicesAt(prodMatrix.grid, web, app)! }];
    const goal = exampleGoal(cells[0]!.services);
    const pairs = pairsToTry(prodMatrix.members, web, app, EXAMPLE_TRACE_LIMIT);
    const verdicts = await Promise.all(pairs.map(tracer(prodTables, goal, [])));
    const passing = verdicts.flatMap((verdict, i) => (verdict === goal.verdict ? [i] : []));
    // The first pair fails, and the next batch (pairs 1 to 4) holds more than one that passes.
    expect(passing[0]).toBeGreaterThan(0);
    expect(passing.filter((i) => i <= 4).length).toBeGreaterThan(1);
    const engine = new VerdictEngine(prodTables, { hostOf: addressHosts(prodInventory.workloads) });
    const [checked] = checkedExamples(prodMatrix.members, cells, prodInventory, engine);
    expect(checked).toMatchObject(pairs[passing[0]!]!);
  });

  it('is a redirected pair for a service the cell sends to a honeypot', async () => {
    const redirectedOnly = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: services.redirected };
    expect(formatServices(redirectedOnly.redirected)).toBe('tcp/22');
    const goal = exampleGoal(redirectedOnly);
    expect(goal.verdict).toBe('redirected');
    const search = await findExample(
      pairsToTry(matrix.members, web, app, EXAMPLE_TRACE_LIMIT),
      goal,
      tracer(tables, goal, []),
    );
    expect(search).toMatchObject({ found: true, pair: { from: 'web-2' } });
  });

  it('says none was found when no pair within the bound passes, naming the first tried', async () => {
    const goal = exampleGoal(services);
    const search = await findExample(pairsToTry(matrix.members, web, app, 2), goal, tracer(tables, goal, []));
    expect(search).toEqual({ found: false, tried: 2, first: { from: 'web-1', to: 'app-1' } });
  });

  it('tries pairs of different sources and destinations first, each once, and only member pairs', () => {
    const pairs = pairsToTry(matrix.members, web, app, 100);
    expect(pairs.map((p) => `${p.from}→${p.to}`)).toEqual([
      'web-1→app-1',
      'web-3→app-2',
      'web-2→app-1',
      'web-1→app-2',
      'web-3→app-1',
      'web-2→app-2',
    ]);
    // A group with itself: no workload is paired with itself.
    expect(pairsToTry(matrix.members, web, web, 100).every((p) => p.from !== p.to)).toBe(true);
  });

  it('shows a familiar service a cell opens rather than its lowest port: tcp/443 for a permit-all cell', () => {
    const cellOf = (always: ServiceSet, sometimes: ServiceSet = NO_SERVICES): CellServices => ({
      always,
      sometimes,
      redirected: NO_SERVICES,
    });
    expect(exampleGoal(cellOf(SERVICE_DOMAIN))).toEqual({ service: { protocol: 'tcp', port: 443 }, verdict: 'permitted' });
    const withoutHttps = serviceSetOf({ tcp: [[1, 442], [444, 65535]] });
    expect(exampleGoal(cellOf(NO_SERVICES, withoutHttps)).service).toEqual({ protocol: 'tcp', port: 80 });
    expect(exampleGoal(cellOf(serviceSetOf({ udp: [[0, 65535]] }))).service).toEqual({ protocol: 'udp', port: 53 });
    // Every pair opening something still comes before some pairs opening a familiar service.
    const every8080 = cellOf(serviceSetOf({ tcp: [[8080, 8080]] }), SERVICE_DOMAIN);
    expect(exampleGoal(every8080).service).toEqual({ protocol: 'tcp', port: 8080 });
  });

  it('names the same familiar service on the command line for a permit-all cell', () => {
    const engine = new VerdictEngine(tables, { hostOf: addressHosts(inventory.workloads) });
    const [within] = checkedExamples(
      matrix.members,
      [{ row: web, column: web, services: cellServicesAt(matrix.grid, web, web)! }],
      inventory,
      engine,
    );
    expect(formatServices(cellServicesAt(matrix.grid, web, web)!.always)).toBe('any');
    expect(within).toMatchObject({ service: 'tcp/443' });
  });

  it('shows a service every pair opens first, a service only the Trace tab can send, else tcp/80 dropped', () => {
    expect(
      exampleGoal({
        always: serviceSetOf({ icmp: [[icmpValue(8, 0), icmpValue(8, 255)]] }),
        sometimes: serviceSetOf({
          tcp: [
            [0, 0],
            [443, 443],
          ],
        }),
        redirected: NO_SERVICES,
      }),
    ).toEqual({ service: { protocol: 'icmp' }, verdict: 'permitted' });
    // Port 0 and ICMP types other than echo requests are nothing a trace sends.
    expect(
      exampleGoal({
        always: serviceSetOf({ tcp: [[0, 0]], icmp: [[icmpValue(0, 0), icmpValue(0, 255)]] }),
        sometimes: serviceSetOf({ tcp: [[5, 10]] }),
        redirected: NO_SERVICES,
      }),
    ).toEqual({ service: { protocol: 'tcp', port: 5 }, verdict: 'permitted' });
    expect(
      exampleGoal({ always: NO_SERVICES, sometimes: serviceSetOf({ tcp: [[0, 10]] }), redirected: NO_SERVICES })
        .service,
    ).toEqual({ protocol: 'tcp', port: 1 });
    expect(
      exampleGoal({ always: NO_SERVICES, sometimes: serviceSetOf({ other: [[47, 47]] }), redirected: NO_SERVICES }),
    ).toEqual({ service: { protocol: 'tcp', port: 80 }, verdict: 'dropped' });
  });
});
