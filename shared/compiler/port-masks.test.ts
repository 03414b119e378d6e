import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPortMatch, portRangeMasks } from './port-masks';

function covered(from: number, to: number): number[] {
  const ports: number[] = [];
  const masks = portRangeMasks(from, to);
  for (let p = 0; p <= 0xffff; p++) if (masks.some((m) => (p & m.mask) === m.value)) ports.push(p);
  return ports;
}

describe('portRangeMasks', () => {
  it('covers 80-103 with two aligned blocks', () => {
    expect(portRangeMasks(80, 103).map(formatPortMatch)).toEqual(['0x50/0xfff0', '0x60/0xfff8']);
  });

  it('keeps a single port exact', () => {
    expect(portRangeMasks(8080, 8080).map(formatPortMatch)).toEqual(['8080']);
  });

  it('covers exactly 1000-1999: both ends in, one past each end out', () => {
    const ports = covered(1000, 1999);
    expect(ports[0]).toBe(1000);
    expect(ports.at(-1)).toBe(1999);
    expect(ports).toHaveLength(1000);
    expect(portRangeMasks(1000, 1999).length).toBeLessThanOrEqual(14);
  });

  it('covers any range exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 300 }), (from, span) => {
        const to = Math.min(65535, from + span);
        const masks = portRangeMasks(from, to);
        for (const p of [from - 1, from, to, to + 1]) {
          const inside = masks.some((m) => (p & m.mask) === m.value);
          expect(inside).toBe(p >= from && p <= to);
        }
      }),
      { numRuns: 300 },
    );
  });
});
