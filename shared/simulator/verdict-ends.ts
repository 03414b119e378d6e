import { ETH_TYPE, IP_PROTO } from './flow-model';
import type { PathProbe } from './path';
import type { EngineAddress } from './verdict-address';
import type { Frame } from './verdict-frame';

/** A host index for an end without a host, and for a host that has no tables (a verdict that reaches it throws). */
export const NO_HOST = -1;
export const UNKNOWN_HOST = -2;

/**
 * One end of a path resolved once by VerdictEngine.end: its address parsed and interned, its
 * host looked up. A caller that asks many verdicts about the same ends (a packet classifier
 * gets header fields, not text) keeps these instead of handing over text every time. Never
 * throws when made; a verdict with an end that is no address throws as the text verdict does.
 * It belongs to the engine that made it (its classes are that engine's).
 */
export class VerdictEnd {
  /** This end's source class on its own host (verdict-classes.ts); -1 until a verdict asked for it. */
  sourceClass = -1;
  /** The engine's pipeline epoch sourceClass was worked out in: a host dropped and built again numbers its classes anew. */
  epoch = 0;
  /** The address's id and family, 0 when there is none: a known packet then reads this object only, not the address's. */
  readonly id: number;
  readonly family: number;

  constructor(
    readonly owner: object,
    /** The text it was made from, for error messages. */
    readonly text: string,
    /** Null when the text is no IP address. */
    readonly address: EngineAddress | null,
    readonly host: string | undefined,
    /** The host's index among the engine's tables, NO_HOST or UNKNOWN_HOST. */
    readonly hostIndex: number,
  ) {
    this.id = address?.id ?? 0;
    this.family = address?.family ?? 0;
  }
}

const PORTED = { tcp: IP_PROTO.tcp, udp: IP_PROTO.udp, sctp: IP_PROTO.sctp } as const;

/**
 * A probe (the packet apart from its addresses) resolved once by VerdictEngine.service: its
 * fields as the numbers a Frame holds and its range check done, so a verdict only reads them.
 * Its service class per host and address family is remembered here. Never throws when made:
 * the verdict throws what checkPacket would, after the checks on the ends, as simulatePath does.
 * It belongs to the engine that made it.
 */
export class VerdictService {
  /** checkPacket's message for a field out of range, or null. */
  rangeError: string | null = null;
  arp = false;
  /** -1 when the probe has no protocol (an IP packet then throws). */
  private ipProto = -1;
  private ipProto6 = -1;
  private tpSrc = -1;
  private tpDst = -1;
  private icmpType = -1;
  private icmpCode = -1;
  /** Per (family, host index): the service class there, -1 until asked; null until one is remembered. */
  private classes: Int32Array | null = null;
  /** The engine's pipeline epoch `classes` hold classes of (see VerdictEnd.epoch). */
  private epoch = 0;

  constructor(
    readonly owner: object,
    /** As given, for the hosts that take simulatePath; not to be changed while the service is in use. */
    public probe: PathProbe,
    /** Described anew for every text verdict: then the hosts' own caches serve, nothing is remembered here. */
    private readonly once = false,
  ) {
    this.describe(probe);
  }

  /** Takes another probe's fields: the text verdict reuses one service rather than making one per packet. */
  describe(probe: PathProbe): void {
    this.probe = probe;
    this.rangeError = rangeError(probe);
    this.arp = probe.ethType === 'arp';
    const protocol = probe.protocol;
    this.ipProto = this.ipProto6 = this.tpSrc = this.tpDst = this.icmpType = this.icmpCode = -1;
    if (this.arp || protocol === undefined) return;
    if (protocol === 'icmp') {
      this.ipProto = IP_PROTO.icmp;
      this.ipProto6 = IP_PROTO.icmp6;
      this.icmpType = probe.icmpType ?? 0;
      this.icmpCode = probe.icmpCode ?? 0;
    } else if (protocol === 'other') this.ipProto = this.ipProto6 = probe.ipProto ?? 47;
    else {
      this.ipProto = this.ipProto6 = PORTED[protocol];
      this.tpSrc = probe.srcPort ?? 0;
      this.tpDst = probe.dstPort ?? 0;
    }
  }

  /** The protocol is missing on an IP packet (checkPacket throws then). */
  get lacksProtocol(): boolean {
    return !this.arp && this.ipProto < 0;
  }

  /** The remembered service class on a host for an address family (4 or 6) in the engine's pipeline epoch, or -1. */
  classOn(hostIndex: number, hostCount: number, family: number, epoch: number): number {
    const classes = this.classes;
    return classes === null || epoch !== this.epoch ? -1 : classes[family === 6 ? hostCount + hostIndex : hostIndex]!;
  }

  /** Keeps a service class (not for a text verdict's service); one of an earlier epoch forgets the rest. */
  remember(hostIndex: number, hostCount: number, family: number, serviceClass: number, epoch: number): void {
    if (this.once) return;
    this.classes ??= new Int32Array(2 * hostCount).fill(-1);
    if (epoch !== this.epoch) {
      this.classes.fill(-1);
      this.epoch = epoch;
    }
    this.classes[family === 6 ? hostCount + hostIndex : hostIndex] = serviceClass;
  }

  /** Writes the service fields of a packet of this address family into a frame (packetFields' numbers). */
  fill(frame: Frame, family: number): void {
    frame.ethType = this.arp ? ETH_TYPE.arp : family === 6 ? ETH_TYPE.ipv6 : ETH_TYPE.ipv4;
    frame.ipProto = this.arp ? -1 : family === 6 ? this.ipProto6 : this.ipProto;
    frame.tpSrc = this.tpSrc;
    frame.tpDst = this.tpDst;
    frame.icmpType = this.icmpType;
    frame.icmpCode = this.icmpCode;
  }
}

/** checkPacket's ranges, written out: the first field out of range, as its message. */
function rangeError(probe: PathProbe): string | null {
  return (
    checkRange('srcPort', probe.srcPort, 0xffff) ??
    checkRange('dstPort', probe.dstPort, 0xffff) ??
    checkRange('icmpType', probe.icmpType, 0xff) ??
    checkRange('icmpCode', probe.icmpCode, 0xff) ??
    checkRange('ipProto', probe.ipProto, 0xff) ??
    checkRange('ctMark', probe.ctMark, 0xffffffff)
  );
}

function checkRange(name: string, value: number | undefined, max: number): string | null {
  return value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)
    ? `invalid packet: ${name} must be a whole number from 0 to ${max}`
    : null;
}
