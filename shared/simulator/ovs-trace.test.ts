import { describe, expect, it } from 'vitest';
import { ovsCtNext, ovsTraceFlow, parseTraceOutcome, parseTracePorts, parseTraceVerdict, traceAgrees } from './ovs-trace';
import type { Packet } from './packet';

// Tails of real `ovs-appctl ofproto/trace … --ct-next trk,new` output (Open vSwitch 3.1).
const FORWARDED = `Final flow: unchanged
Megaflow: recirc_id=0,eth,ip,in_port=1,nw_frag=no
Datapath actions: ct,recirc(0x1)

===============================================================================
recirc(0x1) - resume conntrack with ct_state=new|trk
===============================================================================
40. ip, priority 1, cookie 0x4d53000000000000
    ct(commit)
    NORMAL
     -> no learned MAC for destination, flooding

Megaflow: recirc_id=0x1,ct_state=+new-est-rel-inv+trk,eth,tcp,in_port=1,nw_frag=no,tp_dst=8080
Datapath actions: ct(commit),2,3
`;
const DROPPED = FORWARDED.replace('Datapath actions: ct(commit),2,3', 'Datapath actions: drop');
// Last lines of traces through compiled redirect tables (Open vSwitch 3.1).
const REDIRECTED = `Datapath actions: ct(nat),recirc(0x1)
Datapath actions: ct(commit,mark=0x1/0xffff,nat(dst=10.0.0.9)),set(eth(dst=02:00:00:00:00:09)),101,2`;
const REDIRECTED_V6 = `Datapath actions: ct(nat),recirc(0x5)
Datapath actions: ct(commit,mark=0x2/0xffff,nat(dst=fd00::9)),set(eth(dst=02:00:00:00:00:0a)),101,2`;
const MARKED = `Datapath actions: ct(nat),recirc(0x3)
Datapath actions: set(eth(dst=02:00:00:00:00:09)),101,2`;

describe('ofproto/trace helpers', () => {
  it('writes the flow ofproto/trace takes for each kind of packet', () => {
    expect(
      ovsTraceFlow({
        ethType: 'ipv4',
        src: '10.0.0.1',
        dst: '10.0.0.2',
        protocol: 'tcp',
        srcPort: 40000,
        dstPort: 8080,
      }),
    ).toBe(
      'in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_src=40000,tcp_dst=8080',
    );
    expect(
      ovsTraceFlow({ ethType: 'ipv6', src: 'fd00::1', dst: 'fd00::2', protocol: 'icmp', icmpType: 135 }, 2),
    ).toMatch(/^in_port=2,.*,icmp6,ipv6_src=fd00::1,ipv6_dst=fd00::2,icmpv6_type=135,icmpv6_code=0,nd_target=fd00::2$/);
    // An advertisement claims its source unless it names a target; at another code there is no target to give.
    expect(ovsTraceFlow({ ethType: 'ipv6', src: 'fe80::1', dst: 'ff02::1', protocol: 'icmp', icmpType: 136 }, 2)).toMatch(/icmpv6_type=136,icmpv6_code=0,nd_target=fe80::1$/);
    expect(ovsTraceFlow({ ethType: 'ipv6', src: 'fe80::1', dst: 'ff02::1', protocol: 'icmp', icmpType: 136, ndTarget: 'fd00::9' }, 2)).toMatch(/,nd_target=fd00::9$/);
    expect(ovsTraceFlow({ ethType: 'ipv6', src: 'fe80::1', dst: 'ff02::1', protocol: 'icmp', icmpType: 136, icmpCode: 1 }, 2)).toMatch(/icmpv6_code=1$/);
    expect(ovsTraceFlow({ ethType: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', protocol: 'other', ipProto: 47 })).toMatch(
      /,ip,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_proto=47$/,
    );
    expect(ovsTraceFlow({ ethType: 'arp', src: '10.0.0.1', dst: '10.0.0.2' })).toMatch(
      /,arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.2$/,
    );
    const ping: Packet = { ethType: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', protocol: 'icmp', icmpType: 8 };
    expect(ovsCtNext('new', ping)).toBe('trk,new');
    expect(ovsCtNext('established', ping)).toBe('trk,est');
    expect(ovsCtNext('reply', ping)).toBe('trk,est,rpl');
    // An ICMP reply or error starts no connection: conntrack finds it invalid.
    expect(ovsCtNext('new', { ...ping, icmpType: 0 })).toBe('trk,inv');
    expect(ovsCtNext('new', { ...ping, icmpType: 3, icmpCode: 4 })).toBe('trk,inv');
    expect(ovsCtNext('new', { ...ping, ethType: 'ipv6', src: 'fd00::1', dst: 'fd00::2', icmpType: 8 })).toBe('trk,inv');
    expect(ovsCtNext('new', { ethType: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp' })).toBe('trk,new');
    expect(ovsTraceFlow({ ethType: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', ctMark: 2 })).toMatch(
      /^in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,ct_mark=0x2,udp,/,
    );
  });

  it('reads redirects and MAC rewrites from the Datapath actions lines', () => {
    expect(parseTraceOutcome(REDIRECTED)).toEqual({
      verdict: 'redirected',
      redirectedTo: '10.0.0.9',
      ethDst: '02:00:00:00:00:09',
    });
    expect(parseTraceOutcome(REDIRECTED_V6)).toEqual({
      verdict: 'redirected',
      redirectedTo: 'fd00::9',
      ethDst: '02:00:00:00:00:0a',
    });
    expect(parseTraceOutcome('Datapath actions: ct(commit,nat(dst=[fd00::0:9]:80)),3')).toEqual({
      verdict: 'redirected',
      redirectedTo: 'fd00::9',
    });
    expect(parseTraceOutcome(MARKED)).toEqual({ verdict: 'forwarded', ethDst: '02:00:00:00:00:09' });
    expect(parseTraceOutcome(FORWARDED)).toEqual({ verdict: 'forwarded' });
    expect(parseTraceVerdict(REDIRECTED)).toBe('redirected');
  });

  it('reads the datapath ports a packet leaves by', () => {
    expect(parseTracePorts('Datapath actions: ct(commit,mark=0x10002/0x1ffff,nat(dst=10.0.9.8)),set(eth(dst=02:42:0a:00:09:08)),5')).toEqual(['5']);
    expect(parseTracePorts('Datapath actions: ct(nat),recirc(0x3)\nDatapath actions: 9,101')).toEqual(['9', '101']);
    expect(parseTracePorts(DROPPED)).toEqual([]);
    expect(parseTracePorts('ovs-appctl: bridge br0 does not exist')).toEqual([]);
  });

  it('reads the verdict from the Datapath actions lines', () => {
    expect(parseTraceVerdict(FORWARDED)).toBe('forwarded');
    expect(parseTraceVerdict(DROPPED)).toBe('dropped');
    expect(parseTraceVerdict('Datapath actions: ct(commit)')).toBe('dropped');
    expect(parseTraceVerdict('ovs-appctl: bridge br0 does not exist')).toBeNull();
  });
});

describe('traceAgrees', () => {
  const honeypotMac = '02:42:0a:14:09:09';

  it('holds a new packet to the same verdict', () => {
    expect(traceAgrees({ verdict: 'redirected', ethDst: honeypotMac }, { verdict: 'redirected', redirectedTo: '10.20.9.9', ethDst: honeypotMac }, 'new')).toBe(true);
    expect(traceAgrees({ verdict: 'redirected', ethDst: honeypotMac }, { verdict: 'forwarded', ethDst: honeypotMac }, 'new')).toBe(false);
    expect(traceAgrees({ verdict: 'dropped' }, { verdict: 'forwarded' }, 'established')).toBe(false);
  });

  it("takes a switch's forward to the honeypot's MAC for an established packet the connection's NAT redirects", () => {
    expect(traceAgrees({ verdict: 'redirected', ethDst: honeypotMac }, { verdict: 'forwarded', ethDst: honeypotMac }, 'established')).toBe(true);
    // Forwarded without the honeypot's MAC: the switch would deliver it to the workload asked for.
    expect(traceAgrees({ verdict: 'redirected', ethDst: honeypotMac }, { verdict: 'forwarded' }, 'established')).toBe(false);
    expect(traceAgrees({ verdict: 'redirected', ethDst: honeypotMac }, { verdict: 'dropped' }, 'established')).toBe(false);
  });
});
