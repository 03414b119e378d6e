// Address arithmetic for the reference evaluator, written apart from shared/net and the
// simulator on purpose: the reference must not share code with what it checks.

/** An address as 128 '0'/'1' characters (IPv4 in the low 32 behind 96 zeros), and its family. */
export interface AddressPoint {
  bits: string;
  family: 4 | 6;
}

/** The point of an IPv4 or IPv6 address; null when the text is not one. */
export function toBits(text: string): AddressPoint | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return null;
    return { family: 4, bits: '0'.repeat(96) + octets.map((o) => o.toString(2).padStart(8, '0')).join('') };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return null;
  const [left = '', right] = text.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const zeros = 8 - head.length - tail.length;
  if (right === undefined ? zeros !== 0 : zeros < 1) return null;
  const groups = [...head, ...Array<string>(right === undefined ? 0 : zeros).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { family: 6, bits: groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('') };
}

/** The family of a point's bits: IPv4 sits behind 96 zeros. */
export function familyOf(bits: string): 4 | 6 {
  return bits.startsWith('0'.repeat(96)) ? 4 : 6;
}

/** Whether the point lies in the block `ADDRESS[/PREFIX]` (same family only). */
export function inBlock(cidr: string, point: AddressPoint): boolean {
  const [address = '', prefix] = cidr.split('/');
  const net = toBits(address);
  if (!net || net.family !== point.family) return false;
  const length = prefix === undefined ? (net.family === 4 ? 32 : 128) : Number(prefix);
  const offset = net.family === 4 ? 96 : 0;
  return point.bits.slice(offset, offset + length) === net.bits.slice(offset, offset + length);
}
