import { pushUnder, storeAt } from '../arrays';
import { formatMatch, type SimFlow } from './flow-model';
import type { EngineAddress } from './verdict-address';
import {
  fastFlow,
  flowMatches,
  KNOWN_DESTINATION,
  KNOWN_SOURCE,
  serviceMatches,
  valueHolds,
  type AddressCondition,
  type FastFlow,
} from './verdict-flow';
import { BIG_FLOW, ConjunctionTally } from './verdict-conjunctions';
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
  /** Flows with a source condition, by address (cached per address id). */
  private readonly sourceHits: (Int32Array | undefined)[] = [];
  private readonly destinationHits: (Int32Array | undefined)[] = [];
  private readonly bySource = new Filing();
  private readonly byDestination = new Filing();
  /** Flows without address conditions (and without conj_id): found through the service class. */
  private readonly addressless: number[] = [];
  /** Per service class (verdict-classes.ts), the service flows whose service conditions hold. */
  private readonly serviceHits: (Int32Array | undefined)[] = [];
  /** Flows that match conj_id=N (N > 0), by N: only the lookup after a conjunction can see them. */
  private readonly byConjId = new Map<number, number[]>();

  readonly conjunctions: ConjunctionTally;

  // Scratch for one lookup (a lookup never nests inside another of the same table). Arrays only
  // grow, with counts beside them: emptying an array by its length would free its storage.
  private readonly hardMatches: FastFlow[] = [];
  private hardCount = 0;
  private readonly clauseMatches: FastFlow[] = [];
  private clauseCount = 0;

  /** True after a lookup whose chosen flow tied with a flow of other actions (text order decided). */
  ambiguous = false;
  /** Some group of identical matches has two flows at its top priority: text order picks its head. */
  readonly headTie: boolean;

  constructor(simFlows: readonly SimFlow[], actionsIdOf: (flow: SimFlow) => number, bigFlow = BIG_FLOW) {
    this.flows = simFlows.map((f, i) => fastFlow(f, i, actionsIdOf(f)));
    this.headTie = markGroupHeads(this.flows);
    this.conjunctions = new ConjunctionTally(this.flows, bigFlow);

    for (const f of this.flows) {
      if (f.conjId > 0) pushUnder(this.byConjId, f.conjId, f.index);
      else if (f.src !== null) this.bySource.file(f.src, f.index);
      else if (f.dst !== null) this.byDestination.file(f.dst, f.index);
      else this.addressless.push(f.index);
    }
  }

  /**
   * The flow whose actions run for this frame, or null for a table miss. `serviceClass` must be
   * the frame's ServiceClasses class on this table's host. Sets `ambiguous`. Never allocates
   * once its caches hold the packet's addresses and service.
   */
  lookup(p: Frame, serviceClass: number): FastFlow | null {
    const flows = this.flows;
    this.hardCount = 0;
    this.clauseCount = 0;

    const bySource = this.sourceFlows(p.src);
    for (let i = 0; i < bySource.length; i++) {
      const f = flows[bySource[i]!]!;
      if (flowMatches(f, p, KNOWN_SOURCE)) this.add(f);
    }
    const byDestination =
      this.destinationHits[p.dst.id] ?? this.fileAddress(this.destinationHits, this.byDestination, p.dst);
    for (let i = 0; i < byDestination.length; i++) {
      const f = flows[byDestination[i]!]!;
      if (flowMatches(f, p, KNOWN_DESTINATION)) this.add(f);
    }
    const byService = this.serviceFlows(serviceClass, p);
    for (let i = 0; i < byService.length; i++) {
      const f = flows[byService[i]!]!;
      if (!f.hasMetadata || flowMatches(f, p, 0)) this.add(f);
    }

    const best = this.highestHard();
    const hardPriority = best === null ? -1 : best.priority;
    if (this.clauseCount > 0) {
      const chosen = this.conjunctionLookup(p, hardPriority);
      if (chosen !== null) return chosen;
    }
    this.ambiguous = best !== null && this.tiesWithOther(best);
    return best;
  }

  private add(f: FastFlow): void {
    if (f.hard) this.hardMatches[this.hardCount++] = f;
    else this.clauseMatches[this.clauseCount++] = f;
  }

  private highestHard(): FastFlow | null {
    let best: FastFlow | null = null;
    for (let i = 0; i < this.hardCount; i++) {
      const f = this.hardMatches[i]!;
      if (best === null || better(f, best)) best = f;
    }
    return best;
  }

  private tiesWithOther(best: FastFlow): boolean {
    for (let i = 0; i < this.hardCount; i++) {
      const f = this.hardMatches[i]!;
      if (f !== best && f.priority === best.priority && f.actionsId !== best.actionsId) return true;
    }
    return false;
  }

  /** Tallies the clauses above the best hard flow; the first completed conjunction that selects a flow wins. */
  private conjunctionLookup(p: Frame, hardPriority: number): FastFlow | null {
    const tally = this.conjunctions;
    tally.tally(this.clauseMatches, this.clauseCount, hardPriority);
    for (let i = 0; i < tally.completedCount; i++) {
      const chosen = this.afterConjunction(p, tally.conjIds[tally.completed[i]!]!);
      if (chosen !== null) return chosen;
    }
    return null;
  }

  /** The lookup with conj_id set: hard flows that head their group of identical matches. */
  private afterConjunction(p: Frame, conjId: number): FastFlow | null {
    let best: FastFlow | null = null;
    for (let i = 0; i < this.hardCount; i++) {
      const f = this.hardMatches[i]!;
      if (f.afterConjunction && f.conjId !== 0 && (best === null || better(f, best))) best = f;
    }
    const saved = p.conjId;
    p.conjId = conjId;
    const withId = this.byConjId.get(conjId);
    if (withId !== undefined)
      for (const index of withId) {
        const f = this.flows[index]!;
        if (f.afterConjunction && (best === null || better(f, best)) && flowMatches(f, p, 0)) best = f;
      }

    this.ambiguous = false;
    if (best !== null) {
      for (let i = 0; i < this.hardCount; i++) {
        const f = this.hardMatches[i]!;
        if (f.afterConjunction && f.conjId !== 0 && f !== best && f.priority === best.priority && f.actionsId !== best.actionsId)
          this.ambiguous = true;
      }
      if (withId !== undefined)
        for (const index of withId) {
          const f = this.flows[index]!;
          if (f !== best && f.afterConjunction && f.priority === best.priority && f.actionsId !== best.actionsId && flowMatches(f, p, 0))
            this.ambiguous = true;
        }
    }
    p.conjId = saved;
    return best;
  }

  /** Indexes into `flows` of the flows filed by source whose source condition holds for the address; cached. */
  sourceFlows(address: EngineAddress): Int32Array {
    return this.sourceHits[address.id] ?? this.fileAddress(this.sourceHits, this.bySource, address);
  }

  /** Indexes of the flows without address conditions whose service conditions hold for the frame's service class; cached. */
  serviceFlows(serviceClass: number, p: Frame): Int32Array {
    return this.serviceHits[serviceClass] ?? this.fileService(serviceClass, p);
  }

  /** The flows of one filing whose address half holds for the address, ascending; cached per address. */
  private fileAddress(cache: (Int32Array | undefined)[], filing: Filing, address: EngineAddress): Int32Array {
    const hits = filing.hits(address, this.flows);
    storeAt(cache, address.id, hits);
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

const NO_FLOWS = new Int32Array(0);

/** Flows filed by the address they match: exact addresses in a map, blocks scanned. */
class Filing {
  private readonly exact = new Map<number | string, number[]>();
  /** The lists of `exact` as typed arrays, made on first use and shared by every address record. */
  private readonly exactHits = new Map<number | string, Int32Array>();
  private readonly blocks: number[] = [];

  file(c: AddressCondition, index: number): void {
    if (!c.exact) {
      this.blocks.push(index);
      return;
    }
    pushUnder(this.exact, exactKey(c.family, c.v4Value, c.value), index);
  }

  hits(address: EngineAddress, flows: readonly FastFlow[]): Int32Array {
    const key = exactKey(address.family, address.v4, address.value);
    const exact = this.exact.get(key) ?? [];
    if (this.blocks.length === 0) {
      if (exact.length === 0) return NO_FLOWS;
      let hits = this.exactHits.get(key);
      if (!hits) this.exactHits.set(key, (hits = Int32Array.from(exact)));
      return hits;
    }
    const all = [...exact];
    for (const index of this.blocks) {
      const f = flows[index]!;
      if (valueHolds((f.src ?? f.dst)!, address)) all.push(index);
    }
    return Int32Array.from(all.sort((a, b) => a - b));
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
    const key = formatMatch(f.flow.match);
    const head = heads.get(key);
    if (!head || f.priority > head.priority) {
      heads.set(key, f);
      tied.delete(key);
    } else if (f.priority === head.priority) tied.add(key);
  }
  for (const head of heads.values()) head.afterConjunction = head.hard;
  return tied.size > 0;
}

/** Higher priority, or the same and earlier in the text. */
function better(a: FastFlow, b: FastFlow): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.line < b.line);
}
