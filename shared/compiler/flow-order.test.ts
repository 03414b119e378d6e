import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFlows, type Flow } from './flow';
import { sortFlowTables } from './flow-order';

const flow: fc.Arbitrary<Flow> = fc.record({
  table: fc.constantFrom(0, 10, 20, 30, 40),
  priority: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1000, 1001)),
  cookie: fc.constantFrom('0x1', '0x2'),
  match: fc.oneof(fc.constantFrom('', 'ip', 'ip,nw_src=10.0.0.1', 'ip,nw_src=10.0.0.10', 'conj_id=2', 'conj_id=10'), fc.string()),
  actions: fc.constant<string[]>(['drop']),
});

describe('sortFlowTables', () => {
  it('gives every table the order of a stable sort by compareFlows, flows of one identity in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(flow, { maxLength: 60 }), { maxLength: 5 }), (tables: Flow[][]) => {
        const expected = tables.map((flows) => [...flows].sort(compareFlows));
        const sorted = tables.map((flows) => [...flows]);
        sortFlowTables(sorted);
        sorted.forEach((flows, t) => flows.forEach((f, i) => expect(f).toBe(expected[t]![i])));
      }),
      { numRuns: 500 },
    );
  });

  it('falls back to comparing flows when a key would not be an exact integer', () => {
    const flows: Flow[] = [2.5, 1, 3].map((priority) => ({ table: 0, priority, cookie: '0x1', match: 'ip', actions: [] }));
    sortFlowTables([flows]);
    expect(flows.map((f) => f.priority)).toEqual([3, 2.5, 1]);
  });
});
