import { isIPv4, parseCidr, type Cidr } from './address';
import { appendAll } from '../arrays';
import { quotedName } from '../text';

/**
 * The address blocks of `include` minus those of `exclude`, as the fewest CIDRs (e.g. the
 * internet minus the private ranges). Exact, deterministic (sorted), IPv4 and IPv6.
 */
export function subtractCidrs(include: readonly string[], exclude: readonly string[]): string[] {
  const out: Block[] = [];
  const excluded = exclude.map(parseCidr).filter((c): c is Cidr => c !== null).map(toBlock);
  for (const text of include) {
    const cidr = parseCidr(text);
    if (cidr) appendAll(out, carve(toBlock(cidr), excluded));
  }
  return dedupe(out).map(formatBlock);
}

/** The canonical text of a block: host bits cleared (`198.51.100.9/24` → `198.51.100.0/24`). Null when invalid. */
export function canonicalCidr(text: string): string | null {
  const cidr = parseCidr(text);
  return cidr ? formatBlock(toBlock(cidr)) : null;
}

/**
 * An address in its one spelling (`fd00::2` for `FD00::0002`; of a block, its network
 * address), for comparing addresses as text. Null when invalid.
 */
export function canonicalAddress(text: string): string | null {
  // A valid IPv4 address has one spelling already (no leading zeros): most addresses skip the parse.
  if (isIPv4(text)) return text;
  const cidr = canonicalCidr(text);
  return cidr ? cidr.slice(0, cidr.indexOf('/')) : null;
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, `::ffff:a00:1`) stands for;
 * null for any other text. Such a spelling matches no packet: IPv4 traffic carries the IPv4
 * address, and Open vSwitch matches it as such.
 */
export function ipv4Mapped(text: string): string | null {
  const cidr = parseCidr(text);
  return cidr?.prefix === 128 ? (unmapped(cidr)?.address ?? null) : null;
}

/**
 * The IPv4 block an IPv4-mapped IPv6 block stands for (`::ffff:10.0.0.0/104` is `10.0.0.0/8`);
 * null for any other text, a block reaching beyond the mapped range (`::/0`) among them. Like a
 * mapped address, such a block holds no address a packet carries.
 */
export function ipv4MappedBlock(text: string): string | null {
  const mapped = unmapped(parseCidr(text));
  return mapped && canonicalCidr(`${mapped.address}/${mapped.prefix}`);
}

/** The IPv4 address and prefix an IPv6 block inside ::ffff:0:0/96 is written with; null for any other block. */
function unmapped(cidr: Cidr | null): { address: string; prefix: number } | null {
  if (!cidr || cidr.family !== 6 || cidr.prefix < 96) return null;
  const value = ipv6ToBigInt(cidr.address);
  return value >> 32n === 0xffffn ? { address: bigIntToIPv4(value & 0xffffffffn), prefix: cidr.prefix - 96 } : null;
}

/** Why an address cannot stand for a workload or an end when it is IPv4 written as IPv6 (see ipv4Mapped); undefined for any other text. */
export function ipv4MappedProblem(text: string): string | undefined {
  const mapped = ipv4Mapped(text);
  return mapped === null ? undefined : `${quotedName(text)} is the IPv4 address ${mapped} written as IPv6, which no packet carries; write ${mapped}`;
}

/** Addresses that name no one machine: no workload sends from them or is reached at them. */
const NO_WORKLOAD_ADDRESS: readonly (readonly [block: string, what: string])[] = [
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['255.255.255.255/32', 'the broadcast address'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'the loopback address'],
  ['ff00::/8', 'a multicast address'],
];

/**
 * Why an address cannot be a workload's own (unspecified, loopback, multicast, broadcast: what
 * an export writes for a machine without an address, or a typing slip); undefined for any other.
 * Rules on such an address would match traffic of no workload, or of every one.
 */
export function workloadAddressProblem(text: string): string | undefined {
  // Matchers made once: an inventory of 50,000 workloads asks this of every address.
  noWorkloadMatchers ??= NO_WORKLOAD_ADDRESS.map(([block, what]) => [cidrMatcher([block]), what] as const);
  const found = noWorkloadMatchers.find(([inside]) => inside(text));
  return found && `${quotedName(text)} is ${found[1]}, which is no workload's own; write the workload's address (or none while it has none)`;
}

let noWorkloadMatchers: readonly (readonly [inside: (address: string) => boolean, what: string])[] | undefined;

/**
 * A predicate "is this address inside one of the blocks?", for matching workload addresses
 * against a group's blocks. The blocks are parsed once.
 */
export function cidrMatcher(blocks: readonly string[]): (address: string) => boolean {
  const parsed = blocks.map(parseCidr).filter((c): c is Cidr => c !== null).map(toBlock);
  if (parsed.length === 0) return () => false;
  return (address) => {
    const cidr = parseCidr(address);
    if (!cidr) return false;
    const point = toBlock(cidr);
    return parsed.some((b) => b.family === point.family && b.prefix <= point.prefix && overlaps(b, point));
  };
}

/** Whether the block `inner` lies wholly inside one of `outers`. */
export function cidrInside(inner: string, outers: readonly string[]): boolean {
  const a = parseCidr(inner);
  if (!a) return false;
  const block = toBlock(a);
  return outers.some((text) => {
    const o = parseCidr(text);
    if (!o) return false;
    const outer = toBlock(o);
    return outer.family === block.family && outer.prefix <= block.prefix && overlaps(outer, block);
  });
}

/** Whether any block of `a` shares an address with any block of `b`. */
export function cidrsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const blocksOf = (texts: readonly string[]): Block[] => texts.map(parseCidr).filter((c): c is Cidr => c !== null).map(toBlock);
  const right = blocksOf(b);
  return blocksOf(a).some((x) => right.some((y) => x.family === y.family && overlaps(x, y)));
}

interface Block {
  family: 4 | 6;
  /** Network address as an integer; BigInt so IPv6 fits. */
  base: bigint;
  prefix: number;
}

function carve(block: Block, excluded: readonly Block[]): Block[] {
  const overlapping = excluded.filter((e) => e.family === block.family && overlaps(block, e));
  if (overlapping.some((e) => e.prefix <= block.prefix)) return []; // wholly excluded
  if (overlapping.length === 0) return [block];
  // Some smaller excluded block sits inside: split in halves and carve each.
  const half = bits(block.family) - block.prefix - 1;
  const low: Block = { family: block.family, base: block.base, prefix: block.prefix + 1 };
  const high: Block = { family: block.family, base: block.base | (1n << BigInt(half)), prefix: block.prefix + 1 };
  return [...carve(low, overlapping), ...carve(high, overlapping)];
}

function overlaps(a: Block, b: Block): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return (a.base >> BigInt(bits(a.family) - prefix)) === (b.base >> BigInt(bits(b.family) - prefix));
}

function dedupe(blocks: Block[]): Block[] {
  const sorted = [...blocks].sort((a, b) => a.family - b.family || (a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefix - b.prefix));
  return sorted.filter((b, i) => !sorted.slice(0, i).some((o) => o.family === b.family && o.prefix <= b.prefix && overlaps(o, b)));
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function toBlock(cidr: Cidr): Block {
  const value = cidr.family === 4 ? ipv4ToBigInt(cidr.address) : ipv6ToBigInt(cidr.address);
  const hostBits = BigInt(bits(cidr.family) - cidr.prefix);
  return { family: cidr.family, base: (value >> hostBits) << hostBits, prefix: cidr.prefix };
}

function formatBlock(block: Block): string {
  const text = block.family === 4 ? bigIntToIPv4(block.base) : bigIntToIPv6(block.base);
  return `${text}/${block.prefix}`;
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

function ipv6ToBigInt(text: string): bigint {
  let groups: string[];
  const [head = '', tail] = text.split('::');
  const expand = (part: string): string[] => {
    if (part === '') return [];
    const pieces = part.split(':');
    const last = pieces.at(-1) ?? '';
    if (last.includes('.')) {
      const v4 = Number(ipv4ToBigInt(last));
      pieces.splice(-1, 1, (v4 >>> 16).toString(16), (v4 & 0xffff).toString(16));
    }
    return pieces;
  };
  if (tail === undefined) groups = expand(head);
  else {
    const left = expand(head);
    const right = expand(tail);
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigIntToIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as canonical IPv6 text does.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}
