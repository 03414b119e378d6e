/** An address family as Open vSwitch matches it. */
export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** Canonical text of the network address, e.g. `10.0.0.0` or `fd00::`. */
  address: string;
  prefix: number;
}

/** Parses an IPv4 or IPv6 address or CIDR; a bare address is a /32 or /128. Null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const [addr = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const family: Family | null = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : null;
  if (family === null) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { family, address: addr.toLowerCase(), prefix };
}

/** The `ovs-ofctl` match value: `10.0.0.1` for a host, `10.0.0.0/8` for a block. */
export function cidrMatchValue(cidr: Cidr): string {
  const max = cidr.family === 4 ? 32 : 128;
  return cidr.prefix === max ? cidr.address : `${cidr.address}/${cidr.prefix}`;
}

/** The addresses of one family among `addresses`, as flows match them. */
export function matchValuesOf(addresses: readonly string[], family: Family): string[] {
  return addresses.flatMap((a) => {
    const cidr = parseCidr(a);
    return cidr?.family === family ? [cidrMatchValue(cidr)] : [];
  });
}

export function isIPv4(text: string): boolean {
  // Read character by character: compiles ask this of every address, and splitting made garbage.
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : DOT;
    if (c === DOT) {
      // Each part: 1 to 3 digits, no leading zero, at most 255.
      if (digits === 0 || value > 255 || (digits > 1 && text.charCodeAt(i - digits) === ZERO)) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= ZERO && c <= ZERO + 9 && digits < 3) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else {
      return false;
    }
  }
  return parts === 4;
}

const DOT = 46;
const ZERO = 48;

export function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups.at(-1);
  const hasV4Tail = last !== undefined && last.includes('.');
  if (hasV4Tail && !isIPv4(last)) return false;
  const hexGroups = hasV4Tail ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const width = hexGroups.length + (hasV4Tail ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}
