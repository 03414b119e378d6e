import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intern } from '../arrays';
import { addressBits } from '../simulator/address-bits';
import type { HostSignatures } from './hard-signatures';
import type { AnswerEnd } from './pair-answers';
import { PlainRows, type PlainPairs } from './plain-rows';

const HOSTS = ['h0', 'h1', 'h2'];

/** An estate as PlainRows sees it: ends on hosts (or none), and per host the signatures hard flows give some of them. */
interface Estate {
  ends: AnswerEnd[];
  signatures: Map<string, HostSignatures>;
  /** Segments (by their key) whose runs are redirected. */
  redirectedKeys: Set<string>;
}

const estateArbitrary: fc.Arbitrary<Estate> = fc
  .record({
    ends: fc.array(fc.record({ host: fc.option(fc.integer({ min: 0, max: HOSTS.length - 1 }), { nil: undefined }), v6: fc.boolean() }), { minLength: 2, maxLength: 12 }),
    bases: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: HOSTS.length, maxLength: HOSTS.length }),
    named: fc.array(fc.record({ host: fc.integer({ min: 0, max: HOSTS.length - 1 }), end: fc.nat(), source: fc.boolean(), signature: fc.integer({ min: 1, max: 3 }) }), { maxLength: 10 }),
    redirected: fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.constantFrom(4, 6), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { maxLength: 4 }),
  })
  .map(({ ends, bases, named, redirected }) => {
    const byRole = HOSTS.map(() => ({ source: new Map<number, number>(), destination: new Map<number, number>() }));
    for (const n of named) byRole[n.host]![n.source ? 'source' : 'destination'].set(n.end % ends.length, n.signature);
    const signatures = new Map(HOSTS.map((host, h): [string, HostSignatures] => [host, { base: bases[h]!, ...byRole[h]! }]));
    return {
      ends: ends.map((e, i) => ({ address: addressBits(e.v6 ? `fd00::${i + 1}` : `10.0.0.${i + 1}`)!, ...(e.host === undefined ? {} : { host: HOSTS[e.host]! }) })),
      signatures,
      redirectedKeys: new Set(redirected.map((key) => key.join(','))),
    };
  });

/**
 * PairAnswers' contract as PlainRows relies on it, pair by pair: a plain segment follows from
 * the host's base, the family and the two signatures there; a plain reach from its two
 * segments, unless one is redirected, when it may depend on the pair itself.
 */
class ContractPairs implements PlainPairs {
  readonly hard: PlainPairs['hard'];
  private readonly segments = new Map<string, number>();
  private readonly segmentKeys: string[] = [];
  private readonly reaches = new Map<string, number>();

  constructor(
    readonly ends: readonly AnswerEnd[],
    private readonly estate: Estate,
  ) {
    this.hard = { onHost: (host) => estate.signatures.get(host)! };
  }

  plainSegment(host: string, a: number, b: number): number {
    const signed = this.estate.signatures.get(host)!;
    const key = `${signed.base},${this.ends[a]!.address.family},${signed.source.get(a) ?? 0},${signed.destination.get(b) ?? 0}`;
    const id = intern(this.segments, key);
    this.segmentKeys[id] = key;
    return id;
  }

  redirected(segment: number): boolean {
    return this.estate.redirectedKeys.has(this.segmentKeys[segment]!);
  }

  plainReach(a: number, b: number): number {
    const first = this.ends[a]!.host ?? this.ends[b]!.host;
    if (first === undefined) return -1;
    const there = this.ends[b]!.host;
    const s1 = this.plainSegment(first, a, b);
    const s2 = there !== undefined && there !== first ? this.plainSegment(there, a, b) : -1;
    const redirect = this.redirected(s1) || (s2 >= 0 && this.redirected(s2));
    return intern(this.reaches, redirect ? `pair ${a} ${b}` : `${s1} ${s2}`);
  }
}

describe('PlainRows', () => {
  it('gives every pair of a row the reach PairAnswers gives it pair by pair (property)', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.nat(), (estate, pick) => {
        const pairs = new ContractPairs(estate.ends, estate);
        // Columns of any order, some endpoints left out, as class representatives are.
        const columns = Int32Array.from(estate.ends.keys()).filter((i) => (i + pick) % 5 !== 0).reverse();
        const rows = new PlainRows(pairs, columns, () => new Int32Array(0));
        const out = new Int32Array(columns.length);
        for (const a of columns) {
          rows.row(a, out);
          columns.forEach((b, j) => {
            if (b === a) return;
            const expected = estate.ends[a]!.address.family !== estate.ends[b]!.address.family ? -1 : pairs.plainReach(a, b);
            expect(out[j], `${a} -> ${b}`).toBe(expected);
          });
        }
      }),
      { numRuns: 500 },
    );
  });
});
