import { intern, lengthened, storeAt } from '../arrays';
import type { EngineAddress } from './verdict-address';
import { addDistinctBlock } from './verdict-classes';
import { DestinationFlows } from './verdict-destination-flows';
import { valueHolds, type AddressCondition } from './verdict-flow';
import type { Frame } from './verdict-frame';
import type { MatchShapes } from './verdict-match-shapes';
import { SourceShapes } from './verdict-source-shape';
import type { TableClassifier } from './verdict-table';

/** The clause bits the service's flows supply per host-wide slot, and the slots complete without the source. */
interface ServiceSupply {
  bits: Int32Array;
  withoutSource: Uint8Array;
  /** The slots complete without the source, as a slot mask (addSlot). */
  withoutSourceMask: Int32Array;
}

/** Numbers per destination class in `parts`. */
const PARTS = 5;

/**
 * Sets a slot's bit in a slot mask: two 32-bit words at `at`, where slot s sets bit s mod 64.
 * Masks that share no bit have no slot in common: one AND per word rules out most live clauses
 * (see describePair).
 */
function addSlot(mask: Int32Array, at: number, slot: number): void {
  mask[at + ((slot >> 5) & 1)]! |= 1 << (slot & 31);
}

/**
 * With the source class and the service class fixed, a destination changes a host's answer
 * only through its hard flows and through clauses of conjunctions that can still complete:
 * a conjunction is dead for a (source, service) when some clause is supplied neither by a flow
 * of the source, nor of the service, nor of any destination. Two destinations that agree on
 * their hard flows (shapes as verdict-classes.ts compares them), their blocks and their clauses
 * of live conjunctions therefore take corresponding flows in every table, and get the same
 * answer. Most destinations of a packet have no clause of a live conjunction (no edge joins
 * their groups with the source's for this service), so their key is their hard part alone.
 * Conservative where it cannot tell (metadata conditions, flows with both addresses, blocks):
 * it then tells destinations apart that need not be, never the other way. Deterministic.
 */
export class DestinationProjection {
  private readonly tables: { classifier: TableClassifier; table: number; offset: number }[] = [];
  /** Per host-wide slot (a table's conjunction slot after the slots of lower tables): all its clause bits. */
  private readonly full: Int32Array;
  /** Per slot, the bits flows of any destination (and conj_id flows) can supply. */
  private readonly fromDestinations: Int32Array;
  /** The same from those flows alone that match no exact destination (blocks, conj_id flows): what a destination without clauses may still supply. */
  private readonly fromInexact: Int32Array;
  private readonly sourceShapes: SourceShapes;
  /** Per source class, its shape id (SourceShapes), -1 until asked. */
  private shapeBySource: Int32Array = new Int32Array(0);
  private readonly destinationFlows: DestinationFlows;
  private readonly blocks: AddressCondition[] = [];
  private readonly hardKeys = new Map<string, number>();
  private readonly liveKeys = new Map<string, number>();
  /**
   * Per destination class PARTS numbers, side by side as one packet reads them: the id of its
   * hard flows (shape, actions, whether they head their group) and the blocks that hold it, -1
   * until described; from where to where its clause flows' (shape id, host-wide slot, clause
   * bit) triples, sorted, lie in `clauses`; and the slot mask (addSlot, two words) of those slots.
   */
  private parts: Int32Array = new Int32Array(0);
  private clauses: Int32Array = new Int32Array(1024);
  private clauseCount = 0;
  /** Per slot, zero between uses: where sourceSupply gathers a source's bits, and the slots it met. */
  private readonly scratch: Int32Array;
  private readonly slotScratch: Int32Array;
  /**
   * Per source class, a triple per slot its flows supply a clause of, ascending by slot: the
   * slot, the clause bits a service must add for the slot to be live (complete with the
   * source's, the service's and any destination's flows), and those it must add for the slot to
   * complete with flows matching no exact destination. Worked out once per source class, so a
   * (source class, service class) reads one number per slot of the service's.
   */
  private readonly sources: (Int32Array | undefined)[] = [];
  private readonly services: (ServiceSupply | undefined)[] = [];
  /**
   * The live slots (describePair) of every (source class, service class) asked, ascending per pair,
   * side by side: one growing array rather than a typed array per pair (34,000 of them in the
   * large bench's timed run).
   */
  private live: Int32Array = new Int32Array(1024);
  private liveCount = 0;

  constructor(
    tables: Iterable<[number, TableClassifier]>,
    destinationShapes: MatchShapes,
    sourceShapes: MatchShapes,
  ) {
    let slots = 0;
    for (const [table, classifier] of tables) {
      this.tables.push({ classifier, table, offset: slots });
      slots += classifier.conjunctions.full.length;
    }
    this.full = new Int32Array(slots);
    this.fromDestinations = new Int32Array(slots);
    this.scratch = new Int32Array(slots);
    this.slotScratch = new Int32Array(slots);
    this.fromInexact = new Int32Array(slots);
    this.sourceShapes = new SourceShapes(this.tables.map(({ table, classifier }) => [table, classifier]), sourceShapes);
    const blockKeys = new Set<string>();
    this.destinationFlows = new DestinationFlows(this.tables, destinationShapes);
    for (const { classifier, offset } of this.tables) {
      this.full.set(classifier.conjunctions.full, offset);
      for (const flow of classifier.flows) {
        const dst = flow.dst;
        if (flow.src === null && (dst !== null || flow.conjId > 0))
          addClauses(this.fromDestinations, offset, classifier.conjunctions.clausesOf(flow.index));
        if (flow.src === null && ((dst !== null && !dst.exact) || flow.conjId > 0))
          addClauses(this.fromInexact, offset, classifier.conjunctions.clausesOf(flow.index));
        if (dst !== null && !dst.exact) addDistinctBlock(this.blocks, blockKeys, dst);
      }
    }
  }

  /**
   * Makes room for the classes the host's flows name (AddressClasses interns them all when
   * built), so the per-class arrays are not copied again as classes are first met.
   */
  reserve(sourceClasses: number, destinationClasses: number): void {
    if (sourceClasses > this.shapeBySource.length) this.shapeBySource = lengthened(this.shapeBySource, sourceClasses, -1);
    if (PARTS * destinationClasses > this.parts.length) this.parts = lengthened(this.parts, PARTS * destinationClasses, -1);
  }

  /** Makes ready what the keys of packets of this service class need; `packet` holds the service. */
  prepare(serviceClass: number, packet: Frame): void {
    if (this.services[serviceClass] === undefined) this.supply(serviceClass, packet);
  }

  /** The key of a destination (a member of the class) for every source and service when it has no clause flows, else -1. */
  keyForAll(destinationClass: number, dst: EngineAddress): number {
    const at = PARTS * destinationClass;
    if (at >= this.parts.length || this.parts[at]! < 0) this.describe(destinationClass, dst);
    return this.parts[at + 1] === this.parts[at + 2] ? 2 * this.parts[at]! : -1;
  }

  /**
   * Writes at `at` five numbers for a source class and a service class. First the id of the
   * row the source may share with other sources for destinations whose key is even (no clause
   * of a live conjunction), or -1: the source's shape (SourceShapes) when no conjunction the
   * source supplies a clause of can complete with the service's flows and flows matching no
   * exact destination. For such a destination no conjunction of the source then completes, and
   * whether the others do does not depend on the source, so sources of one shape get the same
   * answer; a source first seen thus uses its peers' answers. Then the slot mask (addSlot, two
   * words) of the slots whose clauses make a destination's key odd, and from where to where the
   * live slots lie in `live`: the slots the source's flows complete with the service's and any
   * destination's, and with them the slots complete without the source. A destination none of
   * whose clause slots has its bit in the mask has an even key, without a look at the slots
   * themselves. Not cached here (the host caches per source class and service class).
   */
  describePair(sourceClass: number, src: EngineAddress, serviceClass: number, into: Int32Array, at: number): void {
    const service = this.services[serviceClass]!;
    const supplied = service.bits;
    const source = this.sources[sourceClass] ?? this.sourceSupply(sourceClass, src);
    const room = this.liveCount + source.length / 3;
    if (room > this.live.length) this.live = lengthened(this.live, Math.max(2 * this.live.length, room), 0);
    // Two stores, not `set`: a builtin call for two numbers cost more than the pair's other work.
    into[at + 1] = service.withoutSourceMask[0]!;
    into[at + 2] = service.withoutSourceMask[1]!;
    into[at + 3] = this.liveCount;
    let shared = true;
    for (let i = 0; i < source.length; i += 3) {
      const slot = source[i]!;
      const bits = supplied[slot]!;
      const needLive = source[i + 1]!;
      if ((bits & needLive) !== needLive) continue;
      this.live[this.liveCount++] = slot;
      addSlot(into, at + 1, slot);
      // Flows matching no exact destination are some of all destinations' flows: a slot complete with them is live.
      const needAlone = source[i + 2]!;
      if ((bits & needAlone) === needAlone) shared = false;
    }
    into[at + 4] = this.liveCount;
    into[at] = shared ? this.shapeOf(sourceClass, src) : -1;
  }

  private shapeOf(sourceClass: number, src: EngineAddress): number {
    if (sourceClass >= this.shapeBySource.length)
      this.shapeBySource = lengthened(this.shapeBySource, Math.max(256, 2 * this.shapeBySource.length, sourceClass + 1), -1);
    const known = this.shapeBySource[sourceClass]!;
    return known >= 0 ? known : (this.shapeBySource[sourceClass] = this.sourceShapes.idOf(src));
  }

  /**
   * The key of the destination for a packet of these classes: packets of one source class and
   * one service class (prepared) whose destinations share a key get the same answer. `dst` is
   * a member of its class; `pair` holds describePair's mask and live range of the source class and service class at `pairAt`.
   */
  keyOf(serviceClass: number, destinationClass: number, dst: EngineAddress, pair: Int32Array, pairAt: number): number {
    const at = PARTS * destinationClass;
    if (at >= this.parts.length || this.parts[at]! < 0) this.describe(destinationClass, dst);
    const hard = this.parts[at]!;
    const from = this.parts[at + 1]!;
    const to = this.parts[at + 2]!;
    if (from === to || ((this.parts[at + 3]! & pair[pairAt]!) | (this.parts[at + 4]! & pair[pairAt + 1]!)) === 0) return 2 * hard;

    const withoutSource = this.services[serviceClass]!.withoutSource;
    const liveFrom = pair[pairAt + 2]!;
    const liveTo = pair[pairAt + 3]!;
    const clauses = this.clauses;
    for (let i = from; i < to; i += 3) {
      const slot = clauses[i + 1]!;
      if (withoutSource[slot] === 1 || this.holds(liveFrom, liveTo, slot)) return this.liveKey(hard, from, to, withoutSource, liveFrom, liveTo);
    }
    return 2 * hard;
  }

  /** The key of a destination with clauses of live conjunctions: its hard part and those clauses, interned. */
  private liveKey(hard: number, from: number, to: number, withoutSource: Uint8Array, liveFrom: number, liveTo: number): number {
    let key = `${hard}|`;
    for (let i = from; i < to; i += 3) {
      const slot = this.clauses[i + 1]!;
      if (withoutSource[slot] === 1 || this.holds(liveFrom, liveTo, slot)) key += `${this.clauses[i]},${slot},${this.clauses[i + 2]};`;
    }
    return 2 * intern(this.liveKeys, key) + 1;
  }

  private describe(destinationClass: number, dst: EngineAddress): void {
    const numbers = this.destinationFlows.numbers;
    const start = this.destinationFlows.of(dst);
    const hardCount = start < 0 ? 0 : numbers[start]!;
    const tripleCount = start < 0 ? 0 : numbers[start + 1]!;
    let hard = '';
    for (let i = 0; i < hardCount; i++) hard += `${numbers[start + 2 + i]},`;
    hard += '|';
    for (let i = 0; i < this.blocks.length; i++) if (valueHolds(this.blocks[i]!, dst)) hard += `${i},`;

    const at = PARTS * destinationClass;
    if (at >= this.parts.length) this.parts = lengthened(this.parts, Math.max(1024, 2 * this.parts.length, at + PARTS), -1);
    if (this.clauseCount + 3 * tripleCount > this.clauses.length)
      this.clauses = lengthened(this.clauses, Math.max(2 * this.clauses.length, this.clauseCount + 3 * tripleCount), 0);
    this.parts[at] = intern(this.hardKeys, hard);
    this.parts[at + 1] = this.clauseCount;
    this.parts[at + 3] = this.parts[at + 4] = 0;
    for (let i = start + 2 + hardCount, to = i + 3 * tripleCount; i < to; i += 3) {
      this.clauses[this.clauseCount++] = numbers[i]!;
      this.clauses[this.clauseCount++] = numbers[i + 1]!;
      this.clauses[this.clauseCount++] = numbers[i + 2]!;
      addSlot(this.parts, at + 3, numbers[i + 1]!);
    }
    this.parts[at + 2] = this.clauseCount;
  }

  private supply(serviceClass: number, packet: Frame): ServiceSupply {
    const bits = new Int32Array(this.full.length);
    for (const { classifier, offset } of this.tables)
      for (const index of classifier.serviceFlows(serviceClass, packet))
        addClauses(bits, offset, classifier.conjunctions.clausesOf(index));
    const withoutSource = Uint8Array.from(bits, (b, slot) => ((b | this.fromDestinations[slot]!) === this.full[slot] ? 1 : 0));
    const withoutSourceMask = new Int32Array(2);
    for (const [slot, complete] of withoutSource.entries()) if (complete === 1) addSlot(withoutSourceMask, 0, slot);
    const supply = { bits, withoutSource, withoutSourceMask };
    storeAt(this.services, serviceClass, supply);
    return supply;
  }

  /** Whether the live slots from `from` to `to` (a short ascending run) hold the slot. */
  private holds(from: number, to: number, slot: number): boolean {
    for (let i = from; i < to && this.live[i]! <= slot; i++) if (this.live[i] === slot) return true;
    return false;
  }

  private sourceSupply(sourceClass: number, src: EngineAddress): Int32Array {
    const bits = this.scratch;
    const slots = this.slotScratch;
    let count = 0;
    for (const { classifier, offset } of this.tables) {
      const { pairs } = classifier.conjunctions;
      for (const index of classifier.sourceFlows(src)) {
        for (let i = classifier.conjunctions.pairsFrom(index), to = classifier.conjunctions.pairsTo(index); i < to; i += 2) {
          const slot = offset + pairs[i]!;
          if (bits[slot] === 0) slots[count++] = slot;
          bits[slot]! |= pairs[i + 1]!;
        }
      }
    }
    // A typed array sorts numerically in place.
    slots.subarray(0, count).sort();
    const triples = new Int32Array(3 * count);
    for (let i = 0; i < count; i++) {
      const slot = slots[i]!;
      const full = this.full[slot]!;
      triples[3 * i] = slot;
      triples[3 * i + 1] = full & ~(bits[slot]! | this.fromDestinations[slot]!);
      triples[3 * i + 2] = full & ~(bits[slot]! | this.fromInexact[slot]!);
      bits[slot] = 0;
    }
    storeAt(this.sources, sourceClass, triples);
    return triples;
  }
}

/** Ors a flow's (slot, clause bit) pairs into per-slot bits, its table's slots starting at `offset`. */
function addClauses(bits: Int32Array, offset: number, pairs: Int32Array): void {
  for (let i = 0; i < pairs.length; i += 2) bits[offset + pairs[i]!]! |= pairs[i + 1]!;
}
