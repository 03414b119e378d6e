import { ETH_TYPE, IP_PROTO } from './flow-model';
import { MAX_HOPS, simulatePath, type HostFlowTables, type PathEnd, type PathProbe, type PathResult } from './path';
import { AddressBook, type EngineAddress } from './verdict-address';
import { Frame } from './verdict-frame';
import { DROPPED, FORWARDED, HostPipeline } from './verdict-host';
import { VerdictMemo } from './verdict-memo';

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
  /** Remember answers per equivalence class of packets (exact; see verdict-classes.ts). On by default. */
  memo?: boolean;
  /** Clause flows with more conjunction actions are probed rather than tallied (verdict-conjunctions.ts); tests lower it. */
  bigFlow?: number;
}

const PERMITTED: PathVerdict = Object.freeze({ verdict: 'permitted', enforced: true });
const UNENFORCED: PathVerdict = Object.freeze({ verdict: 'permitted', enforced: false });
const DROPPED_VERDICT: PathVerdict = Object.freeze({ verdict: 'dropped', enforced: true });
const PORTED = { tcp: IP_PROTO.tcp, udp: IP_PROTO.udp, sctp: IP_PROTO.sctp } as const;

/**
 * Single-packet verdicts for the first packet (ct state new) of a connection, end to end: the
 * same answer as simulatePath(tables, from, to, probe, 'new', { hostOf }) on every packet, the
 * same exceptions for invalid input, but without a trace and with each host's tables compiled
 * once into classifiers (verdict-table.ts). Hosts whose tables use what the classifiers do not
 * run exactly take simulatePath for the whole path. Deterministic; its caches only speed it up.
 */
export class VerdictEngine {
  private readonly book: AddressBook;
  private readonly hostIndex = new Map<string, number>();
  private readonly pipelines: (HostPipeline | undefined)[] = [];
  private readonly packet = new Frame();
  private readonly redirects = new Map<number, PathVerdict>();
  private readonly useMemo: boolean;
  private readonly memo = new VerdictMemo();

  constructor(
    private readonly tables: HostFlowTables,
    private readonly options: VerdictEngineOptions = {},
  ) {
    for (const host of tables.keys()) this.hostIndex.set(host, this.hostIndex.size);
    this.book = new AddressBook(this.hostIndex.size, options.hostOf);
    this.useMemo = options.memo ?? true;
  }

  /** The verdict simulatePath gives the first packet from `from` to `to`; throws where it throws. */
  verdict(from: PathEnd, to: PathEnd, probe: PathProbe): PathVerdict {
    const src = this.book.lookup(from.address);
    let dst = this.book.lookup(to.address);
    if (probe.ethType === undefined) {
      if (!src || !dst) throw new Error(`"${src ? to.address : from.address}" is not an IP address`);
      if (src.family !== dst.family) throw new Error(`${from.address} and ${to.address} are of different address families`);
    }

    let redirectedTo: EngineAddress | null = null;
    let destinationHost = to.host;
    let next = from.host ?? to.host;
    // The address whose end names `next`: its record remembers that host's index.
    let nextEnd = from.host !== undefined ? src : dst;
    let hops = 0;
    while (next !== undefined) {
      const host = next;
      if (hops >= MAX_HOPS) return DROPPED_VERDICT;
      const pipeline = this.pipeline(host, nextEnd);
      if (pipeline.unsupported) return this.simulated(from, to, probe);
      if (hops === 0) this.fill(src, dst, probe, from, to);
      this.packet.dst = dst!;
      hops++;
      const answer = pipeline.verdict(this.packet, this.useMemo);
      if (answer === DROPPED) return DROPPED_VERDICT;
      if (answer !== FORWARDED) {
        redirectedTo = dst = pipeline.target(answer);
        destinationHost = dst.host;
      }
      next = destinationHost !== host ? destinationHost : undefined;
      nextEnd = dst;
    }

    if (hops === 0) return UNENFORCED;
    return redirectedTo === null ? PERMITTED : this.redirected(redirectedTo);
  }

  private pipeline(host: string, end: EngineAddress | null): HostPipeline {
    let index: number | undefined;
    if (end !== null && end.lastHost === host) index = end.lastHostIndex;
    else {
      index = this.hostIndex.get(host);
      if (index === undefined) throw new Error(`no flow table for host "${host}"`);
      if (end !== null) {
        end.lastHost = host;
        end.lastHostIndex = index;
      }
    }
    let pipeline = this.pipelines[index];
    if (pipeline === undefined) pipeline = this.pipelines[index] = new HostPipeline(index, this.tables.get(host)!, this.book, this.memo, this.options.bigFlow);
    return pipeline;
  }

  /** The packet as packetFields makes it, checked as checkPacket checks it (it throws the same way). */
  private fill(src: EngineAddress | null, dst: EngineAddress | null, probe: PathProbe, from: PathEnd, to: PathEnd): void {
    const p = this.packet;
    const ethType = probe.ethType ?? (src!.family === 6 ? 'ipv6' : 'ipv4');
    const family = ethType === 'ipv6' ? 6 : 4;
    if (!src || src.family !== family) throw new Error(`invalid packet: source "${from.address}" is not an IPv${family} address`);
    if (!dst || dst.family !== family) throw new Error(`invalid packet: destination "${to.address}" is not an IPv${family} address`);
    checkNumbers(probe);
    p.ethType = ETH_TYPE[ethType];
    p.src = src;
    p.ipProto = -1;
    p.tpSrc = -1;
    p.tpDst = -1;
    p.icmpType = -1;
    p.icmpCode = -1;
    if (ethType === 'arp') return;
    const protocol = probe.protocol;
    if (protocol === undefined) throw new Error('invalid packet: an IP packet needs a protocol');
    if (protocol === 'icmp') {
      p.ipProto = family === 6 ? IP_PROTO.icmp6 : IP_PROTO.icmp;
      p.icmpType = probe.icmpType ?? 0;
      p.icmpCode = probe.icmpCode ?? 0;
    } else if (protocol === 'other') {
      p.ipProto = probe.ipProto ?? 47;
    } else {
      p.ipProto = PORTED[protocol];
      p.tpSrc = probe.srcPort ?? 0;
      p.tpDst = probe.dstPort ?? 0;
    }
  }

  private simulated(from: PathEnd, to: PathEnd, probe: PathProbe): PathVerdict {
    const path = simulatePath(this.tables, from, to, probe, 'new', this.options.hostOf ? { hostOf: this.options.hostOf } : {});
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

/** checkPacket's ranges, written out: this runs once per verdict. */
function checkNumbers(probe: PathProbe): void {
  checkRange('srcPort', probe.srcPort, 0xffff);
  checkRange('dstPort', probe.dstPort, 0xffff);
  checkRange('icmpType', probe.icmpType, 0xff);
  checkRange('icmpCode', probe.icmpCode, 0xff);
  checkRange('ipProto', probe.ipProto, 0xff);
  checkRange('ctMark', probe.ctMark, 0xffffffff);
}

function checkRange(name: string, value: number | undefined, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max))
    throw new Error(`invalid packet: ${name} must be a whole number from 0 to ${max}`);
}
