import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlowTextStrict } from './flow-parser';
import type { ConnectionState, Packet } from './packet';
import { groupByTable, simulatePacket } from './simulate';
import { ACTION_CASES } from './testing/action-cases';
import { probePacket } from './testing/lookup-cases';
import { describePacket, formatTrace } from './trace-format';

// The checked-in golden tables of examples/three-tier-shop: web-1 10.20.1.11, app-1 10.20.2.21 and
// metrics 10.20.4.41 on host-a; web-2 10.20.1.12, app-2 10.20.2.22, db-1 10.20.3.31 on host-b.
const hostA = groupByTable(
  parseFlowTextStrict(
    readFileSync(new URL('../compiler/golden/three-tier-shop.host-a.flows', import.meta.url), 'utf8'),
  ),
);

const tcp = (src: string, dst: string, dstPort: number): Packet => ({
  ethType: 'ipv4',
  src,
  dst,
  protocol: 'tcp',
  srcPort: 40000,
  dstPort,
});
const run = (packet: Packet, state: ConnectionState = 'new'): ReturnType<typeof simulatePacket> =>
  simulatePacket(hostA, packet, state);

describe('simulatePacket on the golden three-tier shop (host-a)', () => {
  it('forwards web → app tcp/8080 through every table, via the web-to-app conjunction', () => {
    const result = run(tcp('10.20.1.11', '10.20.2.21', 8080));
    expect(result.verdict).toBe('forwarded');
    expect(result.steps.map((s) => s.table)).toEqual([0, 10, 20, 30, 40]);
    expect(result.steps.map((s) => s.tableName)).toEqual(['classify', 'conntrack', 'egress', 'ingress', 'forward']);
    expect(result.steps[1]!.ctState).toBe('+new+trk');
    const egress = result.steps[2]!.lookup;
    expect(egress.conjunction?.id).toBe(4);
    expect(egress.flow).toMatchObject({ cookie: '0x4d53020000000004', text: expect.stringContaining('conj_id=4') });
    expect(result.reason).toBe('forwarded by NORMAL in table 40');
  });

  it('drops web → db tcp/5432 in egress with the default deny of web-1', () => {
    const result = run(tcp('10.20.1.11', '10.20.3.31', 5432));
    expect(result.verdict).toBe('dropped');
    const last = result.steps.at(-1)!;
    expect(last.table).toBe(20);
    expect(last.lookup.flow).toMatchObject({
      cookie: '0x4d53030000000000',
      priority: 10,
      text: expect.stringContaining('nw_src=10.20.1.11 actions=drop'),
    });
    expect(last.lookup.incomplete.map((c) => c.id)).toContain(4);
    expect(result.reason).toContain('table 20 (egress), cookie 0x4d53030000000000');
  });

  it('is one-way: app → web on the same port is dropped, but the reply of web → app passes as established', () => {
    expect(run(tcp('10.20.2.21', '10.20.1.11', 8080)).verdict).toBe('dropped');
    const reply = run(tcp('10.20.2.21', '10.20.1.11', 40000), 'established');
    expect(reply.verdict).toBe('forwarded');
    expect(reply.steps.map((s) => s.table)).toEqual([0, 10]);
    expect(reply.steps[1]!.lookup.flow?.text).toContain('ct_state=+trk+est actions=NORMAL');
  });

  it('checks ports exactly: 8079 and 8081 are dropped', () => {
    expect(run(tcp('10.20.1.11', '10.20.2.21', 8079)).verdict).toBe('dropped');
    expect(run(tcp('10.20.1.11', '10.20.2.21', 8081)).verdict).toBe('dropped');
    expect(run({ ...tcp('10.20.1.11', '10.20.2.21', 8080), protocol: 'udp' }).verdict).toBe('dropped');
  });

  it('lets ARP pass and drops IPv6 on a table compiled without IPv6', () => {
    expect(run({ ethType: 'arp', src: '10.20.4.41', dst: '10.20.3.31' }).verdict).toBe('forwarded');
    const v6 = run({ ethType: 'ipv6', src: 'fd00::1', dst: 'fd00::2', protocol: 'tcp', dstPort: 80 });
    expect(v6.verdict).toBe('dropped');
    expect(v6.steps.map((s) => s.table)).toEqual([0]);
  });

  it('drops everything new from the ungrouped metrics workload', () => {
    expect(run(tcp('10.20.4.41', '10.20.2.21', 8080)).verdict).toBe('dropped');
    expect(run({ ethType: 'ipv4', src: '10.20.4.41', dst: '10.20.1.11', protocol: 'icmp', icmpType: 8 }).verdict).toBe(
      'dropped',
    );
  });

  it('finds a first ICMP reply or error invalid, as conntrack does, and the conntrack table drops it; a reply within a connection passes', () => {
    // web → app opens tcp/8080 only; with ICMP permitted everywhere the answer would be the same.
    const error = { ethType: 'ipv4', src: '10.20.1.11', dst: '10.20.2.21', protocol: 'icmp', icmpType: 3, icmpCode: 4 } as const;
    const result = run(error);
    expect(result.verdict).toBe('dropped');
    expect(result.steps.map((s) => s.table)).toEqual([0, 10]);
    expect(formatTrace(result, describePacket(error, 'new'))).toContain('conntrack says +inv+trk (an ICMP reply or error opens no connection)');
    expect(run({ ...error, icmpType: 0, icmpCode: 0 }, 'established').verdict).toBe('forwarded');
  });

  it('writes a trace a person can follow, and the same one every time', () => {
    const packet = tcp('10.20.1.11', '10.20.2.21', 8080);
    const text = formatTrace(run(packet), describePacket(packet, 'new'));
    expect(text).toBe(formatTrace(run(packet), describePacket(packet, 'new')));
    const lines = text.split('\n');
    expect(lines[0]).toBe('tcp 10.20.1.11 → 10.20.2.21:8080 (new)');
    expect(lines[1]).toBe('table 0 classify [untracked]');
    expect(lines[2]).toMatch(
      /^ {2}matched line \d+, cookie 0x4d53000000000000, priority 100: .*,ip actions=ct\(table=10\)$/,
    );
    expect(lines).toContain('  → ct(table=10): conntrack says +new+trk; continue in table 10');
    expect(lines).toContain('table 20 egress [+new+trk]');
    expect(lines.some((l) => /^ {2}conjunction 4 complete at priority \d+:$/.test(l))).toBe(true);
    expect(
      lines.some((l) => /^ {4}clause 3\/3: line \d+ .*tcp,tp_dst=8080 actions=conjunction\(4,3\/3\)$/.test(l)),
    ).toBe(true);
    expect(lines.at(-1)).toBe('verdict: forwarded: forwarded by NORMAL in table 40');
  });
});

describe('simulatePacket: registers, marks, destination NAT and MAC rewrites (the same cases run on OVS in ovs-differential)', () => {
  it.each(ACTION_CASES)('$name', ({ lines, probes }) => {
    const tables = groupByTable(parseFlowTextStrict(lines.join('\n')));
    for (const probe of probes) {
      const result = simulatePacket(tables, probePacket(probe.packet), probe.state);
      const outcome = {
        verdict: result.verdict,
        ...(result.redirectedTo ? { redirectedTo: result.redirectedTo } : {}),
        ...(result.ethDst ? { ethDst: result.ethDst } : {}),
      };
      expect({ probe, outcome }).toEqual({ probe, outcome: probe.expect });
    }
  });

  it('traces a redirect readably: registers in the table heading, the NAT, the mark and the MAC', () => {
    const redirect = ACTION_CASES.find((c) => c.name.startsWith('the compiled redirect'))!;
    const packet = probePacket({});
    const text = formatTrace(
      simulatePacket(groupByTable(parseFlowTextStrict(redirect.lines.join('\n'))), packet, 'new'),
    );
    const lines = text.split('\n');
    expect(lines).toContain('  → load: reg0=0x2/0xffff, now 0x2');
    expect(lines).toContain('table 40 forward [+new+trk] reg0=0x2');
    expect(lines).toContain(
      '  → nat(dst=10.9.9.2): the packet leaves for this address instead (later lookups in this pass still see the old one)',
    );
    expect(lines).toContain("  → exec: the connection's ct_mark=0x2/0xffff");
    expect(lines).toContain('  → mod_dl_dst: the packet now goes to MAC 02:42:00:00:00:09');
    expect(lines.at(-1)).toBe(
      'verdict: redirected: redirected to 10.9.9.2 (MAC 02:42:00:00:00:09) by NORMAL in table 40',
    );
  });

  it('says when a redirect leaves through the port it came in on', () => {
    const uplink = ACTION_CASES.find((c) => c.name.startsWith('the compiled redirect back through the uplink'))!;
    const tables = groupByTable(parseFlowTextStrict(uplink.lines.join('\n')));
    const lines = formatTrace(simulatePacket(tables, probePacket({}), 'new')).split('\n');
    expect(lines).toContain("  → exec: the connection's ct_mark=0x10002/0x1ffff");
    expect(lines).toContain('  → in_port: sent back out of the port it came in on');
    expect(lines.at(-1)).toBe(
      'verdict: redirected: redirected to 10.9.9.2 (MAC 02:42:00:00:00:09) by in_port in table 40',
    );
  });
});
