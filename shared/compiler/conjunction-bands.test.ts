import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conjunctionAction, conjunctionCode } from './conjunction-bands';

describe('conjunction action codes', () => {
  it('reads back the code of every action it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 }), (rule, clause, arity) => {
        expect(conjunctionCode(conjunctionAction(rule * 4 + clause, arity))).toBe(rule * 4 + clause);
      }),
    );
  });

  it('reads the action text as ovs-ofctl prints it', () => {
    expect(conjunctionCode('conjunction(1207,2/3)')).toBe(1207 * 4 + 2);
  });
});
