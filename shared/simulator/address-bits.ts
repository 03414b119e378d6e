import type { Family } from '../net/address';

/** An IP address as a number, so masks and prefixes compare exactly whatever the spelling. */
export interface AddressBits {
  family: Family;
  value: bigint;
}

/** A value/mask pair over one address family: `10.0.0.0/8`, `fd00::/64`, `10.0.0.0/255.0.255.0`. */
export interface AddressMask {
  family: Family;
  value: bigint;
  mask: bigint;
}

const WIDTH: Record<Family, number> = { 4: 32, 6: 128 };

/** Parses a bare IPv4 or IPv6 address (no prefix) into bits; null when it is not one. Pure. */
export function addressBits(text: string): AddressBits | null {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = ipv6Value(trimmed);
    return value === null ? null : { family: 6, value };
  }
  const value = ipv4Value(trimmed);
  return value === null ? null : { family: 4, value };
}

/**
 * Parses `ADDR`, `ADDR/PREFIX` or (IPv4 and IPv6) `ADDR/MASK-ADDRESS` into a value/mask pair,
 * with the value already masked as Open vSwitch stores it. Null when invalid. Pure.
 */
export function parseAddressMask(text: string): AddressMask | null {
  const [addr = '', maskText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const bits = addressBits(addr);
  if (!bits) return null;
  const width = WIDTH[bits.family];
  let mask = fullMask(bits.family);
  if (maskText !== undefined) {
    if (/^\d{1,3}$/.test(maskText)) {
      const prefix = Number(maskText);
      if (prefix > width) return null;
      mask = prefix === 0 ? 0n : (fullMask(bits.family) >> BigInt(width - prefix)) << BigInt(width - prefix);
    } else {
      const maskBits = addressBits(maskText);
      if (!maskBits || maskBits.family !== bits.family) return null;
      mask = maskBits.value;
    }
  }
  return { family: bits.family, value: bits.value & mask, mask };
}

/** True when the address falls under the value/mask pair (same family only). Pure. */
export function addressMatches(match: AddressMask, address: AddressBits): boolean {
  return match.family === address.family && (address.value & match.mask) === match.value;
}

/** Canonical text of a value/mask pair, for traces and for telling identical matches apart. */
export function formatAddressMask(m: AddressMask): string {
  const address = m.family === 4 ? formatIPv4(m.value) : formatIPv6(m.value);
  if (m.mask === fullMask(m.family)) return address;
  const prefix = prefixLength(m);
  if (prefix !== null) return `${address}/${prefix}`;
  return `${address}/${m.family === 4 ? formatIPv4(m.mask) : formatIPv6(m.mask)}`;
}

/** Canonical text of one address: dotted IPv4, RFC 5952 IPv6. */
export function formatAddress(bits: AddressBits): string {
  return bits.family === 4 ? formatIPv4(bits.value) : formatIPv6(bits.value);
}

function fullMask(family: Family): bigint {
  return (1n << BigInt(WIDTH[family])) - 1n;
}

function prefixLength(m: AddressMask): number | null {
  const width = WIDTH[m.family];
  for (let prefix = 0; prefix <= width; prefix++) {
    const mask = prefix === 0 ? 0n : (fullMask(m.family) >> BigInt(width - prefix)) << BigInt(width - prefix);
    if (mask === m.mask) return prefix;
  }
  return null;
}

function ipv4Value(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function ipv6Value(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** 16-bit groups of one side of `::`, with an optional dotted IPv4 tail counting as two. */
function groupsOf(side: string): number[] | null {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = ipv4Value(part);
      if (v4 === null) return null;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952 text: lowercase, the longest run of two or more zero groups shortened to `::`. */
function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
