import { intern, storeAt } from '../arrays';
import type { AddressBits } from '../simulator/address-bits';
import { formatAddress } from '../simulator/address-bits';
import type { HostFlowTables } from '../simulator/path';
import { addressKey } from '../simulator/table-index';
import { ConjunctionJoins, type Conjunction, type RowJoins } from './conjunction-joins';
import { ConjunctionLists } from './conjunction-lists';
import { HardSignatures } from './hard-signatures';
import { PlainRows } from './plain-rows';
import { HostReach, type Segment, type Segments } from './host-reach';
import { reachThrough, type PairReach } from './reach';
import { SERVICE_PROTOCOLS, type ServiceProtocol } from './service-set';

/** One address the answers are about. */
export interface AnswerEnd {
  address: AddressBits;
  host?: string;
}

/** The source's row: every destination some rule joins it to, with the pair's reach, and what its connections meet at each honeypot. */
export interface SourceRow {
  /** Destination endpoint indexes, ascending. */
  columns: Int32Array;
  /** Reach ids, one per column. */
  reaches: Int32Array;
  /** Per honeypot (in `honeypots` order), the segment id its host gives this source's connections to it; -1 for another family. */
  honeypots: Int32Array;
}

const ALL_PROTOCOLS = (1 << SERVICE_PROTOCOLS.length) - 1;

/** The conjunctions (one per form) of a list, and the number of their kinds (null: one has none). */
interface ListKinds {
  conjunctions: readonly Conjunction[];
  kinds: number | null;
}

/** Segment ids stay below this, so two (and a signature) make one exact number. */
const ID_SPAN = 2 ** 21;

/**
 * Answers per pair of endpoints, keyed so that pairs that must get the same answer share it.
 * On a host, a pair meets its hard flows (HardSignatures) and the conjunctions that join it
 * (ConjunctionJoins); a pair no conjunction joins is keyed by the host's base, its family and
 * the two signatures alone, one some conjunctions join by the kinds of those conjunctions too
 * (see kinds), a protocol at a time. Each key's segments are HostReach's for the first pair
 * met with it; each pair's reach comes from the segments of the hosts its path meets
 * (reachThrough), remembered by their ids.
 */
export class PairAnswers {
  readonly hostReach: HostReach;
  readonly hard: HardSignatures;
  readonly joins: ConjunctionJoins;
  /** Redirect targets behind a switch, as reachThrough names them. */
  readonly honeypots: { text: string; host: string; index: number | undefined; address: AddressBits }[];
  readonly reaches: PairReach[] = [];

  private readonly segmentIds = new Map<string, number>();
  private readonly runsByKey = new Map<string, readonly Segment[]>();
  /** Per segment id: whether some run of it is redirected (the reach then depends on the honeypots). */
  private readonly redirects: boolean[] = [];
  private readonly segmentsById: Segments[] = [];
  /** Per number of the kinds of the conjunctions joining a pair on a host (0: none) and the host's base, segment ids by the pair's hard signatures there. */
  private readonly byKinds = new Map<number, PairMap>();
  private readonly kindsIds = new Map<string, number>([['', 0]]);
  private readonly kindsByList: (ListKinds | undefined)[] = [];
  private readonly literals = new Map<string, number>();
  private readonly reachKeys = new Map<string, number>();
  private readonly byPlainSegments = new PairMap();
  private readonly bySegments = new Map<string, number>();
  private readonly honeypotProfiles = new Map<string, number>();

  /** Ready to answer once every host of `tables` is added (addHost). */
  constructor(
    private readonly tables: HostFlowTables,
    readonly ends: readonly AnswerEnd[],
    private readonly hostOf: ReadonlyMap<string, string>,
    redirectTargets: readonly AddressBits[],
  ) {
    this.hostReach = new HostReach(tables);
    this.hard = new HardSignatures(ends.map((e) => e.address));
    this.joins = new ConjunctionJoins(ends);
    const byKey = new Map(ends.map((e, i) => [addressKey(e.address), i]));
    const seen = new Set<string>();
    this.honeypots = [];
    for (const address of redirectTargets) {
      const text = formatAddress(address);
      const host = hostOf.get(text);
      if (host === undefined || seen.has(text)) continue;
      seen.add(text);
      this.honeypots.push({ text, host, index: byKey.get(addressKey(address)), address });
    }
    this.honeypots.sort((a, b) => a.text.localeCompare(b.text));
  }

  /** Reads one host's tables: its hard signatures and its conjunctions. */
  addHost(host: string): void {
    const byTable = this.tables.get(host)!;
    this.hard.addHost(host, byTable);
    this.joins.addHost(host, byTable);
  }

  get simulations(): number {
    return this.hostReach.simulations;
  }

  /** The source's row: the pairs rules join it in, each with its reach. */
  row(a: number): SourceRow {
    const joined = this.joins.row(a);
    const source = this.ends[a]!.address;
    // A connection is only ever redirected to the honeypot's address of its own family.
    const honeypots = Int32Array.from(this.honeypots, (h) =>
      h.address.family !== source.family ? -1
      : h.index === undefined ? this.literal(h.host, source, h.address)
      : this.segmentAt(h.host, a, h.index, joined.on(h.index, h.host)),
    );
    const columns = joined.columns();
    const reaches = Int32Array.from(columns, (b) => this.reachOf(a, b, joined, honeypots));
    return { columns, reaches, honeypots };
  }

  /** The reach of a pair no rule joins on its path, given the source's honeypot segments; -1 when no switch is on its path. */
  plainReach(a: number, b: number, honeypots: Int32Array): number {
    return this.reachOf(a, b, undefined, honeypots);
  }

  /** Fills plain reaches a source's row at a time, towards the endpoints of `columns` (see PlainRows). */
  plainRows(columns: Int32Array, honeypotsOf: (a: number) => Int32Array): PlainRows {
    return new PlainRows(this, columns, honeypotsOf);
  }

  /** The segment id `host` gives a pair no conjunction joins there. */
  plainSegment(host: string, a: number, b: number): number {
    return this.segmentAt(host, a, b, ConjunctionLists.EMPTY);
  }

  /** Whether some run of the segment is redirected. */
  redirected(segment: number): boolean {
    return this.redirects[segment]!;
  }

  /** Whether endpoint `i` is a honeypot: as a destination, its pairs' paths meet it as one. */
  isHoneypot(i: number): boolean {
    return this.honeypots.some((h) => h.index === i);
  }

  /** A number sources share when their connections meet the same segments at every honeypot. */
  honeypotProfile(honeypots: Int32Array): number {
    return intern(this.honeypotProfiles, honeypots.join(','));
  }

  private reachOf(a: number, b: number, joined: RowJoins | undefined, honeypots: Int32Array): number {
    const src = this.ends[a]!;
    const dst = this.ends[b]!;
    const first = src.host ?? dst.host;
    if (first === undefined) return -1;
    const second = dst.host !== undefined && dst.host !== first ? dst.host : undefined;
    const s1 = this.segmentAt(first, a, b, joined?.on(b, first) ?? ConjunctionLists.EMPTY);
    const s2 = second === undefined ? -1 : this.segmentAt(second, a, b, joined?.on(b, second) ?? ConjunctionLists.EMPTY);
    if (!this.redirects[s1] && (s2 < 0 || !this.redirects[s2])) {
      let id = this.byPlainSegments.get(s1, s2 + 1);
      if (id === undefined) this.byPlainSegments.set(s1, s2 + 1, (id = this.reach(src, dst, first, s1, second, s2, honeypots)));
      return id;
    }
    // A redirect: the walk may go on to the honeypots' hosts, and whether it does depends on where they are.
    // A honeypot that is the destination itself is met as the pair's own second switch.
    const where = this.honeypots.map((h) => `${h.host === first ? 'f' : ''}${h.host === second ? 's' : ''}${h.index === b ? 'd' : ''}`).join(',');
    const key = `${s1}|${s2}|${this.honeypotProfile(honeypots)}|${where}`;
    let id = this.bySegments.get(key);
    if (id === undefined) this.bySegments.set(key, (id = this.reach(src, dst, first, s1, second, s2, honeypots)));
    return id;
  }

  /** Walks the pair's path over known segments and interns its reach. */
  private reach(src: AnswerEnd, dst: AnswerEnd, first: string, s1: number, second: string | undefined, s2: number, honeypots: Int32Array): number {
    const honeypotAt = new Map(this.honeypots.flatMap((h, i) => (honeypots[i]! < 0 ? [] : [[addressKey(h.address), honeypots[i]!] as const])));
    const segmentsAt = (host: string, to: AddressBits): Segments => {
      if (to.family === dst.address.family && to.value === dst.address.value && (host === first || host === second)) return this.segmentsById[host === first ? s1 : s2]!;
      const id = honeypotAt.get(addressKey(to));
      if (id === undefined) throw new Error(`no segments for ${formatAddress(to)} at ${host}`);
      return this.segmentsById[id]!;
    };
    const reach = reachThrough(segmentsAt, this.hostOf, src, dst);
    const key = reachKey(reach);
    let id = this.reachKeys.get(key);
    if (id === undefined) {
      this.reachKeys.set(key, (id = this.reaches.length));
      this.reaches.push(reach);
    }
    return id;
  }

  /** The segment id `host` gives the pair, keyed by its hard signatures there and the kinds of the conjunctions that join it there (`list`, of their forms). */
  private segmentAt(host: string, a: number, b: number, list: number): number {
    // A source's connections to itself (a redirect back to it) are rare: worked out as they are.
    if (a === b) return this.literal(host, this.ends[a]!.address, this.ends[b]!.address);
    // The family decides which flows' Ethernet types hold: part of every key.
    const signed = this.hard.onHost(host);
    const base = signed.base * 2 + (this.ends[a]!.address.family === 6 ? 1 : 0);
    const src = signed.source.get(a) ?? 0;
    const dst = signed.destination.get(b) ?? 0;
    if (base >= 2 ** 10 || src >= ID_SPAN || dst >= ID_SPAN) throw new Error('too many signatures for a numeric key');
    const here = this.kindsOf(list);
    if (here.kinds === null) return this.literal(host, this.ends[a]!.address, this.ends[b]!.address);
    if (here.kinds >= 2 ** 20) throw new Error('too many conjunction kinds for a numeric key');
    const kindsAndBase = here.kinds * 2 ** 10 + base;
    let byHard = this.byKinds.get(kindsAndBase);
    if (byHard === undefined) this.byKinds.set(kindsAndBase, (byHard = new PairMap()));
    let id = byHard.get(src, dst);
    if (id === undefined) {
      const segments =
        here.conjunctions.length === 0 ? this.hostReach.segments(host, this.ends[a]!.address, this.ends[b]!.address, false)
        : this.byProtocol(host, a, b, `${base},${src},${dst}`, here.conjunctions);
      byHard.set(src, dst, (id = this.intern(segments)));
    }
    return id;
  }

  /** The conjunctions of a list of forms and the number of their kinds, worked out once per list: pairs of many rows and hosts share one. */
  private kindsOf(list: number): ListKinds {
    let known = this.kindsByList[list];
    if (known === undefined) {
      const conjunctions = this.joins.lists.list(list).map((form) => this.joins.forms[form]!);
      const kinds = conjunctions.length === 0 ? '' : this.kinds(conjunctions, ALL_PROTOCOLS);
      known = { conjunctions, kinds: kinds === null ? null : intern(this.kindsIds, kinds) };
      storeAt(this.kindsByList, list, known);
    }
    return known;
  }

  /**
   * The segments of a pair some conjunctions join, a protocol at a time: a conjunction that
   * cannot complete for a protocol's packets (its service clause is for another) changes
   * nothing for them, so pairs whose rules differ in TCP ports alone share their other runs.
   */
  private byProtocol(host: string, a: number, b: number, hard: string, joined: readonly Conjunction[]): Segments {
    const runs = {} as Record<ServiceProtocol, readonly Segment[]>;
    const missing: { protocol: ServiceProtocol; key: string }[] = [];
    SERVICE_PROTOCOLS.forEach((protocol, bit) => {
      const key = `${protocol}|${hard}|${this.kinds(joined, 1 << bit)}`;
      const known = this.runsByKey.get(key);
      if (known) runs[protocol] = known;
      else missing.push({ protocol, key });
    });
    if (missing.length > 0) {
      const fresh = this.hostReach.runs(host, this.ends[a]!.address, this.ends[b]!.address, missing.map((m) => m.protocol));
      for (const { protocol, key } of missing) this.runsByKey.set(key, (runs[protocol] = fresh[protocol]!));
    }
    return runs;
  }

  /**
   * The kinds of the conjunctions that can complete for one of `protocols` (bits), per table
   * and priority, each kind once; null when one has no kind.
   * At one level the first to complete (in id order, as lookupTable takes them) decides, so
   * the kinds keep that order, unless all have one verdict and the order cannot matter.
   */
  private kinds(conjunctions: readonly Conjunction[], protocols: number): string | null {
    const list = conjunctions.filter((c) => (c.protocols & protocols) !== 0);
    if (list.some((c) => c.kind < 0)) return null;
    list.sort((x, y) => x.table - y.table || y.priority - x.priority || x.id - y.id);
    const parts: string[] = [];
    for (let i = 0; i < list.length; ) {
      let j = i;
      while (j < list.length && list[j]!.table === list[i]!.table && list[j]!.priority === list[i]!.priority) j++;
      const level = list.slice(i, j);
      const kinds = level.map((c) => c.kind);
      const unordered = level.every((c) => c.verdict === level[0]!.verdict);
      parts.push(`${list[i]!.table}/${list[i]!.priority}:${[...new Set(unordered ? kinds.sort((x, y) => x - y) : kinds)].join(',')}`);
      i = j;
    }
    return parts.join(';');
  }

  private literal(host: string, src: AddressBits, dst: AddressBits): number {
    const key = `literal|${host}|${addressKey(src)}|${addressKey(dst)}`;
    let id = this.literals.get(key);
    if (id === undefined) this.literals.set(key, (id = this.intern(this.hostReach.segments(host, src, dst))));
    return id;
  }

  /** A number per distinct set of runs. */
  private intern(segments: Segments): number {
    const key = SERVICE_PROTOCOLS.map((p) => JSON.stringify(segments[p])).join('|');
    let id = this.segmentIds.get(key);
    if (id === undefined) {
      id = this.segmentsById.length;
      if (id >= ID_SPAN) throw new Error('too many segment shapes for a numeric key');
      this.segmentIds.set(key, id);
      this.segmentsById.push(segments);
      this.redirects.push(SERVICE_PROTOCOLS.some((p) => segments[p].some((s) => s.outcome.kind === 'redirected')));
    }
    return id;
  }
}

/** Equal for equal reaches: their services and honeypots. */
function reachKey(reach: PairReach): string {
  return JSON.stringify(reach);
}

/**
 * Numbers by a pair of numbers under ID_SPAN, as maps within a map: one key made of both would
 * be above the small integers V8 keeps unboxed, and a map of such keys hashes a heap number on
 * every lookup (the matrix makes hundreds of millions at 50,000 workloads).
 */
class PairMap {
  private readonly maps = new Map<number, Map<number, number>>();

  get(a: number, b: number): number | undefined {
    return this.maps.get(a)?.get(b);
  }

  set(a: number, b: number, value: number): void {
    let inner = this.maps.get(a);
    if (!inner) this.maps.set(a, (inner = new Map<number, number>()));
    inner.set(b, value);
  }
}
