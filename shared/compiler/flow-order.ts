import { lengthened } from '../arrays';
import type { Flow } from './flow';
import { ACTIONS_FIELD, COOKIE_FIELD, FLOW_FIELDS, flowLevel, MATCH_FIELD, type FlowTexts, type SortedFlows } from './flow-texts';

/** One host's flows as a compile builds them: three numbers and a level each (see FlowTexts), so neither the build nor the sort makes objects. */
export class FlowList {
  private columns: Int32Array = new Int32Array(FLOW_FIELDS * 256);
  private levels: Int32Array = new Int32Array(256);
  private count = 0;

  constructor(readonly texts: FlowTexts) {}

  get length(): number {
    return this.count;
  }

  /** Adds a flow whose cookie, match and actions are numbered already (FlowTexts). */
  add(table: number, priority: number, cookie: number, match: number, actions: number): void {
    // OpenFlow tables are 8 bits and priorities 16; the levels and the sort key hold nothing else.
    if ((table & 0xff) !== table || (priority & 0xffff) !== priority) throw new RangeError(`A flow in table ${table} at priority ${priority} cannot exist in OpenFlow`);
    if (this.count === this.levels.length) this.grow();
    const i = this.count++;
    this.levels[i] = flowLevel(table, priority);
    const at = i * FLOW_FIELDS;
    const columns = this.columns;
    columns[at + COOKIE_FIELD] = cookie;
    columns[at + MATCH_FIELD] = match;
    columns[at + ACTIONS_FIELD] = actions;
  }

  /** Adds a flow given as text, numbering its parts. */
  push(flow: Flow): void {
    this.add(flow.table, flow.priority, this.texts.cookie(flow.cookie), this.texts.matches.id(flow.match), this.texts.actions(flow.actions));
  }

  /** Empties the list for the next host, keeping its room. */
  clear(): this {
    this.count = 0;
    return this;
  }

  /** The flows' columns, in the order they came. */
  view(): Int32Array {
    return this.columns.subarray(0, this.count * FLOW_FIELDS);
  }

  /** The flows' levels, in the order they came. */
  levelsView(): Int32Array {
    return this.levels.subarray(0, this.count);
  }

  private grow(): void {
    this.columns = lengthened(this.columns, this.columns.length * 2, 0);
    this.levels = lengthened(this.levels, this.levels.length * 2, 0);
  }
}

/**
 * Puts host tables in canonical order (`compareFlows`: table, priority highest first, match
 * text), flows of one identity in the order they came. Deterministic. `ranks` (`MatchIds.ranks`
 * of the ids the list was built with) places each match id in text order. Each table takes two
 * stable counting sorts instead of a comparison sort: by match rank, then by table and
 * priority, of which a table has few. The scratch arrays are kept for the next host: a
 * compile's hundred tables would otherwise each allocate their own, and that much memory
 * outside the heap makes the garbage collector run a full collection per compile.
 */
export class FlowSorter {
  /** One count per rank; all 0 between sorts. */
  private starts = new Int32Array(0);
  private order = new Int32Array(0);
  private pairOf = new Int32Array(0);

  /** The list's flows, sorted, in columns of their own. */
  sorted(list: FlowList, ranks: Int32Array): SortedFlows {
    const columns = list.view();
    const count = list.length;
    if (this.starts.length < ranks.length + 1) this.starts = new Int32Array(ranks.length + 1);
    if (this.order.length < count) [this.order, this.pairOf] = [new Int32Array(count * 2), new Int32Array(count * 2)];
    return this.byTableAndPriority(columns, list.levelsView(), this.byRank(columns, count, ranks));
  }

  /** Positions of a table's flows in match-rank order, ties in the order they came. */
  private byRank(columns: Int32Array, count: number, ranks: Int32Array): Int32Array {
    const { starts, order } = this;
    const size = ranks.length + 1;
    for (let at = MATCH_FIELD; at < columns.length; at += FLOW_FIELDS) starts[ranks[columns[at]!]! + 1]!++;
    for (let r = 1; r < size; r++) starts[r]! += starts[r - 1]!;
    for (let i = 0; i < count; i++) order[starts[ranks[columns[i * FLOW_FIELDS + MATCH_FIELD]!]!]!++] = i;
    starts.fill(0, 0, size);
    return order;
  }

  /** The flows, given in match-rank order (`byRank`'s first `count`), stably ordered by table, then priority (highest first). */
  private byTableAndPriority(columns: Int32Array, levels: Int32Array, byRank: Int32Array): SortedFlows {
    const count = levels.length;
    const pairOf = this.pairOf;
    // Number each (table, priority) pair as it first comes; flows of one level come together, so
    // the last pair is usually the one again.
    const pairs = new Map<number, number>();
    let lastKey = -1;
    let lastPair = -1;
    for (let i = 0; i < count; i++) {
      // The table ascending, then the priority descending: the level with its priority bits flipped.
      const key = levels[i]! ^ 0xffff;
      if (key !== lastKey) {
        lastKey = key;
        lastPair = pairs.get(key) ?? pairs.set(key, pairs.size).size - 1;
      }
      pairOf[i] = lastPair;
    }

    // Where each pair's flows start, pairs in canonical order (ascending key): each is a run of one level.
    const sizes = new Int32Array(pairs.size);
    for (let i = 0; i < count; i++) sizes[pairOf[i]!]!++;
    const starts = new Int32Array(pairs.size);
    const levelRuns = new Int32Array(pairs.size * 2);
    let start = 0;
    let run = 0;
    for (const key of [...pairs.keys()].sort((a, b) => a - b)) {
      const pair = pairs.get(key)!;
      starts[pair] = start;
      start += sizes[pair]!;
      levelRuns[run++] = key ^ 0xffff;
      levelRuns[run++] = start;
    }
    const sorted = new Int32Array(count * FLOW_FIELDS);
    for (let r = 0; r < count; r++) {
      const i = byRank[r]!;
      const from = i * FLOW_FIELDS;
      const to = starts[pairOf[i]!]!++ * FLOW_FIELDS;
      for (let field = 0; field < FLOW_FIELDS; field++) sorted[to + field] = columns[from + field]!;
    }
    return { columns: sorted, levelRuns };
  }
}
