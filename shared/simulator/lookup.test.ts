import { describe, expect, it } from 'vitest';
import { parseFlowTextStrict } from './flow-parser';
import { lookupTable, type TableLookup } from './lookup';
import { packetFields, type Packet } from './packet';
import { LOOKUP_CASES, probePacket } from './testing/lookup-cases';

/** Looks a probe packet up in a one-table text. */
function lookup(lines: readonly string[], change: Partial<Packet> = {}): TableLookup {
  return lookupTable(parseFlowTextStrict(lines.join('\n')), packetFields(probePacket(change)));
}

const SRC = 'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2)';
const DST = 'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2)';

describe('lookupTable (ovs-fields(7) conjunctive matches; the same cases run on OVS in ovs-differential)', () => {
  it.each(LOOKUP_CASES)('$name', ({ lines, probes }) => {
    for (const probe of probes)
      expect({ probe, line: lookup(lines, probe.packet).flow?.line ?? null }).toEqual({ probe, line: probe.line });
  });
});

describe('lookupTable: what the trace is told', () => {
  it('names the conjunction and the flows of each clause', () => {
    const result = lookup([SRC, DST, 'priority=100,conj_id=1 actions=NORMAL']);
    expect(result.conjunction).toMatchObject({ id: 1, priority: 100, alsoCompleted: [] });
    expect(result.conjunction!.clauses.map((c) => c.map((f) => f.line))).toEqual([[1], [2]]);
  });

  it('lists the conjunctions that missed a clause', () => {
    const result = lookup([SRC, DST, 'priority=100,conj_id=1 actions=NORMAL', 'priority=1 actions=drop'], {
      dst: '2.2.2.3',
    });
    expect(result.incomplete).toEqual([{ id: 1, priority: 100, clauses: 2, matched: [1] }]);
  });

  it('reports flows of equal priority that matched too (OVS picks one arbitrarily)', () => {
    const result = lookup(['priority=5,ip actions=drop', 'priority=5,tcp actions=NORMAL']);
    expect(result.flow?.line).toBe(1);
    expect(result.ties.map((f) => f.line)).toEqual([2]);
  });

  it('names every conjunction that completed when several do (OVS may pick any)', () => {
    const result = lookup([
      'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2),conjunction(3,1/2)',
      'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2),conjunction(3,2/2)',
      'priority=100,conj_id=3 actions=NORMAL',
      'priority=100,conj_id=1 actions=NORMAL',
    ]);
    expect(result.conjunction).toMatchObject({ id: 1, alsoCompleted: [3] });
    expect(result.flow?.line).toBe(4);
  });
});
