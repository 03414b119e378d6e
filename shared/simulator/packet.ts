import { addressBits, addressMatches, type AddressBits } from './address-bits';
import { CT_FLAGS, ETH_TYPE, IP_PROTO, type FlowMatch } from './flow-model';

export type EthType = 'ipv4' | 'ipv6' | 'arp';

/** `icmp` means ICMPv6 on an IPv6 packet; `other` is any other IP protocol (`ipProto`, default 47). */
export type PacketProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'other';

/** A packet to simulate. For ARP, `src` and `dst` are the sender and target protocol addresses. */
export interface Packet {
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
}

/** What conntrack will say about the packet once it has been through `ct()`. */
export type ConnectionState = 'new' | 'established';

/** The packet as the tables see it: numbers only, plus the metadata the pipeline changes. */
export interface PacketFields {
  ethType: number;
  ipProto?: number;
  src: AddressBits;
  dst: AddressBits;
  tpSrc?: number;
  tpDst?: number;
  icmpType?: number;
  icmpCode?: number;
  /** 0 until a `ct()` sends the packet through conntrack. */
  ctState: number;
  /** 0 except during the lookup that follows a completed conjunction. */
  conjId: number;
}

const PROTO_NUMBER = { tcp: IP_PROTO.tcp, udp: IP_PROTO.udp, sctp: IP_PROTO.sctp } as const;

/** What is wrong with a packet (addresses of the wrong family, port out of range, …), or null. Pure. */
export function checkPacket(packet: Packet): string | null {
  const src = addressBits(packet.src);
  const dst = addressBits(packet.dst);
  const family = packet.ethType === 'ipv6' ? 6 : 4;
  if (!src || src.family !== family) return `source "${packet.src}" is not an IPv${family} address`;
  if (!dst || dst.family !== family) return `destination "${packet.dst}" is not an IPv${family} address`;
  if (packet.ethType !== 'arp' && packet.protocol === undefined) return 'an IP packet needs a protocol';
  for (const [name, value, max] of [
    ['srcPort', packet.srcPort, 0xffff],
    ['dstPort', packet.dstPort, 0xffff],
    ['icmpType', packet.icmpType, 0xff],
    ['icmpCode', packet.icmpCode, 0xff],
    ['ipProto', packet.ipProto, 0xff],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max))
      return `${name} must be a whole number from 0 to ${max}`;
  }
  return null;
}

/** The numeric fields of a valid packet (see checkPacket); throws on an invalid one, a caller bug. */
export function packetFields(packet: Packet): PacketFields {
  const problem = checkPacket(packet);
  if (problem) throw new Error(`invalid packet: ${problem}`);
  const src = addressBits(packet.src)!;
  const dst = addressBits(packet.dst)!;
  const fields: PacketFields = { ethType: ETH_TYPE[packet.ethType], src, dst, ctState: 0, conjId: 0 };
  if (packet.ethType === 'arp' || packet.protocol === undefined) return fields;

  if (packet.protocol === 'icmp') {
    fields.ipProto = packet.ethType === 'ipv6' ? IP_PROTO.icmp6 : IP_PROTO.icmp;
    fields.icmpType = packet.icmpType ?? 0;
    fields.icmpCode = packet.icmpCode ?? 0;
  } else if (packet.protocol === 'other') {
    fields.ipProto = packet.ipProto ?? 47;
  } else {
    fields.ipProto = PROTO_NUMBER[packet.protocol];
    fields.tpSrc = packet.srcPort ?? 0;
    fields.tpDst = packet.dstPort ?? 0;
  }
  return fields;
}

/** The ct_state bits conntrack gives a packet of this connection state. */
export function trackedState(state: ConnectionState): number {
  return CT_FLAGS.trk | (state === 'new' ? CT_FLAGS.new : CT_FLAGS.est);
}

/** Whether a flow's match holds for the packet, field by field as Open vSwitch compares them. Pure. */
export function matchesPacket(m: FlowMatch, p: PacketFields): boolean {
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
  if (m.ctState && (p.ctState & m.ctState.mask) !== m.ctState.value) return false;
  if (m.conjId !== undefined && m.conjId !== p.conjId) return false;
  return true;
}
