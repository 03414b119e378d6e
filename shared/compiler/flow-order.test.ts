import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFlows, type Flow } from './flow';
import { FlowList, sortFlowTables } from './flow-order';
import { MatchIds } from './match-ids';

const flow: fc.Arbitrary<Flow> = fc.record({
  table: fc.constantFrom(0, 10, 20, 30, 40),
  priority: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1000, 1001)),
  cookie: fc.constantFrom('0x1', '0x2'),
  match: fc.oneof(fc.constantFrom('', 'ip', 'ip,nw_src=10.0.0.1', 'ip,nw_src=10.0.0.10', 'conj_id=2', 'conj_id=10'), fc.string()),
  actions: fc.constant<string[]>(['drop']),
});

/** Sorts copies of the tables as a compile does: flows numbered by match as they come, ranked once. */
function sorted(tables: readonly Flow[][]): Flow[][] {
  const ids = new MatchIds();
  const lists = tables.map((flows) => {
    const list = new FlowList(ids);
    for (const f of flows) list.push(f);
    return list;
  });
  return sortFlowTables(lists, ids.ranks());
}

describe('sortFlowTables', () => {
  it('gives every table the order of a stable sort by compareFlows, flows of one identity in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(flow, { maxLength: 60 }), { maxLength: 5 }), (tables: Flow[][]) => {
        const expected = tables.map((flows) => [...flows].sort(compareFlows));
        sorted(tables).forEach((flows, t) => flows.forEach((f, i) => expect(f).toBe(expected[t]![i])));
      }),
      { numRuns: 500 },
    );
  });

  it('falls back to comparing flows for a table or priority that OpenFlow cannot hold', () => {
    const flows: Flow[] = [2.5, 1, 3].map((priority) => ({ table: 0, priority, cookie: '0x1', match: 'ip', actions: [] }));
    expect(sorted([flows])[0]!.map((f) => f.priority)).toEqual([3, 2.5, 1]);
  });
});
