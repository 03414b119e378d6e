import { icmpOpensConnection } from '../net/icmp-requests';
import { addressBits, addressMatches, type AddressBits } from './address-bits';
import { CT_FLAGS, ETH_TYPE, IP_PROTO, REGISTER_COUNT, registerMatches, type FlowMatch } from './flow-model';

export type EthType = 'ipv4' | 'ipv6' | 'arp';

/** `icmp` means ICMPv6 on an IPv6 packet; `other` is any other IP protocol (`ipProto`, default 47). */
export type PacketProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'other';

/** A packet to simulate. For ARP, `src` and `dst` are the sender and target protocol addresses. */
export interface Packet {
  /** The switch port the packet comes in on at the first host (a workload's `switchPort`); absent: a port no flow names, such as the uplink. */
  inPort?: string;
  ethType: EthType;
  src: string;
  dst: string;
  /** Required for IPv4 and IPv6, ignored for ARP. */
  protocol?: PacketProtocol;
  ipProto?: number;
  srcPort?: number;
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
  /**
   * For an ICMPv6 neighbour solicitation or advertisement (type 135 or 136, code 0): the address
   * it asks about or claims. By default a solicitation asks about its destination and an
   * advertisement claims its source (`neighbourTargetOf`).
   */
  ndTarget?: string;
  /** The connection's ct_mark as conntrack reports it for an established or reply packet; 0 when absent, always 0 for a new one. */
  ctMark?: number;
  /**
   * For an established packet: the destination the connection's NAT sends it to, where its
   * first packet was redirected (a honeypot). Conntrack rewrites the packet at `ct(nat)`.
   */
  ctNat?: string;
}

/**
 * What conntrack will say about the packet once it has been through `ct()`: the first packet
 * of a connection (+new), a later one in its direction (+est), or one of its replies (+est+rpl).
 */
export type ConnectionState = 'new' | 'established' | 'reply';

/** The ICMP type `ping` sends towards an address: echo request, 8 in ICMPv4 and 128 in ICMPv6. */
export function echoRequestType(destination: string): number {
  return destination.includes(':') ? 128 : 8;
}

/** The packet as the tables see it: numbers only, plus the metadata the pipeline changes. */
export interface PacketFields {
  /** Only on the first switch: at the next one the packet comes in by the uplink. */
  inPort?: string;
  ethType: number;
  ipProto?: number;
  src: AddressBits;
  dst: AddressBits;
  tpSrc?: number;
  tpDst?: number;
  icmpType?: number;
  icmpCode?: number;
  /** Neighbour discovery's target: only on a solicitation or advertisement of code 0, as Open vSwitch reads it (`::` otherwise). */
  ndTarget?: AddressBits;
  /** 0 until a `ct()` sends the packet through conntrack. */
  ctState: number;
  /** The connection's mark once the packet has been through `ct()`; 0 before and for new connections. */
  ctMark: number;
  /** reg0 … reg15, all 0 when the packet arrives. */
  regs: readonly number[];
  /** 0 except during the lookup that follows a completed conjunction. */
  conjId: number;
  /** The destination MAC once a mod_dl_dst set it. */
  ethDst?: string;
  /**
   * Where a ct(commit,nat(dst=…)) sent the packet. The packet leaves with this destination, but
   * later lookups in the same pass still see `dst`, as in Open vSwitch (its trace's final flow
   * keeps the old nw_dst); only a recirculation through conntrack would show the new one.
   */
  natDst?: AddressBits;
}

const PROTO_NUMBER = { tcp: IP_PROTO.tcp, udp: IP_PROTO.udp, sctp: IP_PROTO.sctp } as const;

/** What is wrong with a packet (addresses of the wrong family, port out of range, …), or null. Pure. */
export function checkPacket(packet: Packet): string | null {
  const src = addressBits(packet.src);
  const dst = addressBits(packet.dst);
  const family = packet.ethType === 'ipv6' ? 6 : 4;
  if (!src || src.family !== family) return `source "${packet.src}" is not an IPv${family} address`;
  if (!dst || dst.family !== family) return `destination "${packet.dst}" is not an IPv${family} address`;
  if (packet.ctNat !== undefined && addressBits(packet.ctNat)?.family !== family) return `connection NAT "${packet.ctNat}" is not an IPv${family} address`;
  if (packet.ethType !== 'arp' && packet.protocol === undefined) return 'an IP packet needs a protocol';
  if (packet.ndTarget !== undefined) {
    if (!isNeighbourDiscovery(packet)) return 'ndTarget is only for an ICMPv6 neighbour solicitation or advertisement (icmpType 135 or 136)';
    if (addressBits(packet.ndTarget)?.family !== 6) return `neighbour discovery target "${packet.ndTarget}" is not an IPv6 address`;
  }
  for (const [name, value, max] of [
    ['srcPort', packet.srcPort, 0xffff],
    ['dstPort', packet.dstPort, 0xffff],
    ['icmpType', packet.icmpType, 0xff],
    ['icmpCode', packet.icmpCode, 0xff],
    ['ipProto', packet.ipProto, 0xff],
    ['ctMark', packet.ctMark, 0xffffffff],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max))
      return `${name} must be a whole number from 0 to ${max}`;
  }
  return null;
}

/** Whether the packet is an ICMPv6 neighbour solicitation or advertisement, which carries a target address. */
export function isNeighbourDiscovery(packet: Packet): boolean {
  return packet.ethType === 'ipv6' && packet.protocol === 'icmp' && (packet.icmpType === 135 || packet.icmpType === 136);
}

/** The target of a neighbour solicitation or advertisement: the one it names, else the address a solicitation asks about (its destination) or an advertisement claims (its source). */
export function neighbourTargetOf(packet: Packet): string | undefined {
  if (!isNeighbourDiscovery(packet)) return undefined;
  return packet.ndTarget ?? (packet.icmpType === 135 ? packet.dst : packet.src);
}

/** `::`, the target Open vSwitch reads in an ICMPv6 message that carries none. */
const UNSPECIFIED_IPV6 = addressBits('::')!;

/** The numeric fields of a valid packet (see checkPacket); throws on an invalid one, a caller bug. */
export function packetFields(packet: Packet): PacketFields {
  const problem = checkPacket(packet);
  if (problem) throw new Error(`invalid packet: ${problem}`);
  const src = addressBits(packet.src)!;
  const dst = addressBits(packet.dst)!;
  const fields: PacketFields = {
    ...(packet.inPort !== undefined ? { inPort: packet.inPort } : {}),
    ethType: ETH_TYPE[packet.ethType],
    src,
    dst,
    ctState: 0,
    ctMark: 0,
    regs: new Array<number>(REGISTER_COUNT).fill(0),
    conjId: 0,
  };
  if (packet.ethType === 'arp' || packet.protocol === undefined) return fields;

  if (packet.protocol === 'icmp') {
    fields.ipProto = packet.ethType === 'ipv6' ? IP_PROTO.icmp6 : IP_PROTO.icmp;
    fields.icmpType = packet.icmpType ?? 0;
    fields.icmpCode = packet.icmpCode ?? 0;
    const target = neighbourTargetOf(packet);
    if (target !== undefined && fields.icmpCode === 0) fields.ndTarget = addressBits(target)!;
  } else if (packet.protocol === 'other') {
    fields.ipProto = packet.ipProto ?? 47;
  } else {
    fields.ipProto = PROTO_NUMBER[packet.protocol];
    fields.tpSrc = packet.srcPort ?? 0;
    fields.tpDst = packet.dstPort ?? 0;
  }
  return fields;
}

/** Whether conntrack can start a connection with this packet: not with an ICMP reply or error (icmpOpensConnection). */
export function startsConnection(ethType: number, ipProto: number | undefined, icmpType: number | undefined): boolean {
  if (ethType === ETH_TYPE.ipv4 && ipProto === IP_PROTO.icmp) return icmpOpensConnection(4, icmpType ?? 0);
  if (ethType === ETH_TYPE.ipv6 && ipProto === IP_PROTO.icmp6) return icmpOpensConnection(6, icmpType ?? 0);
  return true;
}

/** startsConnection for a packet as callers describe it. */
export function packetStartsConnection(packet: Packet): boolean {
  if (packet.ethType === 'arp' || packet.protocol !== 'icmp') return true;
  const v6 = packet.ethType === 'ipv6';
  return startsConnection(v6 ? ETH_TYPE.ipv6 : ETH_TYPE.ipv4, v6 ? IP_PROTO.icmp6 : IP_PROTO.icmp, packet.icmpType ?? 0);
}

/** The ct_state bits conntrack gives a packet of this connection state: a first packet no connection can start with is invalid. */
export function trackedState(state: ConnectionState, fields: Pick<PacketFields, 'ethType' | 'ipProto' | 'icmpType'>): number {
  if (state === 'new') return CT_FLAGS.trk | (startsConnection(fields.ethType, fields.ipProto, fields.icmpType) ? CT_FLAGS.new : CT_FLAGS.inv);
  return CT_FLAGS.trk | CT_FLAGS.est | (state === 'reply' ? CT_FLAGS.rpl : 0);
}

/** Whether a flow's match holds for the packet, field by field as Open vSwitch compares them. Pure. */
export function matchesPacket(m: FlowMatch, p: PacketFields): boolean {
  if (m.inPort !== undefined && m.inPort !== p.inPort) return false;
  if (m.ethType !== undefined && m.ethType !== p.ethType) return false;
  if (m.ipProto !== undefined && m.ipProto !== p.ipProto) return false;
  const v4 = p.ethType === ETH_TYPE.ipv4 || p.ethType === ETH_TYPE.arp;
  const v6 = p.ethType === ETH_TYPE.ipv6;
  if (m.nwSrc && !(v4 && addressMatches(m.nwSrc, p.src))) return false;
  if (m.nwDst && !(v4 && addressMatches(m.nwDst, p.dst))) return false;
  if (m.ipv6Src && !(v6 && addressMatches(m.ipv6Src, p.src))) return false;
  if (m.ipv6Dst && !(v6 && addressMatches(m.ipv6Dst, p.dst))) return false;
  if (m.tpSrc && (p.tpSrc === undefined || (p.tpSrc & m.tpSrc.mask) !== m.tpSrc.value)) return false;
  if (m.tpDst && (p.tpDst === undefined || (p.tpDst & m.tpDst.mask) !== m.tpDst.value)) return false;
  if (m.icmpType !== undefined && m.icmpType !== p.icmpType) return false;
  if (m.icmpCode !== undefined && m.icmpCode !== p.icmpCode) return false;
  if (m.ndTarget && !(v6 && addressMatches(m.ndTarget, p.ndTarget ?? UNSPECIFIED_IPV6))) return false;
  if (m.ctState && (p.ctState & m.ctState.mask) !== m.ctState.value) return false;
  if (m.ctMark && (p.ctMark & m.ctMark.mask) >>> 0 !== m.ctMark.value) return false;
  if (m.regs)
    for (const [register, bits] of registerMatches(m))
      if (((p.regs[register] ?? 0) & bits.mask) >>> 0 !== bits.value) return false;
  if (m.conjId !== undefined && m.conjId !== p.conjId) return false;
  return true;
}
