import { intern, lengthened, storeAt } from '../arrays';
import { CT_FLAGS, type FlowAction, type SimFlow } from './flow-model';
import { startsConnection } from './packet';
import { MAX_DEPTH, type FlowTables } from './simulate';
import type { AddressBook, EngineAddress } from './verdict-address';
import { AddressClasses, ServiceClasses } from './verdict-classes';
import { actionsKey, hasBothFamilies, type FastFlow } from './verdict-flow';
import { Frame } from './verdict-frame';
import { MatchShapes } from './verdict-match-shapes';
import { BIG_FLOW } from './verdict-conjunctions';
import { DestinationProjection } from './verdict-projection';
import { AnswerRows, type RowBudget } from './verdict-rows';
import { TableClassifier } from './verdict-table';

/** A host's verdict on a packet: dropped, forwarded, or (REDIRECTED + address id) redirected there. */
export const DROPPED = 0;
export const FORWARDED = 1;
export const REDIRECTED = 2;

const TRACKED_NEW = CT_FLAGS.trk | CT_FLAGS.new;
const TRACKED_INVALID = CT_FLAGS.trk | CT_FLAGS.inv;

/** pairs' mark for a (source class, service class) not asked yet; the numbers each pair holds. */
const UNASKED = -2;
const PAIR = 5;

/** keyById's mark for an address not asked yet; below it, -2 - class marks a destination whose key depends on the source and service. */
const UNKNOWN = -1;

type CtAction = Extract<FlowAction, { kind: 'ct' }>;

/**
 * One switch's tables for the first packet of a connection (ct state new), as simulateFields
 * runs them but without a trace: goto_table and resubmit continue with the same packet,
 * ct(table=N) with a tracked copy, loads and mod_dl_dst change the packet, NORMAL and in_port output it.
 * Answers are remembered per (source class, service class, destination key) unless text
 * order decided a tie on the way.
 */
export class HostPipeline {
  private readonly tables: (TableClassifier | undefined)[] = [];
  readonly services: ServiceClasses;
  private sources: AddressClasses | null = null;
  private destinations: AddressClasses | null = null;
  /** Per address id: its class here as a source, -1 until asked. */
  private sourceById: Int32Array = new Int32Array(0);
  /**
   * Per address id: its destination key when that holds for every source and service (no
   * clause flows; most destinations), else -2 - its destination class; UNKNOWN until asked. A
   * known packet then reads one number for its key, or for its class, instead of its class and
   * its parts. It is the only cache of destination classes: a class is worked out when the key
   * is, so a second array by id would only be read, at random, to find nothing.
   */
  private keyById: Int32Array = new Int32Array(0);
  /** Something the engine does not run exactly (see TableClassifier.unsupported): paths through here take simulatePath. */
  readonly unsupported: boolean;
  /** No table here lets text order pick a group head, so answers can be remembered per class. */
  readonly remembers: boolean;
  /** Remembered answers per (source class, service class, destination key of the projection). */
  private readonly rows: AnswerRows;
  /** The same per (shared source row, service class, even destination key): see DestinationProjection.describePair. */
  private readonly sharedRows: AnswerRows;
  /**
   * Per service class, per source class side by side (PAIR numbers): the pair's shared source
   * row (-1 for none, UNASKED) and its live slots (DestinationProjection.describePair: a mask of two
   * words and where the slots lie). All are asked once per pair, and a known packet reads them
   * from one place.
   */
  private readonly pairs: (Int32Array | undefined)[] = [];
  private projection: DestinationProjection | null = null;
  /** The destination key of the packet `known` was last asked about, for `answer`. */
  private askedKey = 0;
  /** Per role, the shapes of the flows matching one address exactly: worked out once for the classes and the projection. */
  private readonly shapes: { source?: MatchShapes; destination?: MatchShapes } = {};
  /** The NAT target of each ct action with nat(dst=…), resolved once. */
  private readonly natTargets = new Map<CtAction, EngineAddress>();

  // One frame per conntrack nesting level: frames[0] is the packet as it arrives.
  private readonly frames = Array.from({ length: MAX_DEPTH + 2 }, () => new Frame());
  /** Per output (NORMAL or in_port), the id of its NAT target or -1; only grows, `outputCount` says how many count. */
  private readonly outputs: number[] = [];
  private outputCount = 0;
  private stopped = false;
  private ambiguous = false;

  constructor(
    readonly index: number,
    byTable: FlowTables,
    private readonly book: AddressBook,
    budget: RowBudget,
    bigFlow = BIG_FLOW,
  ) {
    const keys = new Map<string, number>();
    const actionsIdOf = (flow: SimFlow): number => intern(keys, actionsKey(flow));
    let unsupported = false;
    let headTie = false;
    for (const [table, flows] of byTable) {
      const classifier = new TableClassifier(flows, actionsIdOf, bigFlow);
      this.tables[table] = classifier;
      unsupported ||= classifier.unsupported || flows.some(hasBothFamilies);
      headTie ||= classifier.headTie;
      for (const flow of flows)
        for (const action of flow.actions)
          if (action.kind === 'ct' && action.commit && action.nat?.dst) this.natTargets.set(action, book.intern(action.nat.dst));
    }
    this.unsupported = unsupported;
    this.remembers = !headTie;
    this.rows = new AnswerRows(budget);
    this.sharedRows = new AnswerRows(budget);
    this.services = new ServiceClasses(this.allFlows());
  }

  /** The class of an address as a source here (see AddressClasses). */
  /** Gives this host's remembered answers back to the engine's budget: the engine has dropped it. */
  release(): void {
    this.rows.release();
    this.sharedRows.release();
  }

  sourceClassOf(address: EngineAddress): number {
    if (address.id >= this.sourceById.length) this.sourceById = lengthened(this.sourceById, room(this.sourceById, address.id), -1);
    const known = this.sourceById[address.id]!;
    return known >= 0 ? known : (this.sourceById[address.id] = this.sourceClasses().classOf(address));
  }

  /** The service class of the frame's service; with `remembers`, the projection is ready for it. */
  serviceClassOf(packet: Frame): number {
    const service = this.services.classOf(packet);
    if (this.remembers) this.destinationProjection().prepare(service, packet);
    return service;
  }

  /** The destination's key (dst, whose id is given) for packets of this source and service class (needs `remembers`; see DestinationProjection). */
  private keyOf(source: number, src: EngineAddress, service: number, dstId: number, dst: EngineAddress): number {
    if (dstId >= this.keyById.length) this.keyById = lengthened(this.keyById, room(this.keyById, dstId), UNKNOWN);
    const known = this.keyById[dstId]!;
    if (known >= 0) return known;
    if (known !== UNKNOWN) return this.keyDependingOnSource(source, src, service, -2 - known, dst);

    const destinationClass = this.destinationClasses().classOf(dst);
    const forAll = this.destinationProjection().keyForAll(destinationClass, dst);
    this.keyById[dstId] = forAll >= 0 ? forAll : -2 - destinationClass;
    return forAll >= 0 ? forAll : this.keyDependingOnSource(source, src, service, destinationClass, dst);
  }

  /** The key of a destination with clause flows: whether they count depends on the source's live slots for the service. */
  private keyDependingOnSource(source: number, src: EngineAddress, service: number, destinationClass: number, dst: EngineAddress): number {
    return this.destinationProjection().keyOf(service, destinationClass, dst, this.pairOf(source, src, service), PAIR * source + 1);
  }

  /**
   * The answer remembered for a packet of these classes to dst (whose id is given), or -1:
   * DROPPED, FORWARDED or REDIRECTED + address id. `src` is a member of the source class. On
   * -1, `answer` runs the packet and remembers its verdict under the destination key found here.
   */
  known(source: number, src: EngineAddress, service: number, dstId: number, dst: EngineAddress): number {
    // The pair's entry is read before the key, which does not need it: a known packet's two
    // cache misses (the entry, keyById) then overlap instead of following each other.
    const pairs = this.pairs[service];
    const at = PAIR * source;
    let shared = pairs !== undefined && at < pairs.length ? pairs[at]! : UNASKED;
    const key = (this.askedKey = this.keyOf(source, src, service, dstId, dst));
    if ((key & 1) !== 0) return this.rows.get(source, service, key);
    if (shared === UNASKED) shared = this.pairOf(source, src, service)[at]!;
    return shared >= 0 ? this.sharedRows.get(shared, service, key) : this.rows.get(source, service, key);
  }

  /**
   * The verdict on `packet` (addresses, service; metadata is ignored) arriving at this switch,
   * after `known` found none for it: remembered under its classes and the key `known` found,
   * unless text order decided it (needs `remembers`).
   */
  answer(packet: Frame, source: number, service: number): number {
    const answer = this.run(packet, service);
    if (this.ambiguous) return answer;
    const key = this.askedKey;
    const shared = (key & 1) === 0 ? this.pairOf(source, packet.src, service)[PAIR * source]! : -1;
    if (shared >= 0) this.sharedRows.set(shared, service, key, answer);
    else this.rows.set(source, service, key, answer);
    return answer;
  }

  /** The pairs of this service class, with this source's asked. */
  private pairOf(source: number, src: EngineAddress, service: number): Int32Array {
    let pairs = this.pairs[service];
    const at = PAIR * source;
    if (pairs !== undefined && at < pairs.length && pairs[at] !== UNASKED) return pairs;
    if (pairs === undefined || at >= pairs.length) {
      // Room for every source class the host's flows name from the start: grown one by one, the
      // copies (tens of kilobytes, a thousand arrays over the large estate) cost more than the reads.
      const length = Math.max(PAIR * (this.sourceClasses().size + 1), 2 * (pairs?.length ?? 0), at + PAIR);
      pairs = lengthened(pairs ?? new Int32Array(0), length, UNASKED);
      storeAt(this.pairs, service, pairs);
    }
    this.destinationProjection().describePair(source, src, service, pairs, at);
    return pairs;
  }

  /** The verdict on `packet` arriving here, from table 0; sets `ambiguous` when a tie in text order decided a lookup. */
  run(packet: Frame, serviceClass: number): number {
    const frame = this.frames[0]!;
    frame.copyFrom(packet);
    frame.resetMetadata();
    this.outputCount = 0;
    this.stopped = false;
    this.ambiguous = false;
    this.visit(0, frame, 0, serviceClass);
    if (this.stopped) return DROPPED;

    const outputs = this.outputs;
    const count = this.outputCount;
    if (count === 0) return DROPPED;
    const last = outputs[count - 1]!;
    if (last < 0) return FORWARDED;
    for (let i = 0; i < count; i++) if (outputs[i] !== last) return FORWARDED;
    return REDIRECTED + last;
  }

  private visit(table: number, frame: Frame, depth: number, serviceClass: number): void {
    if (this.stopped) return;
    if (depth >= MAX_DEPTH) {
      this.stopped = true;
      return;
    }
    const classifier = this.tables[table];
    if (classifier === undefined) return;
    const flow = classifier.lookup(frame, serviceClass);
    if (classifier.ambiguous) this.ambiguous = true;
    if (flow >= 0) this.act(classifier.actions[flow]!, frame, depth, serviceClass);
  }

  private act(actions: readonly FlowAction[], frame: Frame, depth: number, serviceClass: number): void {
    for (const action of actions) {
      switch (action.kind) {
        case 'normal':
        case 'in-port':
          this.outputs[this.outputCount++] = frame.natDst === null ? -1 : frame.natDst.id;
          break;
        case 'goto-table':
        case 'resubmit':
          this.visit(action.table, frame, depth + 1, serviceClass);
          break;
        case 'load':
          frame.regs[action.register] = ((frame.regs[action.register]! & ~action.mask) | action.value) >>> 0;
          break;
        case 'mod-dl-dst':
          frame.ethDst = action.mac;
          break;
        case 'ct':
          this.conntrack(action, frame, depth, serviceClass);
          break;
        case 'drop':
        case 'conjunction':
          break;
      }
    }
  }

  /**
   * trackedCopy then applyCt of field-effects.ts: the copy that goes on to table N is tracked
   * (+trk+new, the mark this commit sets) and sees a NAT target as its destination; the packet
   * that goes on with the action list is untracked again and leaves for the NAT target.
   */
  private conntrack(action: CtAction, frame: Frame, depth: number, serviceClass: number): void {
    const target = this.natTargets.get(action) ?? null;
    const natDst = target ?? frame.natDst;
    const tracked = this.frames[depth + 1]!;
    if (action.table !== undefined) {
      tracked.copyFrom(frame);
      tracked.ctState = startsConnection(frame.ethType, frame.ipProto, frame.icmpType) ? TRACKED_NEW : TRACKED_INVALID;
      tracked.ctMark = action.commit && action.mark ? action.mark.value >>> 0 : 0;
      if (natDst !== null) {
        tracked.dst = natDst;
        tracked.natDst = natDst;
      }
    }
    if (target !== null) frame.natDst = target;
    frame.ctState = 0;
    frame.ctMark = 0;
    if (action.table !== undefined) this.visit(action.table, tracked, depth + 1, serviceClass);
  }

  private destinationProjection(): DestinationProjection {
    if (this.projection === null) {
      this.projection = new DestinationProjection(this.indexedTables(), this.matchShapes('destination'), this.matchShapes('source'));
      this.projection.reserve(this.sourceClasses().size + 1, this.destinationClasses().size + 1);
    }
    return this.projection;
  }

  private sourceClasses(): AddressClasses {
    if (this.sources === null) {
      this.sources = new AddressClasses(this.indexedTables(), 'source', this.matchShapes('source'));
      this.rows.reserve(this.sources.size + 1);
    }
    return this.sources;
  }

  private destinationClasses(): AddressClasses {
    return (this.destinations ??= new AddressClasses(this.indexedTables(), 'destination', this.matchShapes('destination')));
  }

  private matchShapes(role: 'source' | 'destination'): MatchShapes {
    return (this.shapes[role] ??= new MatchShapes(this.indexedTables(), role));
  }

  private *indexedTables(): Iterable<[number, TableClassifier]> {
    for (const [table, classifier] of this.tables.entries()) if (classifier) yield [table, classifier];
  }

  private *allFlows(): Iterable<FastFlow> {
    for (const classifier of this.tables) if (classifier) yield* classifier.flows;
  }

  /** The address a REDIRECTED answer names. */
  target(answer: number): EngineAddress {
    return this.book.byId(answer - REDIRECTED);
  }

  /** An answer as a walk takes it on: DROPPED, FORWARDED, or the address a redirect names. */
  outcome(answer: number): number | EngineAddress {
    return answer === DROPPED || answer === FORWARDED ? answer : this.target(answer);
  }
}

/** A length for a cache by id that must hold `id`: doubled, so ids met one by one cost little copying. */
function room(cache: Int32Array, id: number): number {
  return Math.max(1024, 2 * cache.length, id + 1);
}
