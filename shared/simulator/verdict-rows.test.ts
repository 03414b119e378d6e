import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerRows, RowBudget } from './verdict-rows';

describe('AnswerRows', () => {
  it('gives back every answer it keeps while rows grow and services widen, and starts over (never answers wrongly) past its budget', () => {
    const cell = fc.tuple(fc.nat(5), fc.nat(20), fc.nat(300), fc.constantFrom(0, 1, 2, 7, 40_000));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 300 }), fc.constantFrom(1 << 12, 1 << 30), (cells, limit) => {
        const budget = new RowBudget(limit);
        const rows = new AnswerRows(budget);
        const expected = new Map<string, number>();
        for (const [source, service, destination, answer] of cells) {
          const key = `${source}/${service}/${destination}`;
          const known = rows.get(source, service, destination);
          if (known >= 0) continue;
          rows.set(source, service, destination, answer);
          expected.set(key, answer);
        }
        let kept = 0;
        for (const [key, answer] of expected) {
          const [source, service, destination] = key.split('/').map(Number) as [number, number, number];
          const known = rows.get(source, service, destination);
          if (known >= 0) kept++;
          expect([-1, answer]).toContain(known);
        }
        if (limit > budget.used) expect(kept).toBe(expected.size);
        expect(budget.used).toBeLessThanOrEqual(Math.max(limit, 1 << 16) * 2);
      }),
      { numRuns: 200 },
    );
  });
});
