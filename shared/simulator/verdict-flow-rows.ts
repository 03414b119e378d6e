import { ETH_TYPE } from './flow-model';
import { flowMatches, KNOWN_DESTINATION, KNOWN_SOURCE, type FastFlow } from './verdict-flow';
import type { Frame } from './verdict-frame';

// A table's flows as one Int32Array, ROW numbers per flow side by side, for the lookup: a flow
// it checks is one short run of a typed array instead of a FastFlow object and the objects it
// points to, which, cold, cost a cache miss each (a first sight reads flows nobody read for
// seconds). What the rows do not hold (metadata, IPv6 addresses, an unknown source) is checked
// on the FastFlow.

/** Numbers per flow. */
export const ROW = 16;

// The columns, as offsets into a flow's row.
export const PRIORITY = 0;
const LINE = 1;
const FLAGS = 2;
const ETH = 3;
const PROTO = 4;
const TP_SRC_VALUE = 5;
const TP_SRC_MASK = 6;
const TP_DST_VALUE = 7;
const TP_DST_MASK = 8;
const ICMP_TYPE = 9;
const ICMP_CODE = 10;
const ACTIONS = 11;
/** Where the flow's tallied (slot, clause bit) pairs start and end (ConjunctionTally). */
export const TALLIED_FROM = 12;
export const TALLIED_TO = 13;
const DST_VALUE = 14;
const DST_MASK = 15;

// FLAGS bits.
export const HARD = 1;
/** FastFlow.afterConjunction: a hard flow heading its group of identical matches. */
export const HEAD = 2;
/** conj_id=0: not seen by the lookup after a conjunction, which sets conj_id. */
export const CONJ_ID_ZERO = 4;
const SOURCE = 8;
const SOURCE_V6 = 16;
const DESTINATION = 32;
const DESTINATION_V6 = 64;
/** Conditions on conntrack state and mark, registers or conj_id (FastFlow.hasMetadata). */
export const METADATA = 128;
/** A destination condition that is no IPv4 value: checked on the FastFlow. */
const DESTINATION_V6_VALUE = 256;

/** The rows of a table's flows; `tallied(index)` gives where ConjunctionTally keeps each flow's tallied pairs. */
export function flowRows(flows: readonly FastFlow[], tallied: (index: number) => [number, number]): Int32Array {
  const rows = new Int32Array(ROW * flows.length);
  for (const f of flows) {
    const at = ROW * f.index;
    const [from, to] = tallied(f.index);
    rows[at + PRIORITY] = f.priority;
    rows[at + LINE] = f.line;
    rows[at + FLAGS] = flagsOf(f);
    rows[at + ETH] = f.ethType;
    rows[at + PROTO] = f.ipProto;
    rows[at + TP_SRC_VALUE] = f.tpSrcValue;
    rows[at + TP_SRC_MASK] = f.tpSrcMask;
    rows[at + TP_DST_VALUE] = f.tpDstValue;
    rows[at + TP_DST_MASK] = f.tpDstMask;
    rows[at + ICMP_TYPE] = f.icmpType;
    rows[at + ICMP_CODE] = f.icmpCode;
    rows[at + ACTIONS] = f.actionsId;
    rows[at + TALLIED_FROM] = from;
    rows[at + TALLIED_TO] = to;
    rows[at + DST_VALUE] = f.dst?.v4Value ?? 0;
    rows[at + DST_MASK] = f.dst?.v4Mask ?? 0;
  }
  return rows;
}

function flagsOf(f: FastFlow): number {
  let flags = (f.hard ? HARD : 0) | (f.afterConjunction ? HEAD : 0) | (f.conjId === 0 ? CONJ_ID_ZERO : 0);
  if (f.src !== null) flags |= SOURCE | (f.src.ipv6 ? SOURCE_V6 : 0);
  if (f.dst !== null) flags |= DESTINATION | (f.dst.ipv6 ? DESTINATION_V6 : 0) | (f.dst.family === 4 ? 0 : DESTINATION_V6_VALUE);
  return f.hasMetadata ? flags | METADATA : flags;
}

/** flowMatches (verdict-flow.ts) for flow `index` of these rows (`flows` their FastFlows), the same answer. */
export function rowMatches(rows: Int32Array, index: number, flows: readonly FastFlow[], p: Frame, known: number): boolean {
  const at = ROW * index;
  const flags = rows[at + FLAGS]!;
  if ((flags & (METADATA | DESTINATION_V6_VALUE)) !== 0 || ((flags & SOURCE) !== 0 && (known & KNOWN_SOURCE) === 0))
    return flowMatches(flows[index]!, p, known);
  const eth = rows[at + ETH]!;
  if (eth >= 0 && eth !== p.ethType) return false;
  const proto = rows[at + PROTO]!;
  if (proto >= 0 && proto !== p.ipProto) return false;
  // A source condition here is known to hold but for the packet's Ethernet type.
  if ((flags & SOURCE) !== 0 && !ethTypeAllows((flags & SOURCE_V6) !== 0, p.ethType)) return false;
  if ((flags & DESTINATION) !== 0) {
    if (!ethTypeAllows((flags & DESTINATION_V6) !== 0, p.ethType)) return false;
    if ((known & KNOWN_DESTINATION) === 0 && (p.dst.family !== 4 || (p.dst.v4 & rows[at + DST_MASK]!) !== rows[at + DST_VALUE]!)) return false;
  }
  const tpSrcMask = rows[at + TP_SRC_MASK]!;
  if (tpSrcMask >= 0 && (p.tpSrc < 0 || (p.tpSrc & tpSrcMask) !== rows[at + TP_SRC_VALUE])) return false;
  const tpDstMask = rows[at + TP_DST_MASK]!;
  if (tpDstMask >= 0 && (p.tpDst < 0 || (p.tpDst & tpDstMask) !== rows[at + TP_DST_VALUE])) return false;
  const icmpType = rows[at + ICMP_TYPE]!;
  if (icmpType >= 0 && icmpType !== p.icmpType) return false;
  const icmpCode = rows[at + ICMP_CODE]!;
  return icmpCode < 0 || icmpCode === p.icmpCode;
}

/** ethTypeAllows of verdict-flow.ts on the flag of a condition. */
function ethTypeAllows(ipv6: boolean, ethType: number): boolean {
  return ipv6 ? ethType === ETH_TYPE.ipv6 : ethType === ETH_TYPE.ipv4 || ethType === ETH_TYPE.arp;
}

/** Higher priority, or the same and earlier in the text: flow a of these rows against flow b. */
export function better(rows: Int32Array, a: number, b: number): boolean {
  const pa = rows[ROW * a + PRIORITY]!;
  const pb = rows[ROW * b + PRIORITY]!;
  return pa > pb || (pa === pb && rows[ROW * a + LINE]! < rows[ROW * b + LINE]!);
}

/** Whether two flows of these rows share a priority and differ in their actions (text order would decide between them). */
export function tieOfOtherActions(rows: Int32Array, a: number, b: number): boolean {
  return rows[ROW * a + PRIORITY] === rows[ROW * b + PRIORITY] && rows[ROW * a + ACTIONS] !== rows[ROW * b + ACTIONS];
}

/** The FLAGS of flow `index`. */
export function flagsAt(rows: Int32Array, index: number): number {
  return rows[ROW * index + FLAGS]!;
}
