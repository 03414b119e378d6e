import { qualifiedName, type Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { resolveMembership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { addressHosts, type HostFlowTables } from '../simulator/path';
import { matrixEndpoints, type MatrixEndpoint } from './endpoints';
import { FlowSignatures } from './flow-signatures';
import { HostReach } from './host-reach';
import { NamedAddresses } from './named-addresses';
import { pairReach, type PairReach } from './reach';
import { finish, PAIRS_PER_STEP, type AnalysisProgress, type AnalysisSteps } from './steps';
import { intersectServices, NO_SERVICES, subtractServices, unionServices, type ServiceSet } from './service-set';

/** What one group may open to another, over every pair of their members. */
export interface MatrixCell {
  /** Services every member pair may open. */
  always: ServiceSet;
  /** Services only some member pairs may open. */
  sometimes: ServiceSet;
  /** Services sent to a honeypot for at least one pair. */
  redirected: ServiceSet;
  /** Member pairs (distinct addresses of one family). */
  pairs: number;
  /** One of them, to trace: a workload's `namespace/name` or name, or an address. */
  example?: { from: string; to: string };
}

export interface ReachabilityMatrix {
  groups: string[];
  /** `cells[i][j]`: from `groups[i]` to `groups[j]`. */
  cells: MatrixCell[][];
  /** Per workload, when the inventory is small enough to show one row each. */
  workloads?: { names: string[]; cells: MatrixCell[][] };
  stats: { endpoints: number; classes: number; classPairs: number; simulations: number };
}

/** Above this many workloads the matrix stays at group level: a bigger grid is unreadable. */
export const WORKLOAD_MATRIX_LIMIT = 60;

interface EndpointClass {
  id: number;
  members: MatrixEndpoint[];
}

/**
 * The reachability analysis of one set of compiled tables: addresses sorted into classes the
 * flows cannot tell apart, and each pair of classes simulated once per run of ports.
 */
export class ReachabilityAnalysis {
  readonly endpoints: MatrixEndpoint[];
  readonly classes: EndpointClass[];
  private readonly classOf = new Map<MatrixEndpoint, EndpointClass>();
  private readonly hostReach: HostReach;
  private readonly hostOf: Map<string, string>;
  private readonly memo = new Map<number, PairReach>();

  /**
   * `classing` lists every table set whose distinctions the classes must respect (for an
   * impact comparison, both sides, in the same order for both analyses); `own` is the one this
   * analysis simulates, and must be among them.
   */
  constructor(tables: HostFlowTables, own: FlowSignatures, classing: readonly FlowSignatures[], endpoints: MatrixEndpoint[], inventory: Inventory) {
    this.endpoints = endpoints;
    this.hostReach = new HostReach(tables, own);
    this.hostOf = addressHosts(inventory.workloads);
    const byKey = new Map<string, EndpointClass>();
    this.classes = [];
    for (const endpoint of endpoints) {
      const key = classing.map((s) => s.classOf(endpoint.address, endpoint.host)).join('#');
      let c = byKey.get(key);
      if (!c) {
        c = { id: this.classes.length, members: [] };
        byKey.set(key, c);
        this.classes.push(c);
      }
      c.members.push(endpoint);
      this.classOf.set(endpoint, c);
    }
  }

  /** The analysis of one policy's tables, with the endpoints its groups and the tables call for. */
  static of(policy: Policy, inventory: Inventory, tables: HostFlowTables): ReachabilityAnalysis {
    const signatures = new FlowSignatures(tables);
    // As in the compiler: a workload without a host or an address is in no group and no table.
    const workloads = inventory.workloads.filter(takesPart);
    const named = new NamedAddresses().addTables(tables);
    const endpoints = matrixEndpoints(workloads, resolveMembership(policy, workloads), named);
    return new ReachabilityAnalysis(tables, signatures, [signatures], endpoints, inventory);
  }

  get simulations(): number {
    return this.hostReach.simulations;
  }

  /** Reach between two endpoints; equal for every pair drawn from the same two classes. */
  reach(src: MatrixEndpoint, dst: MatrixEndpoint): PairReach {
    return this.classReach(this.classOf.get(src)!, this.classOf.get(dst)!);
  }

  classReach(a: EndpointClass, b: EndpointClass): PairReach {
    const key = a.id * this.classes.length + b.id;
    let reach = this.memo.get(key);
    if (!reach) {
      const [src, dst] = a === b ? [a.members[0]!, a.members[1]!] : [a.members[0]!, b.members[0]!];
      reach = pairReach(this.hostReach, this.hostOf, src, dst);
      this.memo.set(key, reach);
    }
    return reach;
  }

  classOfEndpoint(endpoint: MatrixEndpoint): EndpointClass {
    return this.classOf.get(endpoint)!;
  }

  get classPairs(): number {
    return this.memo.size;
  }
}

/** The group reachability matrix (and, for a small inventory, the workload one), exactly from the tables. */
export function reachabilityMatrix(policy: Policy, inventory: Inventory, tables: HostFlowTables): ReachabilityMatrix {
  return finish(matrixSteps(policy, inventory, tables));
}

/** reachabilityMatrix as steps: a few dozen class pairs each, counted in group cells done. */
export function* matrixSteps(policy: Policy, inventory: Inventory, tables: HostFlowTables): AnalysisSteps<ReachabilityMatrix> {
  const analysis = ReachabilityAnalysis.of(policy, inventory, tables);
  const groups = policy.groups.map((g) => g.name).sort((a, b) => a.localeCompare(b));
  const classesOf = new Map<string, Map<EndpointClass, MatrixEndpoint[]>>(groups.map((g) => [g, new Map()]));
  for (const endpoint of analysis.endpoints)
    for (const g of endpoint.groups) {
      const byClass = classesOf.get(g);
      if (!byClass) continue;
      const c = analysis.classOfEndpoint(endpoint);
      const list = byClass.get(c);
      if (list) list.push(endpoint);
      else byClass.set(c, [endpoint]);
    }

  const byWorkload = inventory.workloads.length <= WORKLOAD_MATRIX_LIMIT;
  const progress = { done: 0, total: groups.length ** 2 + (byWorkload ? 1 : 0), unit: 'group cells' };
  const visited = { pairs: 0 };
  const cells: MatrixCell[][] = [];
  for (const from of groups) {
    const row: MatrixCell[] = [];
    for (const to of groups) {
      row.push(yield* groupCell(analysis, classesOf.get(from)!, classesOf.get(to)!, progress, visited));
      progress.done++;
    }
    cells.push(row);
  }
  const workloadRows = byWorkload ? workloadMatrix(analysis, inventory) : undefined;
  return {
    groups,
    cells,
    ...(workloadRows ? { workloads: workloadRows } : {}),
    stats: { endpoints: analysis.endpoints.length, classes: analysis.classes.length, classPairs: analysis.classPairs, simulations: analysis.simulations },
  };
}

/** One cell over its class pairs; yields every PAIRS_PER_STEP pairs, counted across cells in `visited`. */
function* groupCell(
  analysis: ReachabilityAnalysis,
  from: Map<EndpointClass, MatrixEndpoint[]>,
  to: Map<EndpointClass, MatrixEndpoint[]>,
  progress: AnalysisProgress,
  visited: { pairs: number },
): AnalysisSteps<MatrixCell> {
  let always: ServiceSet | null = null;
  let any = NO_SERVICES;
  let redirected = NO_SERVICES;
  let pairs = 0;
  let example: MatrixCell['example'];
  for (const [a, sources] of from)
    for (const [b, destinations] of to) {
      if (++visited.pairs % PAIRS_PER_STEP === 0) yield { ...progress };
      if (a.members[0]!.address.family !== b.members[0]!.address.family) continue;
      // Between two outside addresses no switch of ours is on the path: nothing to enforce.
      if (a.members[0]!.host === undefined && b.members[0]!.host === undefined) continue;
      const count = sources.length * destinations.length - (a === b ? sources.filter((s) => destinations.includes(s)).length : 0);
      if (count === 0) continue;
      pairs += count;
      example ??= examplePair(sources, destinations);
      const reach = analysis.classReach(a, b);
      always = always ? intersectServices(always, reach.permitted) : reach.permitted;
      any = unionServices(any, reach.permitted);
      for (const r of reach.redirected) redirected = unionServices(redirected, r.services);
    }
  const sure = always ?? NO_SERVICES;
  return { always: sure, sometimes: subtractServices(any, sure), redirected, pairs, ...(example ? { example } : {}) };
}

/** The first pair of distinct endpoints, labelled for `trace`. */
function examplePair(sources: readonly MatrixEndpoint[], destinations: readonly MatrixEndpoint[]): MatrixCell['example'] {
  for (const s of sources) {
    const d = destinations.find((x) => x !== s);
    if (d) return { from: endpointLabel(s), to: endpointLabel(d) };
  }
  return undefined;
}

/** A workload as `trace` accepts it (`namespace/name` where there are namespaces), else the address. */
export function endpointLabel(endpoint: MatrixEndpoint): string {
  return endpoint.workload ? qualifiedName(endpoint.workload) : endpoint.text;
}

/** One row per workload; each cell is one pair of workloads (over their addresses of each family), so nothing is `sometimes`. */
function workloadMatrix(analysis: ReachabilityAnalysis, inventory: Inventory): { names: string[]; cells: MatrixCell[][] } {
  const workloads = inventory.workloads.filter(takesPart).sort((a, b) => a.name.localeCompare(b.name));
  const endpointsOf = new Map(workloads.map((w) => [w.id, analysis.endpoints.filter((e) => e.workload?.id === w.id)]));
  const cells = workloads.map((from) =>
    workloads.map((to) => {
      const cell: MatrixCell = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 0 };
      if (from.id === to.id) return cell;
      cell.pairs = 1;
      for (const src of endpointsOf.get(from.id)!)
        for (const dst of endpointsOf.get(to.id)!) {
          if (src.address.family !== dst.address.family) continue;
          const reach = analysis.reach(src, dst);
          cell.always = unionServices(cell.always, reach.permitted);
          for (const r of reach.redirected) cell.redirected = unionServices(cell.redirected, r.services);
        }
      return cell;
    }),
  );
  return { names: workloads.map(qualifiedName), cells };
}
