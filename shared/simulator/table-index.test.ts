import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlowTextStrict } from './flow-parser';
import { lookupTable } from './lookup';
import { matchesPacket, packetFields, type Packet } from './packet';
import { candidateFlows } from './table-index';
import { probePacket } from './testing/lookup-cases';

// candidateFlows files a table of 64 flows or more by address and by port; the smaller random
// tables of the other property tests never reach it. These tables are big enough, and mix every
// kind of flow it files: exact addresses, prefixes, exact and masked ports, both, and neither.

const MATCHES = [
  '',
  'ip',
  'tcp',
  'udp',
  'icmp',
  'ip,nw_src=10.0.0.1',
  'ip,nw_dst=10.0.0.2',
  'ip,nw_dst=10.0.0.0/24',
  'ip,nw_src=10.0.0.0/8',
  'tcp,nw_src=10.0.0.1,tp_dst=80',
  'tcp,nw_dst=10.0.0.3,tp_dst=443',
  'ipv6,ipv6_dst=fd00::2',
  'tcp,tp_dst=80',
  'tcp,tp_dst=81',
  'udp,tp_dst=80',
  'sctp,tp_dst=443',
  'tcp,tp_dst=0x50/0xfff0',
  'tcp,tp_dst=0x40/0xffc0',
  'tcp,tp_dst=0x1bb/0xffff',
  'tcp,tp_dst=0x1000/0xf000',
  'tcp6,tp_dst=80',
  'conj_id=1,tcp',
];
const ACTIONS = ['NORMAL', 'drop', 'conjunction(1,1/2)', 'conjunction(1,2/2)', 'conjunction(2,1/2),conjunction(1,2/2)', 'conjunction(2,2/2)'];

const tableArbitrary = fc
  .array(fc.tuple(fc.constantFrom(1, 5, 10, 20), fc.constantFrom(...MATCHES), fc.constantFrom(...ACTIONS)), { minLength: 64, maxLength: 160 })
  .map((flows) => parseFlowTextStrict(flows.map(([priority, match, actions]) => `priority=${priority}${match ? `,${match}` : ''} actions=${actions}`).join('\n')));

const packetArbitrary: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({
    src: fc.constantFrom('10.0.0.1', '10.0.0.9', '1.1.1.1'),
    dst: fc.constantFrom('10.0.0.2', '10.0.0.3', '2.2.2.2'),
    protocol: fc.constantFrom<'tcp' | 'udp' | 'sctp'>('tcp', 'tcp', 'udp', 'sctp'),
    dstPort: fc.constantFrom(80, 81, 95, 96, 443, 4096, 8080),
  }).map((p) => probePacket(p)),
  fc.record({ src: fc.constant('fd00::1'), dst: fc.constantFrom('fd00::2', 'fd00::3'), dstPort: fc.constantFrom(80, 443) }).map((p) => probePacket({ ...p, ethType: 'ipv6' })),
  fc.constantFrom<Packet>(probePacket({ protocol: 'icmp', icmpType: 8, src: '10.0.0.1', dst: '10.0.0.2' }), probePacket({ ethType: 'arp', src: '10.0.0.1', dst: '10.0.0.2' })),
);

describe('candidateFlows (property)', () => {
  it('keeps every flow that matches, in text order, so a lookup over them answers as over the whole table', () => {
    fc.assert(
      fc.property(tableArbitrary, fc.array(packetArbitrary, { minLength: 1, maxLength: 12 }), (flows, packets) => {
        for (const packet of packets) {
          for (const conjId of [0, 1]) {
            const fields = { ...packetFields(packet), conjId };
            const candidates = candidateFlows(flows, fields);
            const lines = candidates.map((f) => f.line);
            expect(lines).toEqual([...lines].sort((a, b) => a - b));
            expect(new Set(lines).size).toBe(lines.length);
            expect(candidates.map((f) => f.line)).toEqual(expect.arrayContaining(flows.filter((f) => matchesPacket(f.match, fields)).map((f) => f.line)));
            const whole = lookupTable(flows, fields);
            const indexed = lookupTable(candidates, fields);
            expect(indexed.flow?.line ?? null).toBe(whole.flow?.line ?? null);
            expect(indexed.ties.map((f) => f.line)).toEqual(whole.ties.map((f) => f.line));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out the flows of other ports', () => {
    const flows = parseFlowTextStrict(Array.from({ length: 100 }, (_, i) => `priority=10,tcp,tp_dst=${i + 1} actions=conjunction(1,2/2)`).join('\n'));
    expect(candidateFlows(flows, packetFields(probePacket({ dstPort: 7 }))).map((f) => f.text)).toEqual(['priority=10,tcp,tp_dst=7 actions=conjunction(1,2/2)']);
    expect(candidateFlows(flows, packetFields(probePacket({ protocol: 'icmp', icmpType: 8 })))).toEqual([]);
  });
});
