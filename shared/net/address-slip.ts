import { parseCidr } from './address';

/**
 * How to write one address that was written as a URL (`[fd00::1]`), a socket (`10.0.0.1:80`)
 * or a link-local scope (`fe80::1%eth0`) writes it, or with leading zeros (`10.1.0.01`), naming
 * the address meant; undefined for other text. `portGoes` says where a port is given instead.
 */
export function addressSlip(text: string, portGoes: string): string | undefined {
  const withPort = /^\[(.+)\]:\d+$/.exec(text)?.[1] ?? /^([\d.]+):\d+$/.exec(text)?.[1];
  if (single(withPort)) return `write the address alone, ${withPort} (a port goes in ${portGoes})`;
  const bracketed = /^\[(.+)\]$/.exec(text)?.[1];
  if (single(bracketed)) return `write it without the brackets, ${bracketed}`;
  const scoped = /^([^%]+)%.+$/.exec(text)?.[1];
  if (single(scoped)) return `write it without the zone after "%", ${scoped}`;
  const parts = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)?.slice(1);
  const padded = parts?.filter((n) => n.length > 1 && n.startsWith('0')) ?? [];
  if (parts && padded.length > 0) return `write its numbers without leading zeros${meantWithoutZeros(parts, padded)}`;
  return undefined;
}

/**
 * The address meant, `, 10.1.0.20`: tools differ on 020 (20, or octal 16), so where they do both
 * are said, rather than one guessed; nothing when read in decimal it is no address (0300).
 */
function meantWithoutZeros(parts: readonly string[], padded: readonly string[]): string {
  const decimal = parts.map((n) => String(Number(n))).join('.');
  if (!single(decimal)) return '';
  const octal = parts.map((n) => (padded.includes(n) && /^[0-7]+$/.test(n) ? String(parseInt(n, 8)) : String(Number(n)))).join('.');
  const asOctal = padded.filter((n) => /^[0-7]+$/.test(n) && parseInt(n, 8) !== Number(n));
  return octal === decimal || !single(octal) ? `, ${decimal}` : `, ${decimal} (or ${octal} if ${asOctal.join(' and ')} ${asOctal.length > 1 ? 'are' : 'is'} octal, as some tools read ${asOctal.length > 1 ? 'them' : 'it'})`;
}

/** `address` when it is one address (not a block), else undefined. */
function single(address: string | undefined): string | undefined {
  const cidr = address === undefined ? null : parseCidr(address);
  return cidr && cidr.prefix === (cidr.family === 4 ? 32 : 128) ? address : undefined;
}
