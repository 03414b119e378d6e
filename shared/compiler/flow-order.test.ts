import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFlows, type Flow } from './flow';
import { CompactHostTable } from './compact-table';
import { FlowList, FlowSorter } from './flow-order';
import { FlowTexts } from './flow-texts';
import { MatchIds } from './match-ids';

const flow: fc.Arbitrary<Flow> = fc.record({
  table: fc.constantFrom(0, 10, 20, 30, 40),
  priority: fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1000, 1001)),
  cookie: fc.constantFrom('0x1', '0x2'),
  match: fc.oneof(fc.constantFrom('', 'ip', 'ip,nw_src=10.0.0.1', 'ip,nw_src=10.0.0.10', 'conj_id=2', 'conj_id=10'), fc.string()),
  actions: fc.constant<string[]>(['drop']),
});

/** Sorts copies of the tables as a compile does: flows numbered by match as they come, ranked once. */
function sorted(tables: readonly Flow[][]): (readonly Flow[])[] {
  // One list and one sorter for all tables, as a compile uses them.
  const texts = new FlowTexts(new MatchIds());
  const list = new FlowList(texts);
  const sorter = new FlowSorter();
  return tables.map((flows) => {
    list.clear();
    for (const f of flows) list.push(f);
    return new CompactHostTable('h', 0, sorter.sorted(list, texts.matches.ranks()), texts).flows;
  });
}

describe('FlowSorter', () => {
  it('gives every table the order of a stable sort by compareFlows, flows of one identity in input order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(flow, { maxLength: 60 }), { maxLength: 5 }), (tables: Flow[][]) => {
        const expected = tables.map((flows) => [...flows].sort(compareFlows));
        sorted(tables).forEach((flows, t) => expect(flows).toEqual(expected[t]));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a table or priority that OpenFlow cannot hold', () => {
    for (const [table, priority] of [[0, 2.5], [0, 65536], [256, 1], [-1, 1]] as const) {
      expect(() => sorted([[{ table, priority, cookie: '0x1', match: 'ip', actions: [] }]])).toThrow(/cannot exist in OpenFlow/);
    }
  });
});
