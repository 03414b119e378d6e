import { qualifiedName, type Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { resolveMembership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { addressHosts, type HostFlowTables } from '../simulator/path';
import { endpointLabel, matrixEndpoints, type MatrixEndpoint } from './endpoints';
import { groupCells, type MatrixCell } from './group-cells';
import type { GroupGrid, MatrixMembers } from './matrix-grid';
import { NamedAddresses } from './named-addresses';
import { PairAnswers, type SourceRow } from './pair-answers';
import type { PairReach } from './reach';
import { plainClasses, type PlainClasses } from './plain-classes';
import { NO_SERVICES, unionServices } from './service-set';
import { finish, type AnalysisSteps } from './steps';
import { withoutPortGuards } from '../simulator/port-guards';
import { withoutInfrastructurePasses, type InfrastructureTraffic } from './infrastructure-passes';

export type { MatrixCell } from './group-cells';

export interface ReachabilityMatrix {
  groups: string[];
  /** From `groups[i]` to `groups[j]`: `groupCellAt(grid, members, i, j)`. */
  grid: GroupGrid;
  members: MatrixMembers;
  /** Per workload, when the inventory is small enough to show one row each. */
  workloads?: { names: string[]; cells: MatrixCell[][] };
  /**
   * `classes`: classes of addresses for the pairs no rule joins (what the hard flows tell
   * apart); `classPairs`: pairs worked out one by one (those some rule joins, and one per pair
   * of classes); `simulations`: packets simulated, one per run of ports and distinct tables.
   */
  stats: { endpoints: number; classes: number; classPairs: number; simulations: number };
  /** Traffic the tables let through between every pair whatever the groups, which no cell shows (leftOutNote says so). */
  leftOut: InfrastructureTraffic[];
}

/** Above this many workloads the matrix stays at group level: a bigger grid is unreadable. */
export const WORKLOAD_MATRIX_LIMIT = 60;

/**
 * Work between two yields while rows are worked out, in joined pairs; a simulated packet
 * costs about as much as this many of them.
 */
const WORK_PER_STEP = 4096;
const WORK_PER_SIMULATION = 20;

/** The group reachability matrix (and, for a small inventory, the workload one), exactly from the tables. */
export function reachabilityMatrix(policy: Policy, inventory: Inventory, tables: HostFlowTables): ReachabilityMatrix {
  return finish(matrixSteps(policy, inventory, tables));
}

/**
 * reachabilityMatrix as steps, worked out per rule rather than per pair: each host's tables
 * are read for their hard flows and conjunctions (counted in hosts), each source's row
 * holds only the destinations some conjunction joins it to on its path (counted in source
 * addresses), every other pair takes the reach of its two plain classes (counted in address
 * classes), and the group cells are filled by counting (counted in group cells).
 */
export function* matrixSteps(policy: Policy, inventory: Inventory, tablesAsGiven: HostFlowTables): AnalysisSteps<ReachabilityMatrix> {
  // Connections between workloads, sent from their own addresses: a spoof guard changes none.
  // What passes every pair before any policy (neighbour discovery) would make every cell look
  // open: the cells show what the policy's rules decide, and the matrix names what it left out.
  const { tables, leftOut } = withoutInfrastructurePasses(withoutPortGuards(tablesAsGiven));
  // As in the compiler: a workload without a host or an address is in no group and no table.
  const workloads = inventory.workloads.filter(takesPart);
  const named = new NamedAddresses();
  for (const byTable of tables.values()) {
    for (const flows of byTable.values()) named.addFlows(flows);
    yield { done: 0, total: tables.size, unit: 'hosts' };
  }
  const endpoints = matrixEndpoints(workloads, resolveMembership(policy, workloads), named);
  const answers = new PairAnswers(tables, endpoints, addressHosts(inventory.workloads), named.redirectTargets);
  let hostsRead = 0;
  for (const host of tables.keys()) {
    answers.addHost(host);
    yield { done: ++hostsRead, total: tables.size, unit: 'hosts' };
  }

  const rows: SourceRow[] = [];
  let work = 0;
  let simulations = answers.simulations;
  for (let a = 0; a < endpoints.length; a++) {
    const row = answers.row(a);
    rows.push(row);
    work += row.columns.length + 1 + (answers.simulations - simulations) * WORK_PER_SIMULATION;
    simulations = answers.simulations;
    if (work >= WORK_PER_STEP) {
      work = 0;
      yield { done: a + 1, total: endpoints.length, unit: 'source addresses' };
    }
  }

  const profiles = answers.hard.profiles(endpoints.length);
  const keys = endpoints.map((e, i) => `${e.address.family}|${e.host ?? ''}|${profiles[i]}|${answers.honeypotProfile(rows[i]!.honeypots)}|${answers.isHoneypot(i)}`);
  const honeypotsOf = (a: number): Int32Array => rows[a]!.honeypots;
  const classes = yield* plainClasses(keys, (representatives) => {
    const plainRows = answers.plainRows(representatives, honeypotsOf);
    return { row: (a, out) => plainRows.row(a, out), pair: (a, b) => answers.plainReach(a, b, honeypotsOf(a)) };
  });

  const groups = policy.groups.map((g) => g.name).sort((a, b) => a.localeCompare(b));
  const groupIndex = new Map(groups.map((g, i) => [g, i]));
  const groupsOf = endpoints.map((e) => e.groups.flatMap((g) => groupIndex.get(g) ?? []));
  const members = groups.map((): number[] => []);
  groupsOf.forEach((list, i) => list.forEach((g) => members[g]!.push(i)));
  const parties = partiesOf(endpoints);
  const byWorkload = inventory.workloads.length <= WORKLOAD_MATRIX_LIMIT;
  const progress = { done: 0, total: groups.length ** 2 + (byWorkload ? 1 : 0), unit: 'group cells' };
  const grid = yield* groupCells({ members, groupsOf, parties, rows, classes, reaches: answers.reaches }, progress);
  const workloadRows = byWorkload ? workloadMatrix(inventory, endpoints, (a, b) => reachId(rows[a]!, classes, a, b)) : undefined;
  const classPairs = rows.reduce((sum, r) => sum + r.columns.length, 0) + classes.hardClasses ** 2;
  return {
    groups,
    grid,
    members: { labels: endpoints.map(endpointLabel), families: endpoints.map((e) => e.address.family), behindSwitch: endpoints.map((e) => e.host !== undefined), parties, byGroup: members },
    ...(workloadRows ? { workloads: { names: workloadRows.names, cells: workloadRows.cells.map((row) => row.map((ids) => workloadCell(ids, answers.reaches))) } } : {}),
    stats: { endpoints: endpoints.length, classes: classes.hardClasses, classPairs, simulations: answers.simulations },
    leftOut,
  };
}

/** Per endpoint, its party (MatrixMembers): the first endpoint of its workload, or itself for an outside address. */
function partiesOf(endpoints: readonly MatrixEndpoint[]): number[] {
  const firstOf = new Map<string, number>();
  return endpoints.map((e, i) => {
    if (!e.workload) return i;
    const first = firstOf.get(e.workload.id);
    if (first !== undefined) return first;
    firstOf.set(e.workload.id, i);
    return i;
  });
}

/** The reach id of one pair: from the source's row when a rule joins them, else from their classes. */
function reachId(row: SourceRow, classes: PlainClasses, a: number, b: number): number {
  const j = row.columns.indexOf(b);
  return j >= 0 ? row.reaches[j]! : classes.plain[classes.classOf[a]! * classes.classes + classes.classOf[b]!]!;
}

/** One row per workload, as reach ids per pair of their endpoints of one family (null: the workload with itself). */
function workloadMatrix(inventory: Inventory, endpoints: readonly MatrixEndpoint[], reach: (a: number, b: number) => number): { names: string[]; cells: (number[] | null)[][] } {
  const workloads = inventory.workloads.filter(takesPart).sort((a, b) => a.name.localeCompare(b.name));
  const endpointsOf = new Map(workloads.map((w) => [w.id, endpoints.flatMap((e, i) => (e.workload?.id === w.id ? [i] : []))]));
  const cells = workloads.map((from) =>
    workloads.map((to) => {
      if (from.id === to.id) return null;
      const ids: number[] = [];
      for (const a of endpointsOf.get(from.id)!)
        for (const b of endpointsOf.get(to.id)!) if (endpoints[a]!.address.family === endpoints[b]!.address.family) ids.push(reach(a, b));
      return ids;
    }),
  );
  return { names: workloads.map(qualifiedName), cells };
}

/**
 * Each cell is one pair of workloads (over their addresses of each family), so nothing is
 * `sometimes`; two workloads without a family in common make no pair, as in a group cell.
 */
function workloadCell(ids: number[] | null, reaches: readonly PairReach[]): MatrixCell {
  const cell: MatrixCell = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES, pairs: 0, outsidePairs: 0 };
  if (ids === null || ids.length === 0) return cell;
  cell.pairs = 1;
  for (const id of ids) {
    const reach = reaches[id]!;
    cell.always = unionServices(cell.always, reach.permitted);
    for (const r of reach.redirected) cell.redirected = unionServices(cell.redirected, r.services);
  }
  return cell;
}
