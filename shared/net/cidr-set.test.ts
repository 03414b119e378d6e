import { describe, expect, it } from 'vitest';
import { ipv4Mapped, subtractCidrs } from './cidr-set';

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
