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
  readonly conjIds: number[] = [];
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
    const slotOf = numberSlots(flows, this.conjIds);
    const slots = this.conjIds.length;
    this.full = new Int32Array(slots);
    for (const [key, slot] of slotOf) {
      const clauses = Number(key.split('/')[2]);
      this.full[slot] = clauses > MAX_FAST_CLAUSES ? -1 : (2 ** clauses - 1) | 0;
    }

    // Clause bits each slot gets from big flows; a slot that big flows alone can complete is tallied from them too.
    const pairsOf = flows.map((f) => conjunctionPairs(f, slotOf));
    [this.pairs, this.pairStart] = flatPairs(pairsOf);

    const bigMask = new Int32Array(slots);
    const suppliers: [number, number][][] = Array.from({ length: slots }, () => []);
    for (const f of flows) {
      const pairs = pairsOf[f.index]!;
      if (pairs.length <= bigFlow) continue;
      for (const [slot, bit] of pairs) {
        bigMask[slot]! |= bit;
        suppliers[slot]!.push([f.index, bit]);
      }
    }
    const talliedOf = pairsOf.map((pairs) => (pairs.length <= bigFlow ? pairs : pairs.filter(([slot]) => bigMask[slot] === this.full[slot])));
    [this.tallied, this.talliedStart] = flatPairs(talliedOf);
    this.bigStart = new Int32Array(slots + 1);
    suppliers.forEach((list, slot) => (this.bigStart[slot + 1] = this.bigStart[slot]! + list.length));
    this.bigFlow = Int32Array.from(suppliers.flatMap((list) => list.map(([index]) => index)));
    this.bigBit = Int32Array.from(suppliers.flatMap((list) => list.map(([, bit]) => bit)));

    this.stamp = new Int32Array(slots);
    this.mask = new Int32Array(slots);
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

/** Per-flow pairs side by side in one array, and where each flow's start (one more entry: the end). */
function flatPairs(pairsOf: readonly [number, number][][]): [Int32Array, Int32Array] {
  const start = new Int32Array(pairsOf.length + 1);
  for (let i = 0; i < pairsOf.length; i++) start[i + 1] = start[i]! + 2 * pairsOf[i]!.length;
  const flat = new Int32Array(start[pairsOf.length]!);
  for (let i = 0; i < pairsOf.length; i++) flat.set(pairsOf[i]!.flat(), start[i]);
  return [flat, start];
}

/** The (slot, clause bit) pairs a flow's conjunction actions name. */
function conjunctionPairs(f: FastFlow, slotOf: ReadonlyMap<string, number>): [number, number][] {
  return f.flow.actions.flatMap((a): [number, number][] =>
    a.kind === 'conjunction' ? [[slotOf.get(`${f.priority}/${a.id}/${a.clauses}`)!, 2 ** (a.clause - 1) | 0]] : [],
  );
}

/** Numbers the slots in lookupTable's order; the map goes from `priority/id/clauses` to the slot. */
function numberSlots(flows: readonly FastFlow[], conjIds: number[]): Map<string, number> {
  const keys = new Map<string, { priority: number; id: number; clauses: number }>();
  for (const f of flows)
    for (const a of f.flow.actions)
      if (a.kind === 'conjunction') keys.set(`${f.priority}/${a.id}/${a.clauses}`, { priority: f.priority, id: a.id, clauses: a.clauses });
  const ordered = [...keys.entries()].sort(([, a], [, b]) => b.priority - a.priority || a.id - b.id || a.clauses - b.clauses);
  const slotOf = new Map<string, number>();
  for (const [key, s] of ordered) {
    slotOf.set(key, slotOf.size);
    conjIds.push(s.id);
  }
  return slotOf;
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
