import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressBits } from '../simulator/address-bits';
import { parseFlowTextStrict } from '../simulator/flow-parser';
import { packetFields } from '../simulator/packet';
import { groupByTable, simulateFields } from '../simulator/simulate';
import { probePacket } from '../simulator/testing/lookup-cases';
import { HostReach, PROBE_SOURCE_PORT, type HopOutcome } from './host-reach';
import { toggles } from './port-classes';

// HostReach simulates one packet per class of port atoms (portAtomClasses). These tables make
// atoms share classes (single ports, blocks and an odd mask of one kind, in two tables) and
// make them fail to (hard port flows tied with flows of other actions, hidden hard flows), and
// every atom's answer is held to a packet simulated on the whole tables.

// Few ports, priorities and actions, so tables often hold flows of one kind on two ports with
// something between them that tells the ports apart when the kind is too coarse.
const PORT_MATCHES = [
  'tcp,tp_dst=1',
  'tcp,tp_dst=2',
  'tcp,tp_dst=3',
  'tcp,tp_dst=0x0/0xfffc',
  'tcp,tp_dst=0x100/0x0f00',
  'tcp,nw_dst=10.0.0.2,tp_dst=2',
  'udp,tp_dst=2',
];
const OTHER_MATCHES = ['', 'tcp', 'conj_id=1,tcp', 'conj_id=2'];
const ACTIONS = ['NORMAL', 'drop', 'resubmit(,1)', 'conjunction(1,1/2)', 'conjunction(1,2/2)', 'conjunction(2,1/2)', 'conjunction(2,2/2)'];

const flowArbitrary = fc.tuple(fc.constantFrom(0, 0, 0, 1), fc.constantFrom(10, 20, 30), fc.oneof(fc.constantFrom(...PORT_MATCHES), fc.constantFrom(...OTHER_MATCHES)), fc.constantFrom(...ACTIONS));

const tablesArbitrary = fc.array(flowArbitrary, { minLength: 2, maxLength: 24 }).map((flows) =>
  groupByTable(
    parseFlowTextStrict(
      flows
        // A resubmit only from table 0, so no path loops.
        .map(([table, priority, match, actions]) => `table=${table},priority=${priority}${match ? `,${match}` : ''} actions=${table === 1 && actions.startsWith('resubmit') ? 'NORMAL' : actions}`)
        .join('\n'),
    ),
  ),
);

describe('port atoms shared by class (property)', () => {
  it('gives every atom of ports the answer a packet to its first port gets from the whole tables', () => {
    let shared = 0;
    fc.assert(
      fc.property(tablesArbitrary, (tables) => {
        const reach = new HostReach(new Map([['h', tables]]));
        const src = addressBits('10.0.0.1')!;
        const dst = addressBits('10.0.0.2')!;
        const { tcp } = reach.runs('h', src, dst, ['tcp']);
        const cuts = new Set([0, 65536]);
        for (const flows of tables.values()) for (const { match } of flows) if (match.tpDst) for (const t of toggles(match.tpDst.value, match.tpDst.mask)) cuts.add(t);
        const starts = [...cuts].sort((a, b) => a - b).slice(0, -1);
        if (reach.simulations < starts.length) shared++;
        for (const port of starts) {
          const segment = tcp!.find((s) => s.from <= port && port <= s.to);
          expect(segment, `port ${port}`).toBeDefined();
          const fields = packetFields(probePacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: PROBE_SOURCE_PORT, dstPort: port }));
          expect(segment!.outcome, `port ${port}`).toEqual(outcomeOf(simulateFields(tables, fields, 'new', { explain: false })));
        }
      }),
      { numRuns: 1500 },
    );
    // Most random tables let atoms share; the check above would hold trivially if none did.
    expect(shared).toBeGreaterThan(300);
  });
});

describe('port atoms shared by class: what tells two kinds apart', () => {
  // Each table holds two port flows that differ in one thing besides their port; port 1 and
  // port 2 must still get different answers.
  const cases: [string, string[]][] = [
    ['priority', ['priority=10,tcp,tp_dst=1 actions=NORMAL', 'priority=30,tcp,tp_dst=2 actions=NORMAL', 'priority=20,tcp actions=drop']],
    ['table', ['table=0,priority=10,tcp,tp_dst=1 actions=NORMAL', 'table=0,priority=5 actions=drop', 'table=1,priority=10,tcp,tp_dst=2 actions=NORMAL']],
    [
      'the clause supplied',
      ['priority=20,tcp,tp_dst=1 actions=conjunction(1,1/2)', 'priority=20,tcp,tp_dst=2 actions=conjunction(1,2/2)', 'priority=20,tcp actions=conjunction(1,1/2)', 'priority=20,conj_id=1,tcp actions=NORMAL', 'priority=10 actions=drop'],
    ],
    [
      // Port 1's NORMAL flow has its clause flow's match, so the lookup after the conjunction skips it; port 2's has a wider mask.
      'the port mask',
      [
        'priority=20,tcp,tp_dst=1 actions=conjunction(1,1/2)',
        'priority=20,tcp,tp_dst=2 actions=conjunction(1,1/2)',
        'priority=20 actions=conjunction(1,2/2)',
        'priority=10,tcp,tp_dst=1 actions=NORMAL',
        'priority=10,tcp,tp_dst=0x2/0xfffe actions=NORMAL',
        'priority=5,tcp actions=drop',
      ],
    ],
    ['the rest of the match', ['priority=10,tcp,tp_dst=1 actions=NORMAL', 'priority=10,tcp,tp_src=7,tp_dst=2 actions=NORMAL', 'priority=5 actions=drop']],
    ['text order between hard flows of one priority', ['priority=10,tcp,tp_dst=1 actions=NORMAL', 'priority=10,tcp actions=drop', 'priority=10,tcp,tp_dst=2 actions=NORMAL']],
  ];

  it.each(cases)('%s', (_, lines) => {
    const tables = groupByTable(parseFlowTextStrict(lines.join('\n')));
    const { tcp } = new HostReach(new Map([['h', tables]])).runs('h', addressBits('10.0.0.1')!, addressBits('10.0.0.2')!, ['tcp']);
    const at = (port: number): HopOutcome | undefined => tcp!.find((s) => s.from <= port && port <= s.to)?.outcome;
    for (const port of [1, 2]) {
      const fields = packetFields(probePacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: PROBE_SOURCE_PORT, dstPort: port }));
      expect(at(port), `port ${port}`).toEqual(outcomeOf(simulateFields(tables, fields, 'new', { explain: false })));
    }
    expect(at(1)).not.toEqual(at(2));
  });
});

describe('toggles', () => {
  it('lists where a masked port match starts and stops holding, as a walk over every port finds', () => {
    for (const [value, mask] of [
      [80, 0xffff],
      [0x50, 0xfff0],
      [0, 0],
      [0x100, 0x0f00],
      [1, 1],
    ] as const) {
      const walked: number[] = [];
      for (let port = 0, inside = false; port <= 65536; port++) {
        const now = port <= 65535 && (port & mask) === value;
        if (now !== inside) walked.push(port);
        inside = now;
      }
      expect(toggles(value, mask)).toEqual(walked);
    }
  });
});

function outcomeOf(result: ReturnType<typeof simulateFields>): HopOutcome {
  return result.verdict === 'redirected' && result.redirectedTo !== undefined ? { kind: 'redirected', to: result.redirectedTo }
    : result.verdict === 'dropped' ? { kind: 'dropped' }
    : { kind: 'forwarded' };
}
