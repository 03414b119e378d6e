import { pushUnder } from '../arrays';
import type { PairReach } from './reach';
import type { SourceRow } from './pair-answers';
import type { PlainClasses } from './plain-classes';
import { intersectServices, NO_SERVICES, subtractServices, unionServices, type ServiceSet } from './service-set';
import type { AnalysisProgress, AnalysisSteps } from './steps';
import { NO_PAIRS, RowRuns, type CellServices, type GroupGrid } from './matrix-grid';

/** What the group cells are counted from. */
export interface CellInputs {
  /** Per group, its member endpoints, ascending. */
  members: readonly (readonly number[])[];
  /** Per endpoint, its groups. */
  groupsOf: readonly (readonly number[])[];
  /** Per endpoint, its party (MatrixMembers): two endpoints of one make no pair. */
  parties: readonly number[];
  rows: readonly SourceRow[];
  classes: PlainClasses;
  reaches: readonly PairReach[];
}

/** What one group may open to another, over every pair of their members. */
export interface MatrixCell {
  /** Services every member pair may open. */
  always: ServiceSet;
  /** Services only some member pairs may open. */
  sometimes: ServiceSet;
  /** Services sent to a honeypot for at least one pair. */
  redirected: ServiceSet;
  /**
   * Pairs, as memberPairCount counts them: of two workload addresses of one family, or of a
   * workload address with a group's outside addresses (those its address blocks hold beyond our
   * switches) of its family, taken as one end.
   */
  pairs: number;
  /** Of `pairs`, those of a workload address with a group's outside addresses. */
  outsidePairs: number;
  /**
   * The first of them in endpoint order, named as endpointLabel names them. It need not open a
   * `sometimes` service: the panel traces pairs for one that does, and `matrix --json` asks the
   * verdict engine (matrix-example.ts).
   */
  example?: { from: string; to: string };
}

/**
 * Every group cell, a source group at a time. A cell's pairs are its pairs of members of two
 * parties (isMemberPair: not one workload's addresses) of one family with a switch on their
 * path; they are counted per pair of plain classes, less the pairs within one party (a
 * workload's addresses may share a class), and the reaches that occur among them are those
 * of the pairs some rule joins (from the members' rows, pairs within a party left out) and,
 * for each pair of classes with more pairs than rules join, the classes' plain reach. The
 * services follow from which reaches occur, not how often. The pair counts only decide which
 * reaches occur: a cell's count and an example pair are worked out when it is looked at
 * (`groupCellAt`).
 */
export function* groupCells(inputs: CellInputs, progress: AnalysisProgress): AnalysisSteps<GroupGrid> {
  const { members, groupsOf, parties, classes } = inputs;
  const groups = members.length;
  const K = classes.classes;
  // Per group, its classes and how many of its members are in each, side by side.
  const classCounts = members.map((list) => Int32Array.from(countByClass(list, classes.classOf).flat()));
  // Per distinct set of reaches (as a key), its index in `services`; for a set of one reach, also by its id.
  const servicesIndex = new Map<string, number>();
  const services: CellServices[] = [];
  const R = inputs.reaches.length;
  const byOneReach = new Int32Array(R).fill(-1);
  const indexOf = (ids: number[]): number => {
    if (ids.length === 1 && byOneReach[ids[0]!]! >= 0) return byOneReach[ids[0]!]!;
    const key = ids.length === 1 ? String(ids[0]) : ids.sort((x, y) => x - y).join(',');
    let index = servicesIndex.get(key);
    if (index === undefined) {
      servicesIndex.set(key, (index = services.length));
      services.push(servicesOf(ids.map((id) => inputs.reaches[id]!)));
    }
    if (ids.length === 1) byOneReach[ids[0]!] = index;
    return index;
  };
  const ids: number[] = [];
  const runs: number[][] = [];
  // A member's row adds the same to every group it is in: worked out once, kept until its last group is counted.
  const contributions: (RowContribution | undefined)[] = [];
  const groupsLeft = new Int32Array(groupsOf.length);
  for (const list of members) for (const a of list) groupsLeft[a]!++;
  // Per party of several endpoints (a workload with several addresses), its endpoints after the first.
  const laterEnds = new Map<number, number[]>();
  parties.forEach((party, a) => {
    if (party !== a) pushUnder(laterEnds, party, a);
  });

  for (let g1 = 0; g1 < groups; g1++) {
    const joinedKeys = new Set<number>();
    const joinedPairs = new Map<number, number>();
    // Pairs within one party that the classes' products count, by `(g2 * K + class of a) * K + class of b`.
    const within = new Map<number, number>();
    const withinGroups = new Set<number>();
    const addWithin = (ka: number, b: number): void => {
      const kb = classes.classOf[b]!;
      for (const g2 of groupsOf[b]!) {
        const key = (g2 * K + ka) * K + kb;
        within.set(key, (within.get(key) ?? 0) + 1);
        withinGroups.add(g2);
      }
    };
    for (const a of members[g1]!) {
      const c = (contributions[a] ??= rowContribution(a, inputs, K, R));
      for (const key of c.reachKeys) joinedKeys.add(key);
      for (let i = 0; i < c.pairKeys.length; i++) joinedPairs.set(c.pairKeys[i]!, (joinedPairs.get(c.pairKeys[i]!) ?? 0) + c.pairCounts[i]!);
      if (--groupsLeft[a]! === 0) contributions[a] = undefined;
      const ka = classes.classOf[a]!;
      const party = parties[a]!;
      addWithin(ka, party);
      for (const b of laterEnds.get(party) ?? []) addWithin(ka, b);
    }
    const joined = new Map<number, number[]>();
    for (const key of joinedKeys) {
      const g2 = Math.floor(key / R);
      let reaches = joined.get(g2);
      if (!reaches) joined.set(g2, (reaches = []));
      reaches.push(key - g2 * R);
    }

    const row = new RowRuns();
    const from = classCounts[g1]!;
    for (let g2 = 0; g2 < groups; g2++) {
      // Most cells at thousands of groups: no rule joins their pairs and no member is in both.
      const joinedHere = joined.get(g2);
      ids.length = 0;
      if (joinedHere) for (const id of joinedHere) ids.push(id);
      const to = classCounts[g2]!;
      const withinHere = withinGroups.has(g2);
      let pairs = 0;
      for (let x = 0; x < from.length; x += 2) {
        const k1 = from[x]!;
        const n1 = from[x + 1]!;
        for (let y = 0; y < to.length; y += 2) {
          const k2 = to[y]!;
          const count = n1 * to[y + 1]! - (withinHere ? (within.get((g2 * K + k1) * K + k2) ?? 0) : 0);
          const plain = classes.plain[k1 * K + k2]!;
          if (count <= 0 || plain === -1) continue;
          pairs += count;
          if (!ids.includes(plain) && (joinedHere === undefined || count > (joinedPairs.get(g2 * K * K + k1 * K + k2) ?? 0))) ids.push(plain);
        }
      }
      row.add(pairs === 0 ? NO_PAIRS : indexOf(ids));
    }
    runs.push(row.done());
    progress.done += groups;
    yield { ...progress };
  }
  return { services, runs };
}

/**
 * What one source endpoint's row adds to each group cell of a group it is in: per destination
 * group g2, the reaches its joined pairs there have (`g2 * R + reach`, each once), and how many
 * joined pairs it has there per pair of classes (`g2 * K² + class pair`, with its count).
 */
interface RowContribution {
  reachKeys: readonly number[];
  pairKeys: readonly number[];
  pairCounts: readonly number[];
}

function rowContribution(a: number, { rows, groupsOf, parties, classes }: CellInputs, K: number, R: number): RowContribution {
  const row = rows[a]!;
  const ka = classes.classOf[a]!;
  const reachKeys = new Set<number>();
  const pairs = new Map<number, number>();
  for (let j = 0; j < row.columns.length; j++) {
    const b = row.columns[j]!;
    if (parties[b] === parties[a]) continue;
    const classPair = ka * K + classes.classOf[b]!;
    const reach = row.reaches[j]!;
    for (const g2 of groupsOf[b]!) {
      reachKeys.add(g2 * R + reach);
      const key = g2 * K * K + classPair;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  return { reachKeys: [...reachKeys], pairKeys: [...pairs.keys()], pairCounts: [...pairs.values()] };
}

/** Always: what every reach permits; sometimes: what some do beyond that; redirected: what any sends to a honeypot. */
function servicesOf(reaches: readonly PairReach[]): CellServices {
  let always: ServiceSet | null = null;
  let any = NO_SERVICES;
  let redirected = NO_SERVICES;
  for (const reach of reaches) {
    always = always ? intersectServices(always, reach.permitted) : reach.permitted;
    any = unionServices(any, reach.permitted);
    for (const r of reach.redirected) redirected = unionServices(redirected, r.services);
  }
  const sure = always ?? NO_SERVICES;
  return { always: sure, sometimes: subtractServices(any, sure), redirected };
}

/** Per class, how many of the endpoints are in it. */
function countByClass(endpoints: readonly number[], classOf: Int32Array): [number, number][] {
  const counts = new Map<number, number>();
  for (const e of endpoints) counts.set(classOf[e]!, (counts.get(classOf[e]!) ?? 0) + 1);
  return [...counts];
}
