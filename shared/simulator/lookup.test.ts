import { describe, expect, it } from 'vitest';
import { parseFlowTextStrict } from './flow-parser';
import { lookupTable } from './lookup';
import { packetFields, type Packet } from './packet';

/** The line number of the flow a packet selects in a one-table text, or null on a miss. */
function selected(lines: string[], packet: Partial<Packet> = {}): number | null {
  const flows = parseFlowTextStrict(lines.join('\n'));
  const fields = packetFields({ ethType: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', protocol: 'tcp', dstPort: 80, ...packet });
  return lookupTable(flows, fields).flow?.line ?? null;
}

const SRC = 'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2)';
const DST = 'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2)';
const CONJ = 'priority=100,conj_id=1 actions=NORMAL';

describe('lookupTable: plain flows', () => {
  it('takes the highest-priority match and reports ties', () => {
    expect(selected(['priority=1 actions=drop', 'priority=50,tcp actions=NORMAL', 'priority=60,udp actions=NORMAL'])).toBe(2);
    const flows = parseFlowTextStrict(['priority=5,ip actions=drop', 'priority=5,tcp actions=NORMAL'].join('\n'));
    const result = lookupTable(flows, packetFields({ ethType: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', protocol: 'tcp' }));
    expect(result.flow?.line).toBe(1);
    expect(result.ties.map((f) => f.line)).toEqual([2]);
  });

  it('matches masked ports, prefixes and IPv6 as OVS does', () => {
    const table = ['priority=10,tcp,tp_dst=0x50/0xfff0 actions=NORMAL', 'priority=5,ip,nw_dst=2.2.0.0/16 actions=NORMAL', 'priority=5,ipv6,ipv6_dst=fd00::/64 actions=NORMAL'];
    expect(selected(table, { dstPort: 95 })).toBe(1);
    expect(selected(table, { dstPort: 96 })).toBe(2);
    expect(selected(table, { dst: '2.3.0.1', dstPort: 200 })).toBeNull();
    expect(selected(table, { ethType: 'ipv6', src: 'fd00::1', dst: 'fd00::0:2' })).toBe(3);
  });
});

describe('lookupTable: conjunctive matches (ovs-fields(7), classifier semantics)', () => {
  it('completes a conjunction when every clause matches, then finds the conj_id flow', () => {
    const flows = parseFlowTextStrict([SRC, DST, CONJ, 'priority=1 actions=drop'].join('\n'));
    const result = lookupTable(flows, packetFields({ ethType: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', protocol: 'tcp' }));
    expect(result.flow?.line).toBe(3);
    expect(result.conjunction).toMatchObject({ id: 1, priority: 100, alsoCompleted: [] });
    expect(result.conjunction!.clauses.map((c) => c.map((f) => f.line))).toEqual([[1], [2]]);
  });

  it('falls back to the best plain flow when a clause is missing', () => {
    expect(selected([SRC, DST, CONJ, 'priority=1 actions=drop'], { dst: '2.2.2.3' })).toBe(4);
    const flows = parseFlowTextStrict([SRC, DST, CONJ, 'priority=1 actions=drop'].join('\n'));
    const result = lookupTable(flows, packetFields({ ethType: 'ipv4', src: '1.1.1.1', dst: '2.2.2.3', protocol: 'tcp' }));
    expect(result.incomplete).toEqual([{ id: 1, priority: 100, clauses: 2, matched: [1] }]);
  });

  it('needs every clause at the same priority', () => {
    expect(selected([SRC, 'priority=90,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2)', CONJ, 'priority=1 actions=drop'])).toBe(4);
  });

  it('ignores clause flows whose priority is not above the best plain match', () => {
    expect(selected([SRC, DST, CONJ, 'priority=100,tcp actions=drop'])).toBe(4);
    expect(selected([SRC, DST, CONJ, 'priority=200,tcp actions=drop'])).toBe(4);
    expect(selected([SRC, DST, CONJ, 'priority=99,tcp actions=drop'])).toBe(3);
  });

  it('tries lower priority levels when a higher one completes nothing', () => {
    const lines = [
      'priority=200,ip,nw_src=1.1.1.1 actions=conjunction(9,1/2)',
      'priority=200,ip,nw_dst=9.9.9.9 actions=conjunction(9,2/2)',
      'priority=200,conj_id=9 actions=drop',
      'priority=50,ip,nw_src=1.1.1.1 actions=conjunction(5,1/2)',
      'priority=50,tcp actions=conjunction(5,2/2)',
      'priority=50,conj_id=5 actions=NORMAL',
      'priority=10 actions=drop',
    ];
    expect(selected(lines)).toBe(6);
    expect(selected(lines, { protocol: 'udp' })).toBe(7);
  });

  it('supports a flow carrying clauses of several conjunctions', () => {
    const lines = [
      'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2),conjunction(2,1/3)',
      'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(2,2/3)',
      'priority=100,tcp,tp_dst=80 actions=conjunction(2,3/3)',
      'priority=100,conj_id=1 actions=drop',
      'priority=100,conj_id=2 actions=NORMAL',
      'priority=1 actions=drop',
    ];
    expect(selected(lines)).toBe(5);
    expect(selected(lines, { dstPort: 81 })).toBe(6);
  });

  it('acts as if the conjunction had not matched when the conj_id search finds nothing', () => {
    expect(selected([SRC, DST, 'priority=5,tcp actions=NORMAL'])).toBe(3);
  });

  it('hides, in the conj_id search, a plain flow whose match equals a clause flow (checked on OVS 3.1)', () => {
    // OVS keeps identical matches in one list; the search after a conjunction skips a list
    // whose first flow is conjunctive, so line 3 is not seen and the catch-all wins.
    expect(selected([SRC, DST, 'priority=5,ip,nw_src=1.1.1.1 actions=NORMAL', 'priority=1 actions=drop'])).toBe(4);
    // Without the catch-all the search finds nothing and the ordinary lookup goes on.
    expect(selected([SRC, DST, 'priority=5,ip,nw_src=1.1.1.1 actions=NORMAL'])).toBe(3);
  });

  it('does not let a completed conjunction of one id use clauses of another', () => {
    expect(selected([SRC, 'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(2,2/2)', CONJ, 'priority=100,conj_id=2 actions=NORMAL', 'priority=1 actions=drop'])).toBe(5);
  });

  it('names every conjunction that completed when several do (OVS may pick any)', () => {
    const flows = parseFlowTextStrict(
      [
        'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2),conjunction(3,1/2)',
        'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2),conjunction(3,2/2)',
        'priority=100,conj_id=3 actions=NORMAL',
        'priority=100,conj_id=1 actions=NORMAL',
      ].join('\n'),
    );
    const result = lookupTable(flows, packetFields({ ethType: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', protocol: 'tcp' }));
    expect(result.conjunction).toMatchObject({ id: 1, alsoCompleted: [3] });
    expect(result.flow?.line).toBe(4);
  });
});
