import { parseAddressMask, type AddressMask } from './address-bits';
import { CT_FLAGS, ETH_TYPE, IP_PROTO, REGISTER_COUNT, type BitsMatch, type FlowMatch } from './flow-model';

/** A problem with one token of a line; `token` lets the caller point at the column. */
export interface TokenProblem {
  code: string;
  message: string;
  token: string;
}

const SHORTHANDS: Record<string, { ethType: number; ipProto?: number }> = {
  ip: { ethType: ETH_TYPE.ipv4 },
  ipv6: { ethType: ETH_TYPE.ipv6 },
  arp: { ethType: ETH_TYPE.arp },
  icmp: { ethType: ETH_TYPE.ipv4, ipProto: IP_PROTO.icmp },
  tcp: { ethType: ETH_TYPE.ipv4, ipProto: IP_PROTO.tcp },
  udp: { ethType: ETH_TYPE.ipv4, ipProto: IP_PROTO.udp },
  sctp: { ethType: ETH_TYPE.ipv4, ipProto: IP_PROTO.sctp },
  icmp6: { ethType: ETH_TYPE.ipv6, ipProto: IP_PROTO.icmp6 },
  tcp6: { ethType: ETH_TYPE.ipv6, ipProto: IP_PROTO.tcp },
  udp6: { ethType: ETH_TYPE.ipv6, ipProto: IP_PROTO.udp },
  sctp6: { ethType: ETH_TYPE.ipv6, ipProto: IP_PROTO.sctp },
};

const ALIASES: Record<string, string> = {
  eth_type: 'dl_type',
  ip_proto: 'nw_proto',
  ip_src: 'nw_src',
  ip_dst: 'nw_dst',
  tcp_src: 'tp_src',
  udp_src: 'tp_src',
  sctp_src: 'tp_src',
  tcp_dst: 'tp_dst',
  udp_dst: 'tp_dst',
  sctp_dst: 'tp_dst',
  icmpv6_type: 'icmp_type',
  icmpv6_code: 'icmp_code',
  // ARP's sender and target protocol addresses are nw_src and nw_dst to Open vSwitch.
  arp_spa: 'nw_src',
  arp_tpa: 'nw_dst',
};

/** What `in_port` may name here: a port number, or a name without blanks, commas, quotes or `=`. */
const SWITCH_PORT = /^[^\s,="]+$/;

const PORTED = new Set<number>([IP_PROTO.tcp, IP_PROTO.udp, IP_PROTO.sctp]);

/**
 * Adds one match token (`tcp`, `nw_src=10.0.0.0/8`, `ct_state=+trk+new`, …) to `match`.
 * Returns a problem for unknown fields, bad values and contradictions; never throws.
 */
export function addMatchToken(match: FlowMatch, token: string): TokenProblem | null {
  const eq = token.indexOf('=');
  const rawKey = (eq < 0 ? token : token.slice(0, eq)).toLowerCase();
  const key = ALIASES[rawKey] ?? rawKey;
  const value = eq < 0 ? undefined : token.slice(eq + 1);
  const problem = (message: string, code = 'MS503'): TokenProblem => ({ code, message, token });

  if (value === undefined) {
    const shorthand = SHORTHANDS[key];
    if (!shorthand) return problem(`unknown match field "${token}"`, 'MS502');
    return (
      setField(match, 'ethType', shorthand.ethType, token) ??
      (shorthand.ipProto === undefined ? null : setField(match, 'ipProto', shorthand.ipProto, token))
    );
  }

  switch (key) {
    case 'in_port': {
      // `dump-flows --names` quotes names; the switch knows a port by its name or number alike.
      const port = /^"(.*)"$/.exec(value)?.[1] ?? value;
      if (!SWITCH_PORT.test(port)) return problem(`"${value}" is not a switch port name or number`);
      match.inPort = port;
      return null;
    }
    case 'dl_type':
      return withNumber(value, 0xffff, (n) => setField(match, 'ethType', n, token));
    case 'nw_proto':
      return withNumber(value, 0xff, (n) => setField(match, 'ipProto', n, token));
    case 'nw_src':
    case 'nw_dst':
    case 'ipv6_src':
    case 'ipv6_dst':
    case 'nd_target':
      return setAddress(match, key, value, token);
    case 'tp_src':
    case 'tp_dst': {
      const bits = parseBits(value, 0xffff);
      if (!bits) return problem(`"${value}" is not a port or port/mask`);
      match[key === 'tp_src' ? 'tpSrc' : 'tpDst'] = bits;
      return null;
    }
    case 'icmp_type':
    case 'icmp_code':
      return withNumber(value, 0xff, (n) => {
        match[key === 'icmp_type' ? 'icmpType' : 'icmpCode'] = n;
        return null;
      });
    case 'ct_state': {
      const bits = parseCtState(value);
      if (!bits) return problem(`"${value}" is not a ct_state such as +trk+new`);
      match.ctState = bits;
      return null;
    }
    case 'ct_mark': {
      const bits = parseBits32(value);
      if (!bits) return problem(`"${value}" is not a 32-bit ct_mark value or value/mask`);
      match.ctMark = bits;
      return null;
    }
    case 'conj_id':
      return withNumber(value, 0xffffffff, (n) => {
        match.conjId = n;
        return null;
      });
    default: {
      const register = registerNumber(key);
      if (register === null) return problem(`unknown match field "${rawKey}"`, 'MS502');
      const bits = parseBits32(value);
      if (!bits) return problem(`"${value}" is not a 32-bit register value or value/mask`);
      match.regs = { ...match.regs, [register]: bits };
      return null;
    }
  }

  function withNumber(text: string, max: number, use: (n: number) => TokenProblem | null): TokenProblem | null {
    const n = parseNumber(text);
    return n === null || n > max ? problem(`"${text}" is not a number from 0 to ${max}`) : use(n);
  }
}

/** The prerequisites OVS enforces (e.g. `tp_dst` needs tcp, udp or sctp): the first unmet one, or null. */
export function checkPrerequisites(m: FlowMatch): { field: string; message: string } | null {
  const ipv4 = m.ethType === ETH_TYPE.ipv4;
  const ipv6 = m.ethType === ETH_TYPE.ipv6;
  const icmp = (ipv4 && m.ipProto === IP_PROTO.icmp) || (ipv6 && m.ipProto === IP_PROTO.icmp6);
  const checks: [boolean, string, string][] = [
    [
      Boolean(m.nwSrc || m.nwDst) && !ipv4 && m.ethType !== ETH_TYPE.arp,
      m.nwSrc ? 'nw_src' : 'nw_dst',
      'needs ip (or arp) in the match',
    ],
    [Boolean(m.ipv6Src || m.ipv6Dst) && !ipv6, m.ipv6Src ? 'ipv6_src' : 'ipv6_dst', 'needs ipv6 in the match'],
    [m.ipProto !== undefined && !ipv4 && !ipv6, 'nw_proto', 'needs ip or ipv6 in the match'],
    [
      Boolean(m.tpSrc || m.tpDst) && !(m.ipProto !== undefined && PORTED.has(m.ipProto)),
      m.tpSrc ? 'tp_src' : 'tp_dst',
      'needs tcp, udp or sctp in the match',
    ],
    [
      (m.icmpType !== undefined || m.icmpCode !== undefined) && !icmp,
      m.icmpType !== undefined ? 'icmp_type' : 'icmp_code',
      'needs icmp or icmp6 in the match',
    ],
    [
      m.ndTarget !== undefined && !(ipv6 && m.ipProto === IP_PROTO.icmp6 && (m.icmpType === 135 || m.icmpType === 136) && (m.icmpCode ?? 0) === 0),
      'nd_target',
      'needs icmp6 and icmp_type=135 or 136 (with icmp_code, if any, 0) in the match',
    ],
  ];
  const unmet = checks.find(([fails]) => fails);
  return unmet ? { field: unmet[1], message: `${unmet[1]} ${unmet[2]}` } : null;
}

function setField(match: FlowMatch, field: 'ethType' | 'ipProto', value: number, token: string): TokenProblem | null {
  const current = match[field];
  if (current !== undefined && current !== value) {
    return {
      code: 'MS503',
      message: `"${token}" contradicts an earlier ${field === 'ethType' ? 'protocol' : 'IP protocol'} in the same match`,
      token,
    };
  }
  match[field] = value;
  return null;
}

function setAddress(
  match: FlowMatch,
  key: 'nw_src' | 'nw_dst' | 'ipv6_src' | 'ipv6_dst' | 'nd_target',
  value: string,
  token: string,
): TokenProblem | null {
  const parsed: AddressMask | null = parseAddressMask(value);
  const family = key.startsWith('nw') ? 4 : 6;
  if (!parsed || parsed.family !== family) {
    return { code: 'MS503', message: `"${value}" is not an IPv${family} address, prefix or address/mask`, token };
  }
  const field = ({ nw_src: 'nwSrc', nw_dst: 'nwDst', ipv6_src: 'ipv6Src', ipv6_dst: 'ipv6Dst', nd_target: 'ndTarget' } as const)[key];
  match[field] = parsed;
  return null;
}

/** Decimal or `0x` hex. */
export function parseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  return null;
}

function parseBits(text: string, width: number): BitsMatch | null {
  const [valueText = '', maskText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const value = parseNumber(valueText);
  const mask = maskText === undefined ? width : parseNumber(maskText);
  if (value === null || mask === null || value > width || mask > width) return null;
  return { value: value & mask, mask };
}

/** `reg0` … `reg15` → 0 … 15; null for any other name. */
export function registerNumber(name: string): number | null {
  const m = /^reg(\d{1,2})$/.exec(name);
  const n = m ? Number(m[1]) : NaN;
  return n >= 0 && n < REGISTER_COUNT ? n : null;
}

/** `V` or `V/M` of a 32-bit field (registers, ct_mark), the value masked as OVS stores it. */
export function parseBits32(text: string): BitsMatch | null {
  const [valueText = '', maskText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const value = parseNumber(valueText);
  const mask = maskText === undefined ? 0xffffffff : parseNumber(maskText);
  if (value === null || mask === null || value > 0xffffffff || mask > 0xffffffff) return null;
  return { value: (value & mask) >>> 0, mask };
}

function parseCtState(text: string): BitsMatch | null {
  if (/^0x/i.test(text) || /^\d/.test(text)) return parseBits(text, 0xff);
  let value = 0;
  let mask = 0;
  for (const [, sign, name] of text.matchAll(/([+-])([a-z]+)/g)) {
    const bit = (CT_FLAGS as Partial<Record<string, number>>)[name ?? ''];
    if (bit === undefined) return null;
    mask |= bit;
    if (sign === '+') value |= bit;
  }
  // Everything must have been consumed by the flag pattern.
  return text.replace(/[+-][a-z]+/g, '') === '' && mask !== 0 ? { value, mask } : null;
}
