import { pushUnder } from '../arrays';
import { MAX_HOPS, simulatePath, type HostFlowTables, type PathEnd, type PathProbe, type PathResult } from './path';
import { withoutPortGuards } from './port-guards';
import { AddressBook, type EngineAddress } from './verdict-address';
import { NO_HOST, UNKNOWN_HOST, VerdictEnd, VerdictService } from './verdict-ends';
import { Frame } from './verdict-frame';
import { DROPPED, FORWARDED, HostPipeline } from './verdict-host';
import { RowBudget } from './verdict-rows';

export { VerdictEnd, VerdictService } from './verdict-ends';

/** What happens to the first packet of a connection, without the trace: PathResult's verdict part. */
export interface PathVerdict {
  readonly verdict: PathResult['verdict'];
  /** With `redirected`: where the connection went instead (canonical address text). */
  readonly redirectedTo?: string;
  /** False when neither end is behind one of our switches. */
  readonly enforced: boolean;
}

export interface VerdictEngineOptions {
  /** As PathOptions.hostOf (see addressHosts): where a redirected packet goes next. */
  hostOf?: ReadonlyMap<string, string>;
  /** Remember answers per equivalence class of packets (exact; see verdict-classes.ts, verdict-projection.ts). On by default. */
  memo?: boolean;
  /** Clause flows with more conjunction actions are probed rather than tallied (verdict-conjunctions.ts); tests lower it. */
  bigFlow?: number;
  /**
   * Flows the hosts' built pipelines may hold together (PIPELINE_FLOW_BUDGET by default); past
   * it the least recently used are dropped, and built again when asked.
   */
  pipelineFlows?: number;
}

/** One connection to ask `verdicts` about. */
export interface VerdictAsk {
  from: VerdictEnd;
  to: VerdictEnd;
  service: VerdictService;
}

/**
 * A built pipeline holds about 600 bytes per flow on top of the loaded tables (measured at the
 * bench's large and huge sizes: 6 MB for a host of 11,000 flows). All 500 hosts of the huge
 * estate would take 3.2 GB and ran a default Node heap out of memory; this many flows take
 * about 0.9 GB, and hold every host of the large estate (1.06 million flows).
 */
export const PIPELINE_FLOW_BUDGET = 1_500_000;

const PERMITTED: PathVerdict = Object.freeze({ verdict: 'permitted', enforced: true });
const UNENFORCED: PathVerdict = Object.freeze({ verdict: 'permitted', enforced: false });
const DROPPED_VERDICT: PathVerdict = Object.freeze({ verdict: 'dropped', enforced: true });

/**
 * Single-packet verdicts for the first packet (ct state new) of a connection, end to end: the
 * same answer as simulatePath(tables, from, to, probe, 'new', { hostOf }) on every packet, the
 * same exceptions for invalid input, but without a trace and with each host's tables compiled
 * once into classifiers (verdict-table.ts). Hosts whose tables use what the classifiers do not
 * run exactly take simulatePath for the whole path. Deterministic; its caches only speed it up.
 *
 * Two ways to ask: `verdict` with text ends and a probe, or `verdictOf` with ends and a
 * service resolved once (`end`, `service`), which skips parsing and checking them per packet.
 */
export class VerdictEngine {
  private readonly book: AddressBook;
  private readonly hostIndex = new Map<string, number>();
  private readonly pipelines: (HostPipeline | undefined)[] = [];
  /** Per host index: the pipeline's flows, and when it was last asked (a tick of `clock`). */
  private readonly pipelineFlows: number[] = [];
  /** Typed and sized once: it is written on every hop of every verdict. */
  private readonly lastUsed: Float64Array;
  private clock = 0;
  private heldFlows = 0;
  /**
   * Bumped when a pipeline is dropped: classes that ends and services remember are numbered by
   * the pipeline that gave them, and one built again numbers them anew.
   */
  private epoch = 1;
  private readonly packet = new Frame();
  private readonly redirects = new Map<number, PathVerdict>();
  private readonly useMemo: boolean;
  private readonly budget = new RowBudget();
  private readonly textService = new VerdictService(this, {}, true);
  /** The services made by `service`, by their probe. */
  private readonly services = new Map<string, VerdictService>();

  private readonly tables: HostFlowTables;

  constructor(
    tables: HostFlowTables,
    private readonly options: VerdictEngineOptions = {},
  ) {
    // Packets sent from their own addresses, which a spoof guard lets through unchanged.
    this.tables = withoutPortGuards(tables);
    for (const host of tables.keys()) this.hostIndex.set(host, this.hostIndex.size);
    this.lastUsed = new Float64Array(tables.size);
    this.book = new AddressBook(options.hostOf);
    this.useMemo = options.memo ?? true;
  }

  /** The verdict simulatePath gives the first packet from `from` to `to`; throws where it throws. */
  verdict(from: PathEnd, to: PathEnd, probe: PathProbe): PathVerdict {
    this.textService.describe(probe);
    return this.verdictOf(this.endOf(from.address, from.host), this.endOf(to.address, to.host), this.textService);
  }

  /**
   * An end to ask verdicts about: its address parsed and its host looked up once; the same end
   * again while callers name the same host and spelling. Never throws (see VerdictEnd).
   */
  end(address: string, host?: string): VerdictEnd {
    return this.endOf(address, host);
  }

  /** A probe to ask verdicts with, checked and turned into numbers once; the same service for an equal probe. Never throws (see VerdictService). */
  service(probe: PathProbe): VerdictService {
    const key = JSON.stringify(probe);
    let service = this.services.get(key);
    if (!service) this.services.set(key, (service = new VerdictService(this, { ...probe })));
    return service;
  }

  /** The verdict simulatePath gives the first packet between two ends with this service; throws where it throws. */
  verdictOf(from: VerdictEnd, to: VerdictEnd, service: VerdictService): PathVerdict {
    // `start` and `step` on a walk, written out over locals: the walk's fields cost known
    // packets a fifth of their rate (5.3 against 4.1 million/s at the large size).
    this.checkEnds(from, to, service);
    const src = from.address;
    let dst = to.address;

    let redirectedTo: EngineAddress | null = null;
    let destinationHost = to.host;
    let next = from.host ?? to.host;
    let nextIndex = from.host !== undefined ? from.hostIndex : to.hostIndex;
    let family = 4;
    let hops = 0;
    while (next !== undefined) {
      const host = next;
      if (hops >= MAX_HOPS) return DROPPED_VERDICT;
      const pipeline = this.pipeline(host, nextIndex);
      if (pipeline.unsupported) return this.simulated(from, to, service);
      if (hops === 0) family = checkPacket(from, to, service);
      const answer = this.hostVerdict(pipeline, hops === 0 && from.host !== undefined ? from : null, src!, dst!, redirectedTo === null ? to.id : dst!.id, service, family);
      hops++;
      if (answer === DROPPED) return DROPPED_VERDICT;
      if (answer !== FORWARDED) {
        redirectedTo = dst = pipeline.target(answer);
        destinationHost = dst.host;
      }
      next = destinationHost !== host ? destinationHost : undefined;
      nextIndex = redirectedTo === null ? to.hostIndex : this.indexOf(next);
    }

    if (hops === 0) return UNENFORCED;
    return redirectedTo === null ? PERMITTED : this.redirected(redirectedTo);
  }

  /**
   * verdictOf for many connections, host by host: each round takes every connection one switch
   * further, and on to its destination's switch when that comes up in the same round (see
   * ahead), a host's connections together, so each host's pipeline is built at most once a
   * round however few the budget holds (a connection log of the huge estate touches all 500
   * hosts, and asked one by one would build them again and again). Hosts still held go first. Yields after
   * each host how many connections have their verdict; returns the verdicts in the order asked.
   * Throws what verdictOf throws, for the first connection that does in this order.
   */
  *verdicts(asked: readonly VerdictAsk[]): Generator<number, PathVerdict[]> {
    const walks = asked.map((a) => this.start(new Walk(), a.from, a.to, a.service));
    let pending = walks.filter((w) => w.verdict === null);
    let answered = walks.length - pending.length;
    while (pending.length > 0) {
      const byHost = groupBy(pending, (w) => w.nextIndex);
      // Connections that leave their first switch for the destination's: that switch answers
      // them in this round too, whichever of the two comes first (see ahead).
      const byDestination = groupBy(
        pending.filter((w) => w.redirectedTo === null && w.nextIndex !== w.to!.hostIndex && w.to!.hostIndex >= 0),
        (w) => w.to!.hostIndex,
      );
      const held = (index: number): number => (index >= 0 && this.pipelines[index] !== undefined ? 0 : 1);
      const hosts = [...new Set([...byHost.keys(), ...byDestination.keys()])].sort((a, b) => held(a) - held(b) || a - b);
      for (const index of hosts) {
        for (const walk of byHost.get(index) ?? []) {
          this.step(walk);
          if (walk.verdict === null && walk.ahead !== null && walk.redirectedTo === null && walk.nextIndex === walk.aheadIndex) this.takeAhead(walk);
          if (walk.verdict !== null) answered++;
        }
        for (const walk of byDestination.get(index) ?? []) {
          if (walk.verdict !== null) continue;
          if (walk.nextIndex === index) {
            // It left its first switch earlier in this round.
            this.step(walk);
            if (walk.verdict !== null) answered++;
          } else if (walk.hops === 0) this.ahead(walk, index);
        }
        yield answered;
      }
      pending = pending.filter((w) => w.verdict === null);
    }
    return walks.map((w) => w.verdict!);
  }

  /**
   * The destination's switch answers a connection before its first switch has: the answer is
   * what step would get there, as the packet reaches it unchanged when the first switch
   * forwards it. Kept on the walk for takeAhead; nothing when the packet is one verdictOf
   * refuses (its own turn throws) or the switch's tables need simulatePath.
   */
  private ahead(walk: Walk, index: number): void {
    const to = walk.to!;
    const pipeline = this.pipeline(to.host!, index);
    if (pipeline.unsupported) return;
    let family: number;
    try {
      family = checkPacket(walk.from!, to, walk.service!);
    } catch {
      return;
    }
    const answer = this.hostVerdict(pipeline, null, walk.from!.address!, to.address!, to.id, walk.service!, family);
    walk.ahead = pipeline.outcome(answer);
    walk.aheadIndex = index;
  }

  /** A walk's step at the switch that answered it ahead (see ahead), without building that switch's pipeline again. */
  private takeAhead(walk: Walk): void {
    const outcome = walk.ahead!;
    walk.ahead = null;
    if (walk.hops >= MAX_HOPS) walk.verdict = DROPPED_VERDICT;
    else this.advance(walk, walk.next!, outcome);
  }

  /** What verdictOf refuses before any switch: ends or a service of another engine, ends that are no address or of two families. */
  private checkEnds(from: VerdictEnd, to: VerdictEnd, service: VerdictService): void {
    if (from.owner !== this || to.owner !== this || service.owner !== this) throw new Error('an end or service made by another VerdictEngine');
    if (service.arp) return;
    if (!from.address || !to.address) throw new Error(`"${from.address ? to.text : from.text}" is not an IP address`);
    if (from.family !== to.family) throw new Error(`${from.text} and ${to.text} are of different address families`);
  }

  /** verdictOf's checks, then the walk at its first switch; a path through none ends at once. */
  private start(walk: Walk, from: VerdictEnd, to: VerdictEnd, service: VerdictService): Walk {
    this.checkEnds(from, to, service);
    walk.from = from;
    walk.to = to;
    walk.service = service;
    walk.dst = to.address;
    walk.redirectedTo = null;
    walk.destinationHost = to.host;
    walk.next = from.host ?? to.host;
    walk.nextIndex = from.host !== undefined ? from.hostIndex : to.hostIndex;
    walk.family = 4;
    walk.hops = 0;
    walk.verdict = walk.next === undefined ? UNENFORCED : null;
    return walk;
  }

  /** One turn of verdictOf's loop: the walk through its next switch, on to another or to its verdict. */
  private step(walk: Walk): void {
    const host = walk.next!;
    const from = walk.from!;
    const service = walk.service!;
    if (walk.hops >= MAX_HOPS) {
      walk.verdict = DROPPED_VERDICT;
      return;
    }
    const pipeline = this.pipeline(host, walk.nextIndex);
    if (pipeline.unsupported) {
      walk.verdict = this.simulated(from, walk.to!, service);
      return;
    }
    if (walk.hops === 0) walk.family = checkPacket(from, walk.to!, service);
    const answer = this.hostVerdict(pipeline, walk.hops === 0 && from.host !== undefined ? from : null, from.address!, walk.dst!, walk.redirectedTo === null ? walk.to!.id : walk.dst!.id, service, walk.family);
    this.advance(walk, host, pipeline.outcome(answer));
  }

  /** A walk past switch `host`, which dropped it, forwarded it, or redirected it to an address. */
  private advance(walk: Walk, host: string, outcome: number | EngineAddress): void {
    walk.hops++;
    if (outcome === DROPPED) {
      walk.verdict = DROPPED_VERDICT;
      return;
    }
    if (outcome !== FORWARDED) {
      walk.redirectedTo = walk.dst = outcome as EngineAddress;
      walk.destinationHost = walk.dst.host;
    }
    const next = walk.destinationHost !== host ? walk.destinationHost : undefined;
    if (next === undefined) {
      walk.verdict = walk.redirectedTo === null ? PERMITTED : this.redirected(walk.redirectedTo);
      return;
    }
    walk.next = next;
    walk.nextIndex = walk.redirectedTo === null ? walk.to!.hostIndex : this.indexOf(next);
  }

  /**
   * One switch's verdict: remembered per (source class, service class, destination key), else
   * run on the packet. `from` is the source end when this switch is its own host: it keeps its class there;
   * `dstId` is dst's id, which a caller holding the end reads without touching the address.
   */
  private hostVerdict(pipeline: HostPipeline, from: VerdictEnd | null, src: EngineAddress, dst: EngineAddress, dstId: number, service: VerdictService, family: number): number {
    const index = pipeline.index;
    let serviceClass = service.classOn(index, this.hostIndex.size, family, this.epoch);
    if (serviceClass < 0) {
      service.fill(this.packet, family);
      serviceClass = pipeline.serviceClassOf(this.packet);
      service.remember(index, this.hostIndex.size, family, serviceClass, this.epoch);
    }
    if (!this.useMemo || !pipeline.remembers) return pipeline.run(this.fill(src, dst, service, family), serviceClass);

    let source: number;
    if (from === null) source = pipeline.sourceClassOf(src);
    else if ((source = from.sourceClass) < 0 || from.epoch !== this.epoch) {
      source = from.sourceClass = pipeline.sourceClassOf(src);
      from.epoch = this.epoch;
    }
    const known = pipeline.known(source, src, serviceClass, dstId, dst);
    if (known >= 0) return known;
    return pipeline.answer(this.fill(src, dst, service, family), source, serviceClass);
  }

  /** The packet as packetFields makes it, for a run of the tables. */
  private fill(src: EngineAddress, dst: EngineAddress, service: VerdictService, family: number): Frame {
    const p = this.packet;
    service.fill(p, family);
    p.src = src;
    p.dst = dst;
    return p;
  }

  /** The end of a text verdict or of `end`: the one made last for this address while callers name the same host and spelling. */
  private endOf(text: string, host: string | undefined): VerdictEnd {
    const address = this.book.lookup(text);
    const last = address?.lastEnd;
    if (last !== undefined && last.host === host && last.text === text) return last;
    const made = new VerdictEnd(this, text, address, host, this.indexOf(host));
    if (address) address.lastEnd = made;
    return made;
  }

  private indexOf(host: string | undefined): number {
    return host === undefined ? NO_HOST : (this.hostIndex.get(host) ?? UNKNOWN_HOST);
  }

  private pipeline(host: string, index: number): HostPipeline {
    if (index < 0) throw new Error(`no flow table for host "${host}"`);
    this.lastUsed[index] = ++this.clock;
    const pipeline = this.pipelines[index];
    return pipeline ?? this.build(host, index);
  }

  /** Builds a host's pipeline, first dropping the least recently asked ones the budget has no room beside it for. */
  private build(host: string, index: number): HostPipeline {
    const tables = this.tables.get(host)!;
    let flows = 0;
    for (const table of tables.values()) flows += table.length;
    const budget = this.options.pipelineFlows ?? PIPELINE_FLOW_BUDGET;
    while (this.heldFlows > 0 && this.heldFlows + flows > budget) this.drop(this.leastRecentlyUsed());
    const pipeline = new HostPipeline(index, tables, this.book, this.budget, this.options.bigFlow);
    this.pipelines[index] = pipeline;
    this.pipelineFlows[index] = flows;
    this.heldFlows += flows;
    return pipeline;
  }

  private leastRecentlyUsed(): number {
    let oldest = -1;
    for (let i = 0; i < this.pipelines.length; i++)
      if (this.pipelines[i] !== undefined && (oldest < 0 || this.lastUsed[i]! < this.lastUsed[oldest]!)) oldest = i;
    return oldest;
  }

  private drop(index: number): void {
    this.pipelines[index]!.release();
    this.pipelines[index] = undefined;
    this.heldFlows -= this.pipelineFlows[index]!;
    this.epoch++;
  }

  private simulated(from: VerdictEnd, to: VerdictEnd, service: VerdictService): PathVerdict {
    const path = simulatePath(this.tables, pathEnd(from), pathEnd(to), service.probe, 'new', this.options.hostOf ? { hostOf: this.options.hostOf } : {});
    if (!path.enforced) return UNENFORCED;
    if (path.verdict === 'dropped') return DROPPED_VERDICT;
    if (path.verdict === 'redirected' && path.redirectedTo !== undefined) return this.redirected(this.book.lookup(path.redirectedTo)!);
    return PERMITTED;
  }

  private redirected(to: EngineAddress): PathVerdict {
    let verdict = this.redirects.get(to.id);
    if (!verdict) {
      verdict = Object.freeze({ verdict: 'redirected', redirectedTo: to.text, enforced: true });
      this.redirects.set(to.id, verdict);
    }
    return verdict;
  }
}

/**
 * checkPacket's checks of the ends and the probe, in its order (it throws the same way); the
 * address family. It reads the ends' own copies of their families (0 without an address), not
 * the addresses: a known packet then touches no address object.
 */
function checkPacket(from: VerdictEnd, to: VerdictEnd, service: VerdictService): number {
  const family = service.arp ? 4 : from.family;
  if (from.family !== family) throw new Error(`invalid packet: source "${from.text}" is not an IPv${family} address`);
  if (to.family !== family) throw new Error(`invalid packet: destination "${to.text}" is not an IPv${family} address`);
  if (service.rangeError !== null) throw new Error(service.rangeError);
  if (service.lacksProtocol) throw new Error('invalid packet: an IP packet needs a protocol');
  return family;
}

/** Items by a number of each, in their order. */
function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) pushUnder(groups, key(item), item);
  return groups;
}

function pathEnd(end: VerdictEnd): PathEnd {
  return end.host === undefined ? { address: end.text } : { address: end.text, host: end.host };
}

/** Where one connection's first packet is on its way through the switches (see verdictOf). */
class Walk {
  from: VerdictEnd | null = null;
  to: VerdictEnd | null = null;
  service: VerdictService | null = null;
  /** Where the packet is going: the destination's address, or a redirect's target. */
  dst: EngineAddress | null = null;
  redirectedTo: EngineAddress | null = null;
  destinationHost: string | undefined = undefined;
  next: string | undefined = undefined;
  nextIndex = NO_HOST;
  family = 4;
  hops = 0;
  /** The destination's switch's answer, worked out before the first switch's (see VerdictEngine.ahead): dropped, forwarded or a redirect's target. */
  ahead: number | EngineAddress | null = null;
  aheadIndex = NO_HOST;
  /** Null while the packet is still on its way. */
  verdict: PathVerdict | null = null;
}
