import { mustBe, mustBeOneOf } from '../text';
import type { Protocol, Service } from './model';

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'sctp', 'icmp', 'any'];
const PORTED: ReadonlySet<Protocol> = new Set(['tcp', 'udp', 'sctp']);

export type ServiceParse = { ok: true; service: Service } | { ok: false; message: string };

/**
 * Parses the compact service notation used in policy files and the edge editor:
 * `tcp/8080`, `udp/53`, `tcp/9000-9010`, `tcp` (all ports), `icmp` (all types), `icmp/8` or
 * `icmp/0-8` (ICMP types), `icmp/3/4` or `icmp/3/0-4` (codes of one type), `any`, and named
 * ports: `tcp/http` (the destination's port named http), `tcp/http@8000-8100` (only where that
 * port's number lies in the range).
 */
export function parseService(text: string): ServiceParse {
  const trimmed = text.trim().toLowerCase();
  const [proto, portText, codeText, extra] = trimmed.split('/');
  if (extra !== undefined || (codeText !== undefined && proto !== 'icmp')) return fail(text, 'use one slash, as in tcp/8080 (two only for an ICMP type and code, icmp/3/4)');
  // A port alone is the likeliest slip: say which protocols it could go with.
  if (/^\d+(-\d+)?$/.test(proto ?? '') && portText === undefined) return fail(text, `a service names its protocol: write tcp/${proto} or udp/${proto}`);
  if (!PROTOCOLS.includes(proto as Protocol)) {
    return fail(text, mustBeOneOf('protocol', PROTOCOLS, proto ?? ''));
  }
  const protocol = proto as Protocol;
  if (portText === undefined) return { ok: true, service: { protocol } };
  // "tcp/" is a port forgotten, not "all ports": never widen a rule by accident.
  if (portText.trim() === '')
    return fail(text, protocol === 'icmp' ? 'write a type after the slash (icmp/8), or just "icmp" for every type' : `write a port after the slash (tcp/443), or just "${protocol}" for every port`);
  if (protocol === 'icmp') return parseIcmp(text, portText, codeText);
  if (!PORTED.has(protocol)) return fail(text, `${protocol} has no ports; write just "${protocol}"`);

  const [first = '', filter, more] = portText.split('@');
  if (more !== undefined) return fail(text, 'use one "@", as in tcp/http@8000-8100');
  if (/[a-z]/.test(first)) {
    if (!isPortName(first)) return fail(text, `"${first}" is not a port name (1 to 15 lowercase letters, digits and single inner "-", with a letter)`);
    if (filter === undefined) return { ok: true, service: { protocol, portName: first } };
    const range = parseRange(filter, PORT);
    return typeof range === 'string' ? fail(text, range) : { ok: true, service: { protocol, portName: first, ports: range } };
  }
  if (filter !== undefined) return fail(text, '"@" follows a port name, as in tcp/http@8080');
  const range = parseRange(first, PORT);
  return typeof range === 'string' ? fail(text, range) : { ok: true, service: { protocol, ports: range } };
}

/** `icmp/8`, `icmp/0-8`, `icmp/3/4`, `icmp/3/0-4`: types, or codes of one type. */
function parseIcmp(text: string, typeText: string, codeText: string | undefined): ServiceParse {
  const types = parseRange(typeText, ICMP_TYPE);
  if (typeof types === 'string') return fail(text, types);
  if (codeText === undefined) return { ok: true, service: { protocol: 'icmp', ports: types } };
  if (types.from !== types.to) return fail(text, `a code belongs to one ICMP type: name the type, as in icmp/3/4, or leave the code out (icmp/${typeText})`);
  if (codeText.trim() === '') return fail(text, `write a code after the type (icmp/${types.from}/0), or just "icmp/${types.from}" for every code`);
  const codes = parseRange(codeText, ICMP_CODE);
  return typeof codes === 'string' ? fail(text, codes) : { ok: true, service: { protocol: 'icmp', ports: types, icmpCodes: codes } };
}

/** The codes an ICMP service is narrowed to: none when it names none, or names every code (`icmp/3/0-255` is `icmp/3`). */
export function narrowedIcmpCodes(service: Service): Service['icmpCodes'] {
  const codes = service.icmpCodes;
  return codes && !(codes.from === 0 && codes.to === 255) ? codes : undefined;
}

/** The inverse of parseService; stable, so saved files do not churn. */
export function formatService(service: Service): string {
  const range = service.ports && rangeText(service.ports);
  if (service.portName) return `${service.protocol}/${service.portName}${range ? `@${range}` : ''}`;
  if (range && service.icmpCodes) return `${service.protocol}/${range}/${rangeText(service.icmpCodes)}`;
  return range ? `${service.protocol}/${range}` : service.protocol;
}

function rangeText(range: { from: number; to: number }): string {
  return range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
}

/** A traced packet's service fields: a destination port, or an ICMP type and, when one was given, code. */
export interface PacketService {
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp';
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
}

/** A traced packet's service as an edge writes it (`tcp/8080`, `icmp/8`, `icmp/8/0`: a code only when one was given), so a trace says what it asked. */
export function formatPacketService(packet: PacketService): string {
  const only = (n: number): { from: number; to: number } => ({ from: n, to: n });
  if (packet.protocol !== 'icmp') return formatService({ protocol: packet.protocol, ports: only(packet.dstPort ?? 0) });
  const codes = packet.icmpCode === undefined ? {} : { icmpCodes: only(packet.icmpCode) };
  return formatService({ protocol: 'icmp', ports: only(packet.icmpType ?? 0), ...codes });
}

/** Kubernetes' rule for port names (IANA service names): what a container port may be called. */
export function isPortName(text: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--');
}

/** What a range after the slash holds: ports, or ICMP types. */
interface RangeKind {
  /** With its article: `a port range`. */
  range: string;
  example: string;
  parse: (text: string) => number | null;
  notOne: (text: string) => string;
}

const PORT: RangeKind = {
  range: 'a port range',
  example: '9000-9010',
  parse: (text) => parsePort(text),
  notOne: (text) => mustBe('port', 'a whole number from 1 to 65535, or a port name such as http', text),
};

const ICMP_TYPE: RangeKind = {
  range: 'an ICMP type range',
  example: '0-8',
  parse: (text) => parseIcmpNumber(text),
  notOne: (text) => mustBe('ICMP type', 'a whole number from 0 to 255 (8 is an echo request, 128 an IPv6 one)', text),
};

const ICMP_CODE: RangeKind = {
  range: 'an ICMP code range',
  example: '0-4',
  parse: (text) => parseIcmpNumber(text),
  notOne: (text) => mustBe('ICMP code', 'a whole number from 0 to 255 (icmp/3/4: type 3, code 4)', text),
};

function parseRange(text: string, kind: RangeKind): { from: number; to: number } | string {
  const bounds = text.split('-');
  if (bounds.length > 2) return `${kind.range} is written low-high, as in ${kind.example}`;
  if (bounds.length === 2 && bounds.includes('')) return `${kind.range} needs both ends, as in ${kind.example} (found "${text}")`;
  const [fromText = '', toText = fromText] = bounds;
  const from = kind.parse(fromText);
  if (from === null) return kind.notOne(fromText);
  const to = kind.parse(toText);
  if (to === null) return kind.notOne(toText);
  if (from > to) return `range ${from}-${to} is upside down; write ${to}-${from}`;
  return { from, to };
}

/** A port as people write one: 1 to 65535 in decimal digits (`0x8AE`, `2e3` or ` 80` are not ports). */
export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** An ICMP type or code as people write one: 0 to 255 in decimal digits (`0x8` or ` 8` are not). */
export function parseIcmpNumber(text: string): number | null {
  return /^\d{1,3}$/.test(text) && Number(text) <= 255 ? Number(text) : null;
}

function fail(text: string, why: string): ServiceParse {
  return { ok: false, message: `service "${text}" is not valid: ${why}` };
}

/**
 * The services both lists permit, as a list: `tcp/1-1000` and `tcp/443-8443` give `tcp/443-1000`,
 * a named port and a range give the named port filtered to the range. Two different port names
 * give nothing: one port has one name. Deterministic.
 */
export function intersectServices(a: readonly Service[], b: readonly Service[]): Service[] {
  const out = new Map<string, Service>();
  for (const x of a) {
    for (const y of b) {
      const both = intersectService(x, y);
      if (both) out.set(formatService(both), both);
    }
  }
  return [...out.values()];
}

function intersectService(x: Service, y: Service): Service | null {
  if (x.protocol === 'any') return y;
  if (y.protocol === 'any') return x;
  if (x.protocol !== y.protocol) return null;
  if (x.portName !== undefined && y.portName !== undefined && x.portName !== y.portName) return null;
  const portName = x.portName ?? y.portName;
  const ports = bothRanges(x.ports, y.ports);
  const icmpCodes = bothRanges(x.icmpCodes, y.icmpCodes);
  if (ports === null || icmpCodes === null) return null;
  return { protocol: x.protocol, ...(ports ? { ports } : {}), ...(portName !== undefined ? { portName } : {}), ...(icmpCodes ? { icmpCodes } : {}) };
}

/** The numbers two ranges share (undefined: all of them); null for none. */
function bothRanges(a: Service['ports'], b: Service['ports']): Service['ports'] | null {
  if (!a || !b) return a ?? b;
  const both = { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
  return both.from <= both.to ? both : null;
}
