import type { FastFlow } from './verdict-flow';
import { PRIORITY, ROW, TALLIED_FROM, TALLIED_TO } from './verdict-flow-rows';

/** A clause is one bit of a 32-bit mask; Open vSwitch allows 64 clauses, tables with more take the simulator. */
export const MAX_FAST_CLAUSES = 31;

/**
 * A clause flow with more conjunction actions than this is "big" (a popular service or address
 * serving thousands of rules): its actions are not tallied one by one; a conjunction that some
 * small flow started asks it for its missing clauses instead.
 */
export const BIG_FLOW = 32;

/**
 * Which conjunctions the clause flows of one lookup complete, in the order lookupTable tries
 * them. Every (priority, conjunction id, clause count) of the table is a slot, numbered in that
 * order (priority descending, then id, then count), so sorting completed slots sorts them right.
 * Tallies live in typed arrays stamped with a generation: no allocation per packet.
 */
export class ConjunctionTally {
  /** Per slot: the conjunction id, and the mask of all its clauses (-1: too many clauses). */
  readonly conjIds: number[];
  readonly full: Int32Array;
  /** Per slot, the big flows that supply one of its clauses: flow index and clause bit, from start[slot] to start[slot + 1]. */
  private readonly bigStart: Int32Array;
  private readonly bigFlow: Int32Array;
  private readonly bigBit: Int32Array;

  private readonly stamp: Int32Array;
  private readonly mask: Int32Array;
  private readonly flowStamp: Int32Array;
  private generation = 0;
  private readonly touched: number[] = [];
  /** The completed slots of the last tally, ascending; `completedCount` of them count. */
  readonly completed: number[] = [];
  completedCount = 0;

  /** Every flow's (slot, clause bit) pairs, big flows' too, side by side: flow i's (its `index`, its place in `flows`) lie from pairStart[i] to pairStart[i + 1]. */
  readonly pairs: Int32Array;
  private readonly pairStart: Int32Array;
  /**
   * The pairs a lookup tallies, laid out the same way: all of a flow's, but a big flow's only
   * for slots big flows alone can complete. Flat, as one small array per flow held a fifth of a
   * large engine's heap.
   */
  private readonly tallied: Int32Array;
  private readonly talliedStart: Int32Array;

  constructor(flows: readonly FastFlow[], bigFlow = BIG_FLOW) {
    const slots = new ConjunctionSlots(flows);
    this.conjIds = slots.conjIds;
    this.full = slots.full;
    const slotCount = this.conjIds.length;

    [this.pairs, this.pairStart] = conjunctionPairs(flows, slots);
    const { pairs, pairStart } = this;
    const isBig = (index: number): boolean => pairStart[index + 1]! - pairStart[index]! > 2 * bigFlow;

    // Clause bits each slot gets from big flows; a slot that big flows alone can complete is tallied from them too.
    const bigMask = new Int32Array(slotCount);
    this.bigStart = new Int32Array(slotCount + 1);
    for (const f of flows)
      if (isBig(f.index))
        for (let at = pairStart[f.index]!; at < pairStart[f.index + 1]!; at += 2) {
          bigMask[pairs[at]!]! |= pairs[at + 1]!;
          this.bigStart[pairs[at]! + 1]!++;
        }
    for (let slot = 0; slot < slotCount; slot++) this.bigStart[slot + 1]! += this.bigStart[slot]!;
    this.bigFlow = new Int32Array(this.bigStart[slotCount]!);
    this.bigBit = new Int32Array(this.bigStart[slotCount]!);
    const filled = this.bigStart.slice(0, slotCount);
    for (const f of flows)
      if (isBig(f.index))
        for (let at = pairStart[f.index]!; at < pairStart[f.index + 1]!; at += 2) {
          const j = filled[pairs[at]!]!++;
          this.bigFlow[j] = f.index;
          this.bigBit[j] = pairs[at + 1]!;
        }

    // A small flow's pairs are all tallied; a big flow's only for slots big flows alone complete.
    const tallies = (index: number, at: number): boolean => !isBig(index) || bigMask[pairs[at]!] === this.full[pairs[at]!];
    this.talliedStart = new Int32Array(flows.length + 1);
    for (let index = 0; index < flows.length; index++) {
      let count = 0;
      for (let at = pairStart[index]!; at < pairStart[index + 1]!; at += 2) if (tallies(index, at)) count += 2;
      this.talliedStart[index + 1] = this.talliedStart[index]! + count;
    }
    this.tallied = new Int32Array(this.talliedStart[flows.length]!);
    for (let index = 0, to = 0; index < flows.length; index++)
      for (let at = pairStart[index]!; at < pairStart[index + 1]!; at += 2)
        if (tallies(index, at)) {
          this.tallied[to++] = pairs[at]!;
          this.tallied[to++] = pairs[at + 1]!;
        }

    this.stamp = new Int32Array(slotCount);
    this.mask = new Int32Array(slotCount);
    this.flowStamp = new Int32Array(flows.length);
  }

  /** Every (slot, clause bit) pair a flow's conjunction actions name, big flows' too, flat: a view, not a copy. */
  clausesOf(index: number): Int32Array {
    return this.pairs.subarray(this.pairStart[index], this.pairStart[index + 1]);
  }

  /**
   * Where clausesOf's pairs start and end in `pairs`: for a first sight's loops, which then
   * make no view and, given the flow's index, read no cold FastFlow.
   */
  pairsFrom(index: number): number {
    return this.pairStart[index]!;
  }

  pairsTo(index: number): number {
    return this.pairStart[index + 1]!;
  }

  /** Where flow `index`'s tallied pairs start and end, for the table's rows (verdict-flow-rows.ts), from which tally reads them. */
  talliedRange(index: number): [number, number] {
    return [this.talliedStart[index]!, this.talliedStart[index + 1]!];
  }

  /** True when some conjunction has more clauses than the masks hold. */
  get unsupported(): boolean {
    return this.full.some((full) => full === -1);
  }

  /**
   * Tallies the clauses of the matching clause flows (the first `count` flow indexes of
   * `matches`, read from the table's `rows`) above `hardPriority`; fills `completed` with the
   * slots whose every clause matched, ascending.
   */
  tally(matches: readonly number[], count: number, hardPriority: number, rows: Int32Array): void {
    const { stamp, mask, full, touched, completed, tallied } = this;
    if (this.generation === 0x7fffffff) this.restart();
    const generation = ++this.generation;
    let touchedCount = 0;
    let done = 0;

    for (let c = 0; c < count; c++) {
      const index = matches[c]!;
      const at = ROW * index;
      if (rows[at + PRIORITY]! <= hardPriority) continue;
      this.flowStamp[index] = generation;
      for (let i = rows[at + TALLIED_FROM]!, end = rows[at + TALLIED_TO]!; i < end; i += 2) {
        const slot = tallied[i]!;
        if (stamp[slot] !== generation) {
          stamp[slot] = generation;
          mask[slot] = 0;
          touched[touchedCount++] = slot;
        }
        const before = mask[slot]!;
        const after = before | tallied[i + 1]!;
        if (after !== before) {
          mask[slot] = after;
          if (after === full[slot]) completed[done++] = slot;
        }
      }
    }

    // Conjunctions a small flow started: the big flows that matched may supply the rest.
    for (let t = 0; t < touchedCount; t++) {
      const slot = touched[t]!;
      let m = mask[slot]!;
      if (m === full[slot]) continue;
      for (let j = this.bigStart[slot]!; j < this.bigStart[slot + 1]!; j++)
        if (this.flowStamp[this.bigFlow[j]!] === generation) m |= this.bigBit[j]!;
      if (m === full[slot]) completed[done++] = slot;
    }
    sortPrefix(completed, done);
    this.completedCount = done;
  }

  private restart(): void {
    this.stamp.fill(0);
    this.flowStamp.fill(0);
    this.generation = 0;
  }
}

/**
 * Every (priority, conjunction id, clause count) of a table, numbered in lookupTable's order
 * (priority descending, then id, then count). Keyed by numbers, per priority: a table names
 * them once per conjunction action, a hundred thousand times on a large host.
 */
class ConjunctionSlots {
  readonly conjIds: number[] = [];
  readonly full: Int32Array;
  /** Per priority: (id × 128 + clauses) → slot. An id is 32 bits and clauses at most 64, so the key stays an exact integer. */
  private readonly byPriority = new Map<number, Map<number, number>>();

  constructor(flows: readonly FastFlow[]) {
    const found: { priority: number; id: number; clauses: number }[] = [];
    for (const f of flows) {
      let inner: Map<number, number> | undefined;
      for (const a of f.flow.actions) {
        if (a.kind !== 'conjunction') continue;
        inner ??= this.byPriority.get(f.priority) ?? this.byPriority.set(f.priority, new Map()).get(f.priority)!;
        const key = a.id * 128 + a.clauses;
        if (!inner.has(key)) {
          inner.set(key, -1);
          found.push({ priority: f.priority, id: a.id, clauses: a.clauses });
        }
      }
    }
    found.sort((a, b) => b.priority - a.priority || a.id - b.id || a.clauses - b.clauses);
    this.full = new Int32Array(found.length);
    for (const [slot, { priority, id, clauses }] of found.entries()) {
      this.byPriority.get(priority)!.set(id * 128 + clauses, slot);
      this.conjIds.push(id);
      this.full[slot] = clauses > MAX_FAST_CLAUSES ? -1 : (2 ** clauses - 1) | 0;
    }
  }

  slotOf(priority: number, id: number, clauses: number): number {
    return this.byPriority.get(priority)!.get(id * 128 + clauses)!;
  }
}

/**
 * The (slot, clause bit) pairs each flow's conjunction actions name, side by side in one
 * array, and where each flow's start (one more entry: the end). Flat, as one small array per
 * flow held a fifth of a large engine's heap and tuples per action kept its collector busy.
 */
function conjunctionPairs(flows: readonly FastFlow[], slots: ConjunctionSlots): [Int32Array, Int32Array] {
  const start = new Int32Array(flows.length + 1);
  for (const f of flows) {
    let count = 0;
    for (const a of f.flow.actions) if (a.kind === 'conjunction') count += 2;
    start[f.index + 1] = count;
  }
  for (let i = 0; i < flows.length; i++) start[i + 1]! += start[i]!;
  const flat = new Int32Array(start[flows.length]!);
  for (const f of flows) {
    let at = start[f.index]!;
    for (const a of f.flow.actions)
      if (a.kind === 'conjunction') {
        flat[at++] = slots.slotOf(f.priority, a.id, a.clauses);
        flat[at++] = 2 ** (a.clause - 1) | 0;
      }
  }
  return [flat, start];
}

/** Sorts the first `count` numbers of the list ascending (few: the conjunctions one packet completes). */
function sortPrefix(list: number[], count: number): void {
  for (let i = 1; i < count; i++) {
    const v = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]! > v) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}
