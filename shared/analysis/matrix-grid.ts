import { pushUnder } from '../arrays';
import type { MatrixCell } from './group-cells';
import { NO_SERVICES } from './service-set';

/** What a cell shows: its services. Cells that show the same share one object. */
export type CellServices = Pick<MatrixCell, 'always' | 'sometimes' | 'redirected'>;

/** A cell with no member pairs (an empty group, a group of one workload with itself, outside addresses only). */
export const NO_PAIRS = -1;

/**
 * The group cells, kept small: 5,000 groups make 25 million cells, which as objects took
 * gigabytes and could not be sent to a window. Nearly every row is long runs of one value
 * (closed, mostly), so a row is stored as runs.
 */
export interface GroupGrid {
  /** The distinct services of cells with member pairs. */
  services: CellServices[];
  /** Per source group, its cells over the destination groups as runs: pairs of (index in `services`, or NO_PAIRS; run length). */
  runs: number[][];
}

/**
 * The endpoints behind the group cells: enough to count a cell's member pairs and to name one
 * of them when the cell is looked at, rather than for all 25 million cells up front.
 */
export interface MatrixMembers {
  /** Per endpoint, as `trace` accepts it: a workload's `namespace/name` or name, or an address. */
  labels: string[];
  /** Per endpoint: 4 or 6. */
  families: number[];
  /** Per endpoint: whether a switch of ours is in front of it (it is a workload on a host). */
  behindSwitch: boolean[];
  /**
   * Per endpoint, its party: the first endpoint of its workload, or itself for an outside
   * address. A workload's connections among its own addresses stay inside it (trace refuses
   * them), so two endpoints of one party never make a member pair.
   */
  parties: number[];
  /** Per group (in the matrix's group order), its member endpoints, ascending. */
  byGroup: number[][];
}

/** Builds a row's runs a cell at a time. */
export class RowRuns {
  private readonly runs: number[] = [];

  add(value: number): void {
    const last = this.runs.length - 2;
    if (last >= 0 && this.runs[last] === value) this.runs[last + 1]!++;
    else this.runs.push(value, 1);
  }

  done(): number[] {
    return this.runs;
  }
}

/** The services of cell (row, column), or null when it has no member pairs. */
export function cellServicesAt(grid: GroupGrid, row: number, column: number): CellServices | null {
  const runs = grid.runs[row]!;
  let start = 0;
  for (let r = 0; r < runs.length; r += 2) {
    start += runs[r + 1]!;
    if (column < start) return runs[r] === NO_PAIRS ? null : grid.services[runs[r]!]!;
  }
  throw new RangeError(`No cell (${row}, ${column}) in a grid of ${grid.runs.length} groups`);
}

/** Calls `visit` for every cell, row by row, with its services (null: no member pairs). */
export function forEachGridCell(grid: GroupGrid, visit: (row: number, column: number, services: CellServices | null) => void): void {
  for (let row = 0; row < grid.runs.length; row++) forEachCellOfRow(grid, row, (column, services) => visit(row, column, services));
}

/** Calls `visit` for every cell of one row, with its services (null: no member pairs). */
export function forEachCellOfRow(grid: GroupGrid, row: number, visit: (column: number, services: CellServices | null) => void): void {
  const runs = grid.runs[row]!;
  let column = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const services = runs[r] === NO_PAIRS ? null : grid.services[runs[r]!]!;
    for (const end = column + runs[r + 1]!; column < end; column++) visit(column, services);
  }
}

/** Whether two endpoints make a member pair of a cell: of two parties (not one workload), of one family, with a switch of ours on their path. */
export function isMemberPair(members: MatrixMembers, a: number, b: number): boolean {
  return members.parties[a] !== members.parties[b] && members.families[a] === members.families[b] && (members.behindSwitch[a]! || members.behindSwitch[b]!);
}

/**
 * The pairs of cell (row, column), counted as a person reads them: pairs of addresses of two
 * workloads (two dual-stack workloads are two pairs; a workload with itself is none), and,
 * where a group has address blocks, each workload address of the other group with that group's
 * outside addresses of its family as one end. The outside members are stand-ins, one per
 * stretch the tables' prefixes cut the blocks into (matrixEndpoints): counted one by one, they
 * would say how the flows split the space, not who talks.
 */
export function memberPairCount(members: MatrixMembers, row: number, column: number): number {
  return pairsOf(familyCounts(members, row), familyCounts(members, column), samePartyPairs(members, row, column)).pairs;
}

/** Of memberPairCount, the pairs of a workload address with a group's outside addresses. */
export function outsidePairCount(members: MatrixMembers, row: number, column: number): number {
  return pairsOf(familyCounts(members, row), familyCounts(members, column), 0).outside;
}

/** A group's members, four counts: IPv4 behind a switch, IPv4 outside, IPv6 behind, IPv6 outside. */
function familyCounts(members: MatrixMembers, group: number): Int32Array {
  const counts = new Int32Array(4);
  for (const a of members.byGroup[group]!) counts[countSlot(members, a)]!++;
  return counts;
}

function countSlot(members: MatrixMembers, a: number): number {
  return (members.families[a] === 6 ? 2 : 0) + (members.behindSwitch[a] ? 0 : 1);
}

/**
 * The pairs of two members behind a switch, one of each group, of one family and one party (an
 * address with itself, or two of one workload's): familyCounts' products count them, though
 * none is a member pair.
 */
function samePartyPairs(members: MatrixMembers, row: number, column: number): number {
  const inColumn = new Map<number, number>();
  for (const b of members.byGroup[column]!) {
    if (!members.behindSwitch[b]) continue;
    const key = partyFamilyKey(members, b);
    inColumn.set(key, (inColumn.get(key) ?? 0) + 1);
  }
  let pairs = 0;
  for (const a of members.byGroup[row]!) if (members.behindSwitch[a]) pairs += inColumn.get(partyFamilyKey(members, a)) ?? 0;
  return pairs;
}

/** One number per party and family: endpoints share it when their pairs are counted and are none. */
function partyFamilyKey(members: MatrixMembers, a: number): number {
  return members.parties[a]! * 2 + (members.families[a] === 6 ? 1 : 0);
}

/** The pairs of two groups from their familyCounts, less their pairs within one party (samePartyPairs). */
function pairsOf(from: ArrayLike<number>, to: ArrayLike<number>, sameParty: number): { pairs: number; outside: number } {
  let workloadPairs = 0;
  let outside = 0;
  for (const family of [0, 2]) {
    const [behindA, outsideA, behindB, outsideB] = [from[family]!, from[family + 1]!, to[family]!, to[family + 1]!];
    workloadPairs += behindA * behindB;
    outside += (outsideB > 0 ? behindA : 0) + (outsideA > 0 ? behindB : 0);
  }
  return { pairs: workloadPairs - sameParty + outside, outside };
}

/** The first member pair of cell (row, column) in endpoint order, named; undefined without one. */
export function examplePair(members: MatrixMembers, row: number, column: number): { from: string; to: string } | undefined {
  const destinations = members.byGroup[column]!;
  for (const a of members.byGroup[row]!) {
    const b = destinations.find((d) => isMemberPair(members, a, d));
    if (b !== undefined) return { from: members.labels[a]!, to: members.labels[b]! };
  }
  return undefined;
}

/** Cell (row, column) in full: its services, its member pairs counted and one of them named. */
export function groupCellAt(grid: GroupGrid, members: MatrixMembers, row: number, column: number): MatrixCell {
  const services = cellServicesAt(grid, row, column);
  if (!services) return { ...EMPTY_SERVICES, pairs: 0, outsidePairs: 0 };
  const example = examplePair(members, row, column);
  return { ...services, pairs: memberPairCount(members, row, column), outsidePairs: outsidePairCount(members, row, column), ...(example ? { example } : {}) };
}

const EMPTY_SERVICES: CellServices = { always: NO_SERVICES, sometimes: NO_SERVICES, redirected: NO_SERVICES };

/**
 * Counts any cell's pairs (as memberPairCount) at once, for readers that go over every cell (a
 * CSV of 25 million rows): per group, its familyCounts, and per pair of groups their
 * samePartyPairs (a workload has few addresses, so its pairs of them are few).
 */
export class MemberPairCounter {
  /** Per group, its four familyCounts side by side. */
  private readonly counts: Int32Array;
  private readonly sameParty = new Map<number, number>();
  private readonly groups: number;

  constructor(members: MatrixMembers) {
    this.groups = members.byGroup.length;
    this.counts = new Int32Array(this.groups * 4);
    const groupsOf: number[][] = members.labels.map(() => []);
    members.byGroup.forEach((list, g) => {
      for (const a of list) {
        this.counts[g * 4 + countSlot(members, a)]!++;
        if (members.behindSwitch[a]) groupsOf[a]!.push(g);
      }
    });
    const byPartyFamily = new Map<number, number[]>();
    members.labels.forEach((_, a) => {
      if (members.behindSwitch[a]) pushUnder(byPartyFamily, partyFamilyKey(members, a), a);
    });
    for (const ends of byPartyFamily.values())
      for (const a of ends)
        for (const b of ends)
          for (const g1 of groupsOf[a]!) for (const g2 of groupsOf[b]!) this.sameParty.set(g1 * this.groups + g2, (this.sameParty.get(g1 * this.groups + g2) ?? 0) + 1);
  }

  count(row: number, column: number): number {
    return this.pairsAt(row, column).pairs;
  }

  /** Of count, the pairs of a workload address with a group's outside addresses. */
  outside(row: number, column: number): number {
    return this.pairsAt(row, column).outside;
  }

  private pairsAt(row: number, column: number): { pairs: number; outside: number } {
    const { counts } = this;
    return pairsOf(counts.subarray(row * 4, row * 4 + 4), counts.subarray(column * 4, column * 4 + 4), this.sameParty.get(row * this.groups + column) ?? 0);
  }
}
