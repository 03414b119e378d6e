// Test support only: small multi-table cases for registers, conntrack marks, destination NAT and
// MAC rewrites, with the outcome each packet must have. simulate.test.ts checks the simulator
// against `expect`; electron/ovs-differential.test.ts checks the same tables against ofproto/trace.
import type { ConnectionState, Packet } from '../packet';
import type { Verdict } from '../simulate';

export interface ActionCase {
  name: string;
  /** Flow lines, tables as written. */
  lines: string[];
  /** Each packet (probePacket with these changes), the conntrack state it meets, and what must happen. */
  probes: {
    packet: Partial<Packet>;
    state: ConnectionState;
    expect: { verdict: Verdict; redirectedTo?: string; ethDst?: string };
  }[];
}

const MAC = '02:42:00:00:00:09';

export const ACTION_CASES: ActionCase[] = [
  {
    name: 'registers start at 0 and a load sets only its bits',
    lines: [
      'table=0,priority=10,ip actions=load:0x5->NXM_NX_REG0[4..7],resubmit(,1)',
      'table=0,priority=20,tcp,tp_dst=81 actions=resubmit(,1)',
      'table=1,priority=20,reg0=0x50/0xf0,ip actions=NORMAL',
      'table=1,priority=10,ip actions=drop',
    ],
    probes: [
      { packet: {}, state: 'new', expect: { verdict: 'forwarded' } },
      { packet: { dstPort: 81 }, state: 'new', expect: { verdict: 'dropped' } },
    ],
  },
  {
    name: 'what a resubmitted table changes stays changed for the actions after it',
    lines: [
      'table=0,priority=10,ip actions=resubmit(,1),resubmit(,2)',
      'table=1,priority=10,tcp actions=set_field:0x7->reg3',
      'table=1,priority=5,ip actions=drop',
      'table=2,priority=10,reg3=7,ip actions=NORMAL',
      'table=2,priority=1 actions=drop',
    ],
    probes: [
      { packet: {}, state: 'new', expect: { verdict: 'forwarded' } },
      { packet: { protocol: 'udp' }, state: 'new', expect: { verdict: 'dropped' } },
    ],
  },
  {
    name: 'a committed destination NAT redirects; later lookups of the same pass still see the old destination',
    lines: [
      `table=0,priority=10,ip actions=ct(commit,nat(dst=10.9.9.9)),mod_dl_dst:${MAC},resubmit(,1)`,
      'table=1,priority=10,ip,nw_dst=2.2.2.2 actions=NORMAL',
      'table=1,priority=5,ip actions=drop',
    ],
    probes: [
      { packet: {}, state: 'new', expect: { verdict: 'redirected', redirectedTo: '10.9.9.9', ethDst: MAC } },
      { packet: { dst: '2.2.2.3' }, state: 'new', expect: { verdict: 'dropped' } },
    ],
  },
  {
    name: 'IPv6 destination NAT, written with brackets',
    lines: ['table=0,priority=10,ipv6 actions=ct(commit,nat(dst=[fd00::9])),NORMAL'],
    probes: [
      {
        packet: { ethType: 'ipv6', src: 'fd00::1', dst: 'fd00::2' },
        state: 'new',
        expect: { verdict: 'redirected', redirectedTo: 'fd00::9' },
      },
    ],
  },
  {
    name: 'the compiled redirect: reg0 picks the honeypot in the forward table, which DNATs, marks and rewrites the MAC',
    lines: [
      'table=0,priority=10,ip actions=ct(table=10,nat)',
      'table=10,priority=90,ct_state=+trk+new,tcp actions=load:0x2->NXM_NX_REG0[0..15],goto_table:40',
      'table=10,priority=80,ct_state=+trk+new actions=goto_table:40',
      'table=40,priority=100,reg0=0x1/0xffff,ip actions=ct(commit,nat(dst=10.9.9.1)),NORMAL',
      `table=40,priority=100,reg0=0x2/0xffff,ip actions=ct(commit,nat(dst=10.9.9.2),exec(load:0x2->NXM_NX_CT_MARK[0..15])),mod_dl_dst:${MAC},NORMAL`,
      'table=40,priority=1,ip actions=ct(commit),NORMAL',
    ],
    probes: [
      { packet: {}, state: 'new', expect: { verdict: 'redirected', redirectedTo: '10.9.9.2', ethDst: MAC } },
      { packet: { protocol: 'udp' }, state: 'new', expect: { verdict: 'forwarded' } },
    ],
  },
  {
    name: 'conntrack: a marked connection in its own direction gets the MAC; replies, other marks and new ones do not',
    lines: [
      'table=0,priority=10,ip actions=ct(table=10,nat)',
      `table=10,priority=110,ct_state=+trk+est-rpl,ct_mark=0x1/0xffff,ip actions=mod_dl_dst:${MAC},NORMAL`,
      'table=10,priority=100,ct_state=+trk+est actions=NORMAL',
      'table=10,priority=90,ct_state=+trk+new actions=drop',
    ],
    probes: [
      { packet: { ctMark: 1 }, state: 'established', expect: { verdict: 'forwarded', ethDst: MAC } },
      { packet: { ctMark: 0x10001 }, state: 'established', expect: { verdict: 'forwarded', ethDst: MAC } },
      { packet: { ctMark: 2 }, state: 'established', expect: { verdict: 'forwarded' } },
      { packet: { ctMark: 1 }, state: 'reply', expect: { verdict: 'forwarded' } },
      { packet: {}, state: 'new', expect: { verdict: 'dropped' } },
    ],
  },
  {
    name: 'the compiled redirect back through the uplink: in_port for what came in there, first and later packets',
    lines: [
      'table=0,priority=10,ip actions=ct(table=10,nat)',
      `table=10,priority=120,ct_state=+trk+est-rpl,ct_mark=0x10002/0x1ffff,ip actions=mod_dl_dst:${MAC},in_port`,
      `table=10,priority=110,ct_state=+trk+est-rpl,ct_mark=0x2/0xffff,ip actions=mod_dl_dst:${MAC},NORMAL`,
      'table=10,priority=100,ct_state=+trk+est actions=NORMAL',
      'table=10,priority=90,ct_state=+trk+new,tcp actions=load:0x1->NXM_NX_REG0[16],load:0x2->NXM_NX_REG0[0..15],goto_table:40',
      'table=10,priority=80,ct_state=+trk+new,udp actions=load:0x2->NXM_NX_REG0[0..15],goto_table:40',
      `table=40,priority=105,reg0=0x10002/0x1ffff,ip actions=ct(commit,nat(dst=10.9.9.2),exec(load:0x10002->NXM_NX_CT_MARK[0..16])),mod_dl_dst:${MAC},output:in_port`,
      `table=40,priority=100,reg0=0x2/0xffff,ip actions=ct(commit,nat(dst=10.9.9.2),exec(load:0x2->NXM_NX_CT_MARK[0..15])),mod_dl_dst:${MAC},NORMAL`,
    ],
    probes: [
      { packet: {}, state: 'new', expect: { verdict: 'redirected', redirectedTo: '10.9.9.2', ethDst: MAC } },
      { packet: { protocol: 'udp' }, state: 'new', expect: { verdict: 'redirected', redirectedTo: '10.9.9.2', ethDst: MAC } },
      { packet: { ctMark: 0x10002 }, state: 'established', expect: { verdict: 'forwarded', ethDst: MAC } },
      { packet: { ctMark: 0x10002 }, state: 'reply', expect: { verdict: 'forwarded' } },
    ],
  },
];
