import { formatAddressMask, type AddressBits, type AddressMask } from './address-bits';

/** Connection-tracking state bits as Open vSwitch numbers them in `ct_state`. */
export const CT_FLAGS = {
  new: 0x01,
  est: 0x02,
  rel: 0x04,
  rpl: 0x08,
  inv: 0x10,
  trk: 0x20,
  snat: 0x40,
  dnat: 0x80,
} as const;

export type CtFlag = keyof typeof CT_FLAGS;

export const ETH_TYPE = { ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806 } as const;

export const IP_PROTO = { icmp: 1, tcp: 6, udp: 17, icmp6: 58, sctp: 132 } as const;

/** A field matched under a mask, e.g. `tp_dst=0x50/0xfff0`; an exact match has the field's full mask. */
export interface BitsMatch {
  value: number;
  mask: number;
}

/** The registers reg0 to reg15, 32 bits each; every packet starts with all of them 0. */
export const REGISTER_COUNT = 16;

/** The fields one flow matches; an absent field is wildcarded. Addresses are stored masked. */
export interface FlowMatch {
  /** The switch port the packet came in on, by name (`in_port=veth-web1`) or OpenFlow number as written. */
  inPort?: string;
  ethType?: number;
  ipProto?: number;
  nwSrc?: AddressMask;
  nwDst?: AddressMask;
  ipv6Src?: AddressMask;
  ipv6Dst?: AddressMask;
  tpSrc?: BitsMatch;
  tpDst?: BitsMatch;
  icmpType?: number;
  icmpCode?: number;
  /** The address a neighbour solicitation asks about or an advertisement claims (ICMPv6 135/136, code 0). */
  ndTarget?: AddressMask;
  ctState?: BitsMatch;
  /** 32 bits. */
  ctMark?: BitsMatch;
  /** By register number: `reg0=0x1/0xffff` is `{ 0: { value: 1, mask: 0xffff } }`. */
  regs?: Partial<Record<number, BitsMatch>>;
  conjId?: number;
}

/** `nat` (bare: apply the connection's existing NAT) or `nat(dst=A)`: destination NAT to one address. */
export interface NatSpec {
  dst?: AddressBits;
}

export type FlowAction =
  | { kind: 'normal' }
  /** `in_port` (`output:in_port`): out of the port the packet came in on, which NORMAL never uses. */
  | { kind: 'in-port' }
  | { kind: 'drop' }
  | { kind: 'goto-table'; table: number }
  | { kind: 'resubmit'; table: number }
  | {
      kind: 'ct';
      commit: boolean;
      table?: number;
      zone?: number;
      nat?: NatSpec;
      /** `exec(load:V->NXM_NX_CT_MARK[a..b])`: bits the commit sets in the connection's mark, already shifted. */
      mark?: BitsMatch;
    }
  | { kind: 'conjunction'; id: number; clause: number; clauses: number }
  /** `load:V->NXM_NX_REGn[a..b]` or `set_field:V[/M]->regn`: value and mask already shifted into place. */
  | { kind: 'load'; register: number; value: number; mask: number }
  | { kind: 'mod-dl-dst'; mac: string };

/** One flow as the simulator runs it, with where it came from so traces can point back. */
export interface SimFlow {
  /** 1-based line in the text it was parsed from. */
  line: number;
  /** The line as written (trimmed), for traces. */
  text: string;
  /** Its `actions=…` part, where known without printing the line (see actionsKey). */
  readonly actionsText?: string;
  /** Canonical `0x…` hex. */
  cookie: string;
  table: number;
  priority: number;
  match: FlowMatch;
  actions: FlowAction[];
}

/** Open vSwitch's priority when a flow names none. */
export const DEFAULT_PRIORITY = 32768;

/** True when the match names a source or destination address (exactly or as a prefix). */
export function hasAddress(m: FlowMatch): boolean {
  return m.nwSrc !== undefined || m.nwDst !== undefined || m.ipv6Src !== undefined || m.ipv6Dst !== undefined;
}

/**
 * The flow acting with other actions (an analysis's view of it), its printed line still the
 * original's. A class rather than a spread copy: the reader's flows print their line only when
 * asked (a getter, which a spread would not carry).
 */
export function withActions(flow: SimFlow, actions: FlowAction[]): SimFlow {
  return new ActingFlow(flow, actions);
}

class ActingFlow implements SimFlow {
  readonly line: number;
  readonly cookie: string;
  readonly table: number;
  readonly priority: number;
  readonly match: FlowMatch;
  readonly #original: SimFlow;

  constructor(
    original: SimFlow,
    readonly actions: FlowAction[],
  ) {
    ({ line: this.line, cookie: this.cookie, table: this.table, priority: this.priority, match: this.match } = original);
    this.#original = original;
  }

  get text(): string {
    return this.#original.text;
  }
}

/** True when the flow only contributes clauses to conjunctive matches (OVS: a "soft" match). */
export function isConjunctive(flow: SimFlow): boolean {
  return flow.actions.length > 0 && flow.actions.every((a) => a.kind === 'conjunction');
}

/**
 * Canonical text of a match, field by field in a fixed order. Two flows whose matches OVS
 * considers identical (e.g. `ip,nw_src=10.0.0.5/8` and `ip,nw_src=10.0.0.0/8`) get equal text.
 */
const printedMatches = new WeakMap<FlowMatch, string>();

/**
 * formatMatch, printed once per match object. A reader of compiled tables gives every flow of
 * one match the same object, so the verdict engine, which keys flows by their match text on
 * every host, prints each distinct match once rather than once per flow. Matches are never
 * changed once parsed.
 */
export function printedMatch(m: FlowMatch): string {
  let text = printedMatches.get(m);
  if (text === undefined) printedMatches.set(m, (text = formatMatch(m)));
  return text;
}

export function formatMatch(m: FlowMatch): string {
  const parts: string[] = [];
  if (m.inPort !== undefined) parts.push(`in_port=${m.inPort}`);
  if (m.ethType !== undefined) parts.push(`dl_type=0x${m.ethType.toString(16).padStart(4, '0')}`);
  if (m.ipProto !== undefined) parts.push(`nw_proto=${m.ipProto}`);
  if (m.nwSrc) parts.push(`nw_src=${formatAddressMask(m.nwSrc)}`);
  if (m.nwDst) parts.push(`nw_dst=${formatAddressMask(m.nwDst)}`);
  if (m.ipv6Src) parts.push(`ipv6_src=${formatAddressMask(m.ipv6Src)}`);
  if (m.ipv6Dst) parts.push(`ipv6_dst=${formatAddressMask(m.ipv6Dst)}`);
  if (m.tpSrc) parts.push(`tp_src=${formatBits(m.tpSrc)}`);
  if (m.tpDst) parts.push(`tp_dst=${formatBits(m.tpDst)}`);
  if (m.icmpType !== undefined) parts.push(`icmp_type=${m.icmpType}`);
  if (m.icmpCode !== undefined) parts.push(`icmp_code=${m.icmpCode}`);
  if (m.ndTarget) parts.push(`nd_target=${formatAddressMask(m.ndTarget)}`);
  if (m.ctState) parts.push(`ct_state=${formatCtState(m.ctState)}`);
  if (m.ctMark) parts.push(`ct_mark=${formatMasked(m.ctMark, 0xffffffff)}`);
  for (const [register, bits] of registerMatches(m)) parts.push(`reg${register}=${formatMasked(bits, 0xffffffff)}`);
  if (m.conjId !== undefined) parts.push(`conj_id=${m.conjId}`);
  return parts.join(',');
}

/** `+trk+new` style text of a ct_state value under a mask. */
export function formatCtState(bits: BitsMatch): string {
  return (Object.keys(CT_FLAGS) as CtFlag[])
    .filter((flag) => (bits.mask & CT_FLAGS[flag]) !== 0)
    .map((flag) => `${(bits.value & CT_FLAGS[flag]) !== 0 ? '+' : '-'}${flag}`)
    .join('');
}

/** The register matches of a flow, by register number ascending. */
export function registerMatches(m: FlowMatch): [number, BitsMatch][] {
  return Object.entries(m.regs ?? {})
    .flatMap(([n, bits]): [number, BitsMatch][] => (bits ? [[Number(n), bits]] : []))
    .sort(([a], [b]) => a - b);
}

/** `0x1` for an exact match of a field `full` wide, `0x1/0xffff` under a mask. */
export function formatMasked(bits: BitsMatch, full: number): string {
  return bits.mask === full
    ? `0x${bits.value.toString(16)}`
    : `0x${bits.value.toString(16)}/0x${bits.mask.toString(16)}`;
}

function formatBits(bits: BitsMatch): string {
  return bits.mask === 0xffff ? String(bits.value) : `0x${bits.value.toString(16)}/0x${bits.mask.toString(16)}`;
}
