import { compareFlows, type Flow } from './flow';
import type { MatchIds } from './match-ids';

/** One host's flows as a compile builds them, each with the id of its match kept beside it, so the sort needs no text. */
export class FlowList {
  readonly flows: Flow[] = [];
  readonly matches: number[] = [];

  constructor(private readonly ids: MatchIds) {}

  /** Adds a flow whose match is already numbered. */
  add(table: number, priority: number, cookie: string, match: number, actions: string[]): void {
    this.keep({ table, priority, cookie, match: this.ids.text(match), actions }, match);
  }

  /** Adds a flow given with its match text. */
  push(flow: Flow): void {
    this.keep(flow, this.ids.id(flow.match));
  }

  private keep(flow: Flow, match: number): void {
    this.flows.push(flow);
    this.matches.push(match);
  }
}

/**
 * Every host's flows of one compile in canonical order (`compareFlows`), flows of one identity
 * in the order they came. Deterministic. `ranks` (`MatchIds.ranks` of the ids the lists were
 * built with) places each match id in text order. Each table takes two stable counting sorts
 * instead of a comparison sort: by match rank, then by table and priority, of which a table
 * has few.
 */
export function sortFlowTables(lists: readonly FlowList[], ranks: Int32Array): Flow[][] {
  // One count per rank, shared by the tables one after another (each leaves it all 0).
  const starts = new Int32Array(ranks.length + 1);
  return lists.map((list) => byTableAndPriority(list, byRank(list.matches, ranks, starts)));
}

/** Positions of a table's flows in match-rank order, ties in the order they came. */
function byRank(matches: readonly number[], ranks: Int32Array, starts: Int32Array): Int32Array {
  for (const m of matches) starts[ranks[m]! + 1]!++;
  for (let r = 1; r < starts.length; r++) starts[r]! += starts[r - 1]!;
  const order = new Int32Array(matches.length);
  for (let i = 0; i < matches.length; i++) order[starts[ranks[matches[i]!]!]!++] = i;
  starts.fill(0);
  return order;
}

/** A host's flows, given in match-rank order, stably ordered by table, then priority (highest first). */
function byTableAndPriority({ flows }: FlowList, byRank: Int32Array): Flow[] {
  // Number each (table, priority) pair as it first comes; flows of one level come together, so
  // the last pair is usually the one again.
  const pairs = new Map<number, number>();
  const pairOf = new Int32Array(flows.length);
  let lastKey = -1;
  let lastPair = -1;
  for (let i = 0; i < flows.length; i++) {
    const { table, priority } = flows[i]!;
    // OpenFlow tables are 8 bits and priorities 16: anything else cannot take part in the key.
    if (!(Number.isInteger(table) && Number.isInteger(priority) && table >= 0 && table <= 0xff && priority >= 0 && priority <= 0xffff)) return [...flows].sort(compareFlows);
    const key = table * 0x10000 + (0xffff - priority);
    if (key !== lastKey) {
      lastKey = key;
      lastPair = pairs.get(key) ?? pairs.set(key, pairs.size).size - 1;
    }
    pairOf[i] = lastPair;
  }

  // Where each pair's flows start, pairs in canonical order (ascending key).
  const sizes = new Int32Array(pairs.size);
  for (const pair of pairOf) sizes[pair]!++;
  const starts = new Int32Array(pairs.size);
  let start = 0;
  for (const key of [...pairs.keys()].sort((a, b) => a - b)) {
    const pair = pairs.get(key)!;
    starts[pair] = start;
    start += sizes[pair]!;
  }
  const sorted = new Array<Flow>(flows.length);
  for (const i of byRank) sorted[starts[pairOf[i]!]!++] = flows[i]!;
  return sorted;
}
