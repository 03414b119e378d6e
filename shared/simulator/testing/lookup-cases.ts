// Test support only: one-table corner cases of OpenFlow lookup with the flow each packet must
// select. lookup.test.ts checks the simulator against `line`; electron/ovs-differential.test.ts
// checks the same tables and packets against Open vSwitch's ofproto/trace.
import type { Packet } from '../packet';

export interface LookupCase {
  name: string;
  /** Flow lines of table 0. */
  lines: string[];
  /** Each packet (a TCP packet 1.1.1.1 → 2.2.2.2:80 with these changes) and the line it selects; null for a miss. */
  probes: { packet: Partial<Packet>; line: number | null }[];
}

/** The packet a probe stands for. */
export function probePacket(change: Partial<Packet>): Packet {
  return { ethType: 'ipv4', src: '1.1.1.1', dst: '2.2.2.2', protocol: 'tcp', srcPort: 1, dstPort: 80, ...change };
}

const SRC = 'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2)';
const DST = 'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2)';
const CONJ = 'priority=100,conj_id=1 actions=NORMAL';

export const LOOKUP_CASES: LookupCase[] = [
  {
    name: 'the highest priority wins',
    lines: ['priority=1 actions=drop', 'priority=50,tcp actions=NORMAL', 'priority=60,udp actions=NORMAL'],
    probes: [
      { packet: {}, line: 2 },
      { packet: { protocol: 'udp' }, line: 3 },
      { packet: { protocol: 'icmp' }, line: 1 },
    ],
  },
  {
    name: 'masked ports, prefixes and IPv6 match as OVS compares them',
    lines: [
      'priority=10,tcp,tp_dst=0x50/0xfff0 actions=NORMAL',
      'priority=5,ip,nw_dst=2.2.0.0/16 actions=NORMAL',
      'priority=5,ipv6,ipv6_dst=fd00::/64 actions=NORMAL',
    ],
    probes: [
      { packet: { dstPort: 95 }, line: 1 },
      { packet: { dstPort: 96 }, line: 2 },
      { packet: { dst: '2.3.0.1', dstPort: 200 }, line: null },
      { packet: { ethType: 'ipv6', src: 'fd00::1', dst: 'fd00::0:2' }, line: 3 },
    ],
  },
  {
    name: 'a conjunction completes when every clause matches, then the conj_id flow is found',
    lines: [SRC, DST, CONJ, 'priority=1 actions=drop'],
    probes: [
      { packet: {}, line: 3 },
      { packet: { dst: '2.2.2.3' }, line: 4 },
      { packet: { src: '1.1.1.2' }, line: 4 },
    ],
  },
  {
    name: 'clauses must share one priority',
    lines: [SRC, 'priority=90,ip,nw_dst=2.2.2.2 actions=conjunction(1,2/2)', CONJ, 'priority=1 actions=drop'],
    probes: [{ packet: {}, line: 4 }],
  },
  {
    name: 'clause flows not above the best plain match are ignored',
    lines: [SRC, DST, CONJ, 'priority=100,tcp actions=drop'],
    probes: [
      { packet: {}, line: 4 },
      { packet: { protocol: 'udp' }, line: 3 },
    ],
  },
  {
    name: 'a conjunction above the best plain match wins',
    lines: [SRC, DST, 'priority=100,conj_id=1 actions=drop', 'priority=99,tcp actions=NORMAL'],
    probes: [
      { packet: {}, line: 3 },
      { packet: { dst: '2.2.2.9' }, line: 4 },
    ],
  },
  {
    name: 'lower levels are tried when a higher one completes nothing',
    lines: [
      'priority=200,ip,nw_src=1.1.1.1 actions=conjunction(9,1/2)',
      'priority=200,ip,nw_dst=9.9.9.9 actions=conjunction(9,2/2)',
      'priority=200,conj_id=9 actions=drop',
      'priority=50,ip,nw_src=1.1.1.1 actions=conjunction(5,1/2)',
      'priority=50,tcp actions=conjunction(5,2/2)',
      'priority=50,conj_id=5 actions=NORMAL',
      'priority=10 actions=drop',
    ],
    probes: [
      { packet: {}, line: 6 },
      { packet: { protocol: 'udp' }, line: 7 },
      { packet: { dst: '9.9.9.9' }, line: 3 },
    ],
  },
  {
    name: 'a flow may carry clauses of several conjunctions',
    lines: [
      'priority=100,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2),conjunction(2,1/3)',
      'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(2,2/3)',
      'priority=100,tcp,tp_dst=80 actions=conjunction(2,3/3)',
      'priority=100,conj_id=1 actions=drop',
      'priority=100,conj_id=2 actions=NORMAL',
      'priority=1 actions=drop',
    ],
    probes: [
      { packet: {}, line: 5 },
      { packet: { dstPort: 81 }, line: 6 },
    ],
  },
  {
    name: 'when the conj_id search finds nothing, the conjunction counts as not matched',
    lines: [SRC, DST, 'priority=5,tcp actions=NORMAL'],
    probes: [{ packet: {}, line: 3 }],
  },
  {
    // OVS keeps identical matches in one priority-ordered list and the search after a
    // conjunction skips a list whose head is conjunctive: line 3 is hidden, the catch-all wins.
    name: 'the conj_id search does not see a plain flow whose match equals a clause flow',
    lines: [SRC, DST, 'priority=5,ip,nw_src=1.1.1.1 actions=NORMAL', 'priority=1 actions=drop'],
    probes: [
      { packet: {}, line: 4 },
      { packet: { dst: '2.2.2.3' }, line: 3 },
    ],
  },
  {
    name: '… but without a catch-all that search fails and the ordinary lookup goes on',
    lines: [SRC, DST, 'priority=5,ip,nw_src=1.1.1.1 actions=NORMAL'],
    probes: [{ packet: {}, line: 3 }],
  },
  {
    name: 'clauses of different ids do not combine',
    lines: [
      SRC,
      'priority=100,ip,nw_dst=2.2.2.2 actions=conjunction(2,2/2)',
      CONJ,
      'priority=100,conj_id=2 actions=NORMAL',
      'priority=1 actions=drop',
    ],
    probes: [{ packet: {}, line: 5 }],
  },
];
