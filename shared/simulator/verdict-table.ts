import { lengthened, pushUnder, storeAt } from '../arrays';
import { printedMatch, type FlowAction, type SimFlow } from './flow-model';
import type { EngineAddress } from './verdict-address';
import {
  fastFlow,
  flowMatches,
  KNOWN_DESTINATION,
  KNOWN_SOURCE,
  metadataMatches,
  serviceMatches,
  valueHolds,
  type AddressCondition,
  type FastFlow,
} from './verdict-flow';
import { better, CONJ_ID_ZERO, flagsAt, flowRows, HARD, HEAD, METADATA, PRIORITY, ROW, rowMatches, tieOfOtherActions } from './verdict-flow-rows';
import { BIG_FLOW, ConjunctionTally } from './verdict-conjunctions';
import { ExactAddresses, type ExactAddress } from './verdict-exact-addresses';
import type { Frame } from './verdict-frame';

/**
 * One table compiled for fast lookups, with exactly lookupTable's semantics (lookup.ts): the
 * highest-priority hard flow (first in text order among equals) unless conjunctive clauses of a
 * higher priority complete a conjunction, tried level by level from the highest and by id; a
 * completed conjunction is looked up again with conj_id, where only hard flows that head their
 * group of identical matches count. Flows are filed by the exact address they match, so a
 * lookup reads only the flows of the packet's two addresses and of its service; the clauses
 * are tallied by a ConjunctionTally (verdict-conjunctions.ts) without fresh maps or arrays.
 */
export class TableClassifier {
  readonly flows: FastFlow[];
  /** The flows as the lookup reads them (verdict-flow-rows.ts). */
  private readonly rows: Int32Array;
  /** Each flow's actions, by index: what runs once the lookup chose it. */
  readonly actions: (readonly FlowAction[])[];
  /** Flows with a source condition, by address (cached per address id). */
  private readonly sourceHits = new HitsById();
  private readonly destinationHits = new HitsById();
  private readonly bySource = new Filing();
  private readonly byDestination = new Filing();
  /** Flows without address conditions (and without conj_id): found through the service class. */
  private readonly addressless: number[] = [];
  /** Per service class (verdict-classes.ts), the service flows whose service conditions hold. */
  private readonly serviceHits: (Int32Array | undefined)[] = [];
  /** Flows that match conj_id=N (N > 0), by N: only the lookup after a conjunction can see them. */
  private readonly byConjId = new Map<number, number[]>();

  readonly conjunctions: ConjunctionTally;

  // Scratch for one lookup (a lookup never nests inside another of the same table): flow
  // indexes. Arrays only grow, with counts beside them: emptying an array by its length would
  // free its storage.
  private readonly hardMatches: number[] = [];
  private hardCount = 0;
  private readonly clauseMatches: number[] = [];
  private clauseCount = 0;

  /** True after a lookup whose chosen flow tied with a flow of other actions (text order decided). */
  ambiguous = false;
  /** Some group of identical matches has two flows at its top priority: text order picks its head. */
  readonly headTie: boolean;

  constructor(simFlows: readonly SimFlow[], actionsIdOf: (flow: SimFlow) => number, bigFlow = BIG_FLOW) {
    this.flows = simFlows.map((f, i) => fastFlow(f, i, actionsIdOf(f)));
    this.actions = simFlows.map((f) => f.actions);
    this.headTie = markGroupHeads(this.flows);
    this.conjunctions = new ConjunctionTally(this.flows, bigFlow);
    this.rows = flowRows(this.flows, (index) => this.conjunctions.talliedRange(index));

    for (const f of this.flows) {
      if (f.conjId > 0) pushUnder(this.byConjId, f.conjId, f.index);
      else if (f.src !== null) this.bySource.file(f.src, f.index);
      else if (f.dst !== null) this.byDestination.file(f.dst, f.index);
      else this.addressless.push(f.index);
    }
    this.bySource.seal();
    this.byDestination.seal();
  }

  /**
   * The index of the flow whose actions run for this frame, or -1 for a table miss.
   * `serviceClass` must be the frame's ServiceClasses class on this table's host. Sets
   * `ambiguous`. Never allocates once its caches hold the packet's addresses and service.
   */
  lookup(p: Frame, serviceClass: number): number {
    const { rows, flows } = this;
    this.hardCount = 0;
    this.clauseCount = 0;

    const bySource = this.sourceFlows(p.src);
    for (let i = 0; i < bySource.length; i++) if (rowMatches(rows, bySource[i]!, flows, p, KNOWN_SOURCE)) this.add(bySource[i]!);
    const byDestination =
      this.destinationHits.get(p.dst.id) ?? this.fileAddress(this.destinationHits, this.byDestination, p.dst);
    for (let i = 0; i < byDestination.length; i++)
      if (rowMatches(rows, byDestination[i]!, flows, p, KNOWN_DESTINATION)) this.add(byDestination[i]!);
    const byService = this.serviceFlows(serviceClass, p);
    // Their service conditions hold for the class: only metadata is left to check.
    for (let i = 0; i < byService.length; i++) {
      const f = byService[i]!;
      if ((flagsAt(rows, f) & METADATA) === 0 || metadataMatches(flows[f]!, p)) this.add(f);
    }

    const best = this.highestHard();
    const hardPriority = best < 0 ? -1 : rows[ROW * best + PRIORITY]!;
    if (this.clauseCount > 0) {
      const chosen = this.conjunctionLookup(p, hardPriority);
      if (chosen >= 0) return chosen;
    }
    this.ambiguous = best >= 0 && this.tiesWithOther(best);
    return best;
  }

  private add(index: number): void {
    if ((flagsAt(this.rows, index) & HARD) !== 0) this.hardMatches[this.hardCount++] = index;
    else this.clauseMatches[this.clauseCount++] = index;
  }

  private highestHard(): number {
    let best = -1;
    for (let i = 0; i < this.hardCount; i++) {
      const f = this.hardMatches[i]!;
      if (best < 0 || better(this.rows, f, best)) best = f;
    }
    return best;
  }

  private tiesWithOther(best: number): boolean {
    for (let i = 0; i < this.hardCount; i++) {
      const f = this.hardMatches[i]!;
      if (f !== best && tieOfOtherActions(this.rows, f, best)) return true;
    }
    return false;
  }

  /** Tallies the clauses above the best hard flow; the first completed conjunction that selects a flow wins. */
  private conjunctionLookup(p: Frame, hardPriority: number): number {
    const tally = this.conjunctions;
    tally.tally(this.clauseMatches, this.clauseCount, hardPriority, this.rows);
    for (let i = 0; i < tally.completedCount; i++) {
      const chosen = this.afterConjunction(p, tally.conjIds[tally.completed[i]!]!);
      if (chosen >= 0) return chosen;
    }
    return -1;
  }

  /** The lookup with conj_id set: hard flows that head their group of identical matches. */
  private afterConjunction(p: Frame, conjId: number): number {
    const rows = this.rows;
    let best = -1;
    for (let i = 0; i < this.hardCount; i++) {
      const f = this.hardMatches[i]!;
      if (seenAfterConjunction(rows, f) && (best < 0 || better(rows, f, best))) best = f;
    }
    const saved = p.conjId;
    p.conjId = conjId;
    const withId = this.byConjId.get(conjId);
    if (withId !== undefined)
      for (const f of withId)
        if ((flagsAt(rows, f) & HEAD) !== 0 && (best < 0 || better(rows, f, best)) && flowMatches(this.flows[f]!, p, 0)) best = f;

    this.ambiguous = false;
    if (best >= 0) {
      for (let i = 0; i < this.hardCount; i++) {
        const f = this.hardMatches[i]!;
        if (seenAfterConjunction(rows, f) && f !== best && tieOfOtherActions(rows, f, best)) this.ambiguous = true;
      }
      if (withId !== undefined)
        for (const f of withId)
          if (f !== best && (flagsAt(rows, f) & HEAD) !== 0 && tieOfOtherActions(rows, f, best) && flowMatches(this.flows[f]!, p, 0))
            this.ambiguous = true;
    }
    p.conjId = saved;
    return best;
  }

  /** Indexes into `flows` of the flows filed by source whose source condition holds for the address; cached. */
  sourceFlows(address: EngineAddress): Int32Array {
    return this.sourceHits.get(address.id) ?? this.fileAddress(this.sourceHits, this.bySource, address);
  }

  /** Indexes of the flows without address conditions whose service conditions hold for the frame's service class; cached. */
  serviceFlows(serviceClass: number, p: Frame): Int32Array {
    return this.serviceHits[serviceClass] ?? this.fileService(serviceClass, p);
  }

  /** The flows of one filing whose address half holds for the address, ascending; cached per address. */
  private fileAddress(cache: HitsById, filing: Filing, address: EngineAddress): Int32Array {
    const hits = filing.hits(address, this.flows);
    cache.set(address.id, hits);
    return hits;
  }

  private fileService(serviceClass: number, p: Frame): Int32Array {
    const hits = Int32Array.from(this.addressless.filter((index) => serviceMatches(this.flows[index]!, p)));
    storeAt(this.serviceHits, serviceClass, hits);
    return hits;
  }

  /** True when the table uses something the engine leaves to the simulator. */
  get unsupported(): boolean {
    return this.conjunctions.unsupported;
  }
}

/** A hard flow the lookup after a conjunction sees: it heads its group and does not match conj_id=0. */
function seenAfterConjunction(rows: Int32Array, index: number): boolean {
  return (flagsAt(rows, index) & (HEAD | CONJ_ID_ZERO)) === HEAD;
}

const NO_FLOWS = new Int32Array(0);

/**
 * Lists of flows cached by address id. A table meets a few hundred of the book's addresses,
 * with ids up to 50,000 at the huge size, and an array of references held a slot, filled by a
 * push, for every id below the highest, in every table of every host built. Here an id costs
 * four bytes of a typed array outside the collected heap: a replay of that estate peaks 170 to
 * 340 MB lower, at the same speed.
 */
class HitsById {
  /** By id: 1 + the list's place in `lists`; 0 for none yet. */
  private places: Int32Array = new Int32Array(0);
  private readonly lists: Int32Array[] = [];

  get(id: number): Int32Array | undefined {
    const place = id < this.places.length ? this.places[id]! : 0;
    return place === 0 ? undefined : this.lists[place - 1];
  }

  set(id: number, hits: Int32Array): void {
    if (id >= this.places.length) this.places = lengthened(this.places, Math.max(256, 2 * this.places.length, id + 1), 0);
    this.lists.push(hits);
    this.places[id] = this.lists.length;
  }
}

/**
 * Flows filed by the address they match: exact addresses in an ExactAddresses table pointing
 * at their lists, side by side in one array, blocks scanned. A first sight of an address in a
 * table (every table run of a new source or destination) then reads the table once and the
 * list's view, where two Maps (the lists, then their typed copies) cost a bucket and an entry
 * read each.
 */
class Filing {
  private readonly exact = new Map<number | string, { address: ExactAddress; flows: number[] }>();
  private readonly blocks: number[] = [];
  /** Made by `seal`, once every flow is filed: per exact address the number of its list; the lists' flows, and where each starts. */
  private listOf: ExactAddresses | null = null;
  private lists: Int32Array = NO_FLOWS;
  private listStart: Int32Array = NO_FLOWS;
  /** Per list, its view of `lists`, made on first use and shared by every address record; as long as the lists from `seal` on. */
  private views: (Int32Array | undefined)[] = [];

  file(c: AddressCondition, index: number): void {
    if (!c.exact) {
      this.blocks.push(index);
      return;
    }
    const key = exactKey(c.family, c.v4Value, c.value);
    const entry = this.exact.get(key);
    if (entry) entry.flows.push(index);
    else this.exact.set(key, { address: { family: c.family, v4: c.v4Value, value: c.value }, flows: [index] });
  }

  /** Lays the exact lists out for lookups; no flow is filed after. */
  seal(): void {
    const entries: [ExactAddress, number][] = [];
    let length = 0;
    for (const { address, flows } of this.exact.values()) {
      entries.push([address, entries.length]);
      length += flows.length;
    }
    this.lists = new Int32Array(length);
    this.listStart = new Int32Array(entries.length + 1);
    let list = 0;
    for (const { flows } of this.exact.values()) {
      this.lists.set(flows, this.listStart[list]);
      this.listStart[list + 1] = this.listStart[list]! + flows.length;
      list++;
    }
    this.listOf = new ExactAddresses(entries);
    this.views = new Array<Int32Array | undefined>(entries.length).fill(undefined);
    this.exact.clear();
  }

  hits(address: EngineAddress, flows: readonly FastFlow[]): Int32Array {
    const list = this.listOf!.get(address);
    if (this.blocks.length === 0) return list < 0 ? NO_FLOWS : (this.views[list] ?? this.viewOf(list));
    const all = list < 0 ? [] : [...this.lists.subarray(this.listStart[list], this.listStart[list + 1])];
    for (const index of this.blocks) {
      const f = flows[index]!;
      if (valueHolds((f.src ?? f.dst)!, address)) all.push(index);
    }
    return Int32Array.from(all.sort((a, b) => a - b));
  }

  private viewOf(list: number): Int32Array {
    return (this.views[list] = this.lists.subarray(this.listStart[list], this.listStart[list + 1]));
  }
}

/** The key an exact address is filed under: the IPv4 number, or the IPv6 value as text. */
export function exactKey(family: number, v4: number, value: bigint): number | string {
  return family === 4 ? v4 : `6:${value.toString(16)}`;
}

/**
 * Open vSwitch keeps flows with identical matches in one list and, after a conjunction, skips
 * the list when its head is conjunctive: only a hard flow heading its list (highest priority,
 * first in text order) is seen then. Returns whether text order had to pick a head.
 */
function markGroupHeads(flows: readonly FastFlow[]): boolean {
  const heads = new Map<string, FastFlow>();
  const tied = new Set<string>();
  for (const f of flows) {
    const key = printedMatch(f.flow.match);
    const head = heads.get(key);
    if (!head || f.priority > head.priority) {
      heads.set(key, f);
      tied.delete(key);
    } else if (f.priority === head.priority) tied.add(key);
  }
  for (const head of heads.values()) head.afterConjunction = head.hard;
  return tied.size > 0;
}
