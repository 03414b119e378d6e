import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactAddresses, type ExactAddress } from './verdict-exact-addresses';

const v4 = (n: number): ExactAddress => ({ family: 4, v4: n, value: BigInt(n) });
const v6 = (n: bigint): ExactAddress => ({ family: 6, v4: 0, value: n });

describe('ExactAddresses', () => {
  it('answers what a Map of the same entries answers, for addresses in it and not (neighbours, high bit, IPv6)', () => {
    // Addresses of one subnet, of the top half of the IPv4 space, and IPv6 values that equal IPv4 numbers.
    const number = fc.oneof(fc.nat(300), fc.integer({ min: 0xffffff00, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(fc.tuple(number, fc.boolean(), fc.nat(1000)), { maxLength: 200 }), fc.array(fc.tuple(number, fc.boolean())), (entries, probes) => {
        const expected = new Map<string, number>();
        const distinct: [ExactAddress, number][] = [];
        for (const [n, six, value] of entries) {
          const key = `${six ? 6 : 4}/${n}`;
          if (expected.has(key)) continue;
          expected.set(key, value);
          distinct.push([six ? v6(BigInt(n)) : v4(n), value]);
        }
        const map = new ExactAddresses(distinct);
        for (const [n, six] of [...entries.map(([n, six]) => [n, six] as const), ...probes])
          expect(map.get(six ? v6(BigInt(n)) : v4(n))).toBe(expected.get(`${six ? 6 : 4}/${n}`) ?? -1);
      }),
      { numRuns: 300 },
    );
  });
});
