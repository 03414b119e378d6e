import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4Mapped, ipv4MappedBlock, subtractCidrs } from './cidr-set';

function ipv4(text: string): number {
  return text.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

function contains(blocks: string[], address: string): boolean {
  return blocks.some((b) => {
    const [base = '', prefix = '32'] = b.split('/');
    const size = 2 ** (32 - Number(prefix));
    return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
  });
}

describe('subtractCidrs', () => {
  it('carves the private ranges out of the internet exactly', () => {
    const internet = subtractCidrs(['0.0.0.0/0'], ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
    for (const inside of ['8.8.8.8', '9.255.255.255', '11.0.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '192.169.0.0']) {
      expect(contains(internet, inside), inside).toBe(true);
    }
    for (const outside of ['10.0.0.0', '10.255.255.255', '172.16.0.0', '172.31.255.255', '192.168.0.0', '192.168.255.255']) {
      expect(contains(internet, outside), outside).toBe(false);
    }
    expect(internet.length).toBeLessThanOrEqual(32);
  });

  it('leaves a block alone when nothing overlaps and drops it when wholly excluded', () => {
    expect(subtractCidrs(['203.0.113.0/24'], ['10.0.0.0/8'])).toEqual(['203.0.113.0/24']);
    expect(subtractCidrs(['10.1.0.0/16'], ['10.0.0.0/8'])).toEqual([]);
  });

  it('works for IPv6', () => {
    expect(subtractCidrs(['2001:db8::/32'], ['2001:db8:8000::/33'])).toEqual(['2001:db8::/33']);
    expect(subtractCidrs(['::/0'], ['fc00::/7'])).toHaveLength(7);
  });
});

describe('ipv4Mapped', () => {
  it('reads the IPv4 address an IPv4-mapped IPv6 address stands for, in either spelling', () => {
    expect(ipv4Mapped('::ffff:10.20.3.31')).toBe('10.20.3.31');
    expect(ipv4Mapped('::FFFF:a14:31f')).toBe('10.20.3.31');
    expect(ipv4Mapped('0:0:0:0:0:ffff:0a14:031f')).toBe('10.20.3.31');
  });

  it('leaves every other address alone', () => {
    for (const text of ['10.20.3.31', 'fd00::1', '::1', '::', '::fffe:a14:31f', '1::ffff:a14:31f', '::ffff:0:a14:31f', '::ffff:10.20.3.31/120', 'not an address']) expect(ipv4Mapped(text), text).toBeNull();
  });
});

/** An IPv6 block as the tests spell it: eight groups, a prefix (none: an address), and how the groups are written. */
interface SpelledIPv6 {
  groups: number[];
  prefix: number | undefined;
  spelling: 'full' | 'compressed' | 'dotted';
  upper: boolean;
}

function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function spell({ groups, prefix, spelling, upper }: SpelledIPv6): string {
  const hex = groups.map((g) => g.toString(16));
  const tail = spelling === 'dotted' ? [...hex.slice(0, 6), dotted(groups[6]! * 0x10000 + groups[7]!)] : hex;
  const leadingZeros = groups.findIndex((g) => g !== 0);
  const text = spelling !== 'full' && leadingZeros >= 2 ? `::${tail.slice(leadingZeros).join(':')}` : tail.join(':');
  const cased = upper ? text.toUpperCase() : text;
  return prefix === undefined ? cased : `${cased}/${prefix}`;
}

/** What an IPv4-mapped block stands for, worked out from its groups: the IPv4 block's text, or null when it is none. */
function mappedBlockOf({ groups, prefix = 128 }: SpelledIPv6): string | null {
  if (prefix < 96 || groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff) return null;
  const bits = prefix - 96;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return `${dotted(((groups[6]! * 0x10000 + groups[7]!) & mask) >>> 0)}/${bits}`;
}

const group = fc.integer({ min: 0, max: 0xffff });
/** Mostly IPv4-mapped groups, some a group away from it, some anything. */
const groupsArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(group, group).map(([a, b]) => [0, 0, 0, 0, 0, 0xffff, a, b]) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 5 }), group, group, group).map(([at, value, a, b]) => [0, 0, 0, 0, 0, 0xffff, a, b].map((g, i) => (i === at ? value : g))) },
  { weight: 1, arbitrary: fc.array(group, { minLength: 8, maxLength: 8 }) },
);
const spelledArbitrary: fc.Arbitrary<SpelledIPv6> = fc.record({
  groups: groupsArbitrary,
  prefix: fc.oneof(fc.constant(undefined), fc.integer({ min: 90, max: 128 }), fc.integer({ min: 0, max: 128 })),
  spelling: fc.constantFrom('full', 'compressed', 'dotted'),
  upper: fc.boolean(),
});

describe('ipv4Mapped and ipv4MappedBlock', () => {
  it('read the IPv4 block, and of an address the IPv4 address, that any spelling of an IPv4-mapped IPv6 block stands for', () => {
    fc.assert(
      fc.property(spelledArbitrary, (spelled) => {
        const text = spell(spelled);
        const block = mappedBlockOf(spelled);
        expect(ipv4MappedBlock(text), text).toBe(block);
        const isAddress = spelled.prefix === undefined || spelled.prefix === 128;
        expect(ipv4Mapped(text), text).toBe(isAddress && block !== null ? block.slice(0, -'/32'.length) : null);
      }),
      { numRuns: 2000 },
    );
  });

  it('leave IPv4 and what is no address alone', () => {
    const ipv4Text = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.option(fc.integer({ min: 0, max: 32 }))).map(([v, p]) => (p === null ? dotted(v) : `${dotted(v)}/${p}`));
    fc.assert(
      fc.property(fc.oneof(ipv4Text, fc.string()), (text) => {
        expect(ipv4Mapped(text), text).toBeNull();
        expect(ipv4MappedBlock(text), text).toBeNull();
      }),
    );
  });
});
