import type { Family } from '../net/address';
import type { AddressMask } from './address-bits';
import { ETH_TYPE, isConjunctive, registerMatches, type SimFlow } from './flow-model';
import type { EngineAddress } from './verdict-address';
import type { Frame } from './verdict-frame';

/** An nw_src/nw_dst or ipv6_src/ipv6_dst match, with the IPv4 value and mask also as numbers. */
export interface AddressCondition {
  /** ipv6_src/ipv6_dst (needs an IPv6 packet) rather than nw_src/nw_dst (IPv4 or ARP). */
  ipv6: boolean;
  family: Family;
  v4Value: number;
  v4Mask: number;
  value: bigint;
  mask: bigint;
  /** A single address (full mask): filed under it instead of scanned. */
  exact: boolean;
}

/**
 * A SimFlow's match as numbers, for the verdict engine; `-1` (or a 0 mask) where the flow does
 * not match the field. Its conjunction slots are kept by its table (ConjunctionTally).
 */
export interface FastFlow {
  flow: SimFlow;
  /** Position in its table's flow list (text order). */
  index: number;
  line: number;
  priority: number;
  /** Not a conjunctive clause flow: its actions run when it is chosen. */
  hard: boolean;
  ethType: number;
  ipProto: number;
  src: AddressCondition | null;
  dst: AddressCondition | null;
  tpSrcValue: number;
  tpSrcMask: number;
  tpDstValue: number;
  tpDstMask: number;
  icmpType: number;
  icmpCode: number;
  ctStateValue: number;
  ctStateMask: number;
  ctMarkValue: number;
  ctMarkMask: number;
  /** (register, value, mask) triples. */
  regs: number[] | null;
  conjId: number;
  /** Matches conntrack state, mark, registers or conj_id: fields that change along the pipeline. */
  hasMetadata: boolean;
  /** Equal numbers for equal action lists (same text), so a tie between equal actions is harmless. */
  actionsId: number;
  /** Seen by the lookup after a conjunction: a hard flow that heads its group of identical matches. */
  afterConjunction: boolean;
}

/** The numeric form of a flow; `actionsId` names its action list (see actionsKey). */
export function fastFlow(flow: SimFlow, index: number, actionsId: number): FastFlow {
  const m = flow.match;
  const regs = registerMatches(m).flatMap(([register, bits]) => [register, bits.value >>> 0, bits.mask >>> 0]);
  return {
    flow,
    index,
    line: flow.line,
    priority: flow.priority,
    hard: !isConjunctive(flow),
    ethType: m.ethType ?? -1,
    ipProto: m.ipProto ?? -1,
    src: condition(m.nwSrc, false) ?? condition(m.ipv6Src, true),
    dst: condition(m.nwDst, false) ?? condition(m.ipv6Dst, true),
    tpSrcValue: m.tpSrc?.value ?? 0,
    tpSrcMask: m.tpSrc ? m.tpSrc.mask : -1,
    tpDstValue: m.tpDst?.value ?? 0,
    tpDstMask: m.tpDst ? m.tpDst.mask : -1,
    icmpType: m.icmpType ?? -1,
    icmpCode: m.icmpCode ?? -1,
    ctStateValue: m.ctState?.value ?? 0,
    ctStateMask: m.ctState ? m.ctState.mask : -1,
    ctMarkValue: m.ctMark ? m.ctMark.value >>> 0 : 0,
    ctMarkMask: m.ctMark ? m.ctMark.mask >>> 0 : -1,
    regs: regs.length > 0 ? regs : null,
    conjId: m.conjId ?? -1,
    hasMetadata: m.ctState !== undefined || m.ctMark !== undefined || regs.length > 0 || m.conjId !== undefined,
    actionsId,
    afterConjunction: false,
  };
}

/** Whether a flow has both nw_src and ipv6_src (or both destinations); such a flow never matches. */
export function hasBothFamilies(flow: SimFlow): boolean {
  return (flow.match.nwSrc !== undefined && flow.match.ipv6Src !== undefined) ||
    (flow.match.nwDst !== undefined && flow.match.ipv6Dst !== undefined);
}

/** The part of a flow's text that names its actions: equal text, equal behaviour. */
export function actionsKey(flow: SimFlow): string {
  if (flow.actionsText !== undefined) return flow.actionsText;
  const at = flow.text.indexOf('actions=');
  return at >= 0 ? flow.text.slice(at) : JSON.stringify(flow.actions, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

function condition(mask: AddressMask | undefined, ipv6: boolean): AddressCondition | null {
  if (!mask) return null;
  const full = mask.family === 4 ? 0xffffffffn : (1n << 128n) - 1n;
  return {
    ipv6,
    family: mask.family,
    v4Value: mask.family === 4 ? Number(mask.value) : 0,
    v4Mask: mask.family === 4 ? Number(mask.mask) : 0,
    value: mask.value,
    mask: mask.mask,
    exact: mask.mask === full,
  };
}

/** Whether an address condition holds for an address of a packet of this Ethernet type. */
export function addressHolds(c: AddressCondition, address: EngineAddress, ethType: number): boolean {
  return ethTypeAllows(c, ethType) && valueHolds(c, address);
}

/** nw_src/nw_dst apply to IPv4 and ARP packets, ipv6_src/ipv6_dst to IPv6 ones. */
export function ethTypeAllows(c: AddressCondition, ethType: number): boolean {
  return c.ipv6 ? ethType === ETH_TYPE.ipv6 : ethType === ETH_TYPE.ipv4 || ethType === ETH_TYPE.arp;
}

/** The address half of a condition, whatever the packet's Ethernet type. */
export function valueHolds(c: AddressCondition, address: Pick<EngineAddress, 'family' | 'v4' | 'value'>): boolean {
  if (c.family !== address.family) return false;
  if (c.family === 4) return ((address.v4 & c.v4Mask) >>> 0) === c.v4Value;
  return (address.value & c.mask) === c.value;
}

/** Skip flags for flowMatches: the caller already knows the address half of the source (or destination) condition holds. */
export const KNOWN_SOURCE = 1;
export const KNOWN_DESTINATION = 2;

/** matchesPacket of packet.ts over a frame, field by field the same; `known` skips conditions already checked. */
export function flowMatches(f: FastFlow, p: Frame, known: number): boolean {
  if (f.ethType >= 0 && f.ethType !== p.ethType) return false;
  if (f.ipProto >= 0 && f.ipProto !== p.ipProto) return false;
  if (f.src !== null && !((known & KNOWN_SOURCE) !== 0 ? ethTypeAllows(f.src, p.ethType) : addressHolds(f.src, p.src, p.ethType)))
    return false;
  if (f.dst !== null && !((known & KNOWN_DESTINATION) !== 0 ? ethTypeAllows(f.dst, p.ethType) : addressHolds(f.dst, p.dst, p.ethType)))
    return false;
  if (f.tpSrcMask >= 0 && (p.tpSrc < 0 || (p.tpSrc & f.tpSrcMask) !== f.tpSrcValue)) return false;
  if (f.tpDstMask >= 0 && (p.tpDst < 0 || (p.tpDst & f.tpDstMask) !== f.tpDstValue)) return false;
  if (f.icmpType >= 0 && f.icmpType !== p.icmpType) return false;
  if (f.icmpCode >= 0 && f.icmpCode !== p.icmpCode) return false;
  return !f.hasMetadata || metadataMatches(f, p);
}

/** The conditions on fields the pipeline changes: conntrack state and mark, registers, conj_id. */
export function metadataMatches(f: FastFlow, p: Frame): boolean {
  if (f.ctStateMask >= 0 && (p.ctState & f.ctStateMask) !== f.ctStateValue) return false;
  if (f.ctMarkMask >= 0 && ((p.ctMark & f.ctMarkMask) >>> 0) !== f.ctMarkValue) return false;
  const regs = f.regs;
  if (regs !== null)
    for (let i = 0; i < regs.length; i += 3) if (((p.regs[regs[i]!]! & regs[i + 2]!) >>> 0) !== regs[i + 1]) return false;
  return f.conjId < 0 || f.conjId === p.conjId;
}

/** The conditions on the service: Ethernet type, protocol, ports, ICMP type and code (all fixed for a packet). */
export function serviceMatches(f: FastFlow, p: Frame): boolean {
  if (f.ethType >= 0 && f.ethType !== p.ethType) return false;
  if (f.ipProto >= 0 && f.ipProto !== p.ipProto) return false;
  if (f.tpSrcMask >= 0 && (p.tpSrc < 0 || (p.tpSrc & f.tpSrcMask) !== f.tpSrcValue)) return false;
  if (f.tpDstMask >= 0 && (p.tpDst < 0 || (p.tpDst & f.tpDstMask) !== f.tpDstValue)) return false;
  if (f.icmpType >= 0 && f.icmpType !== p.icmpType) return false;
  return f.icmpCode < 0 || f.icmpCode === p.icmpCode;
}
