import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAddressMask } from './address-bits';
import { formatMatch } from './flow-model';
import { parseFlowText } from './flow-parser';

const golden = (host: string, name = 'three-tier-shop'): string =>
  readFileSync(new URL(`../compiler/golden/${name}.${host}.flows`, import.meta.url), 'utf8');

/** Lines as `ovs-ofctl dump-flows` printed them from a table loaded with the compiler's output (OVS 3.1). */
const DUMP = `NXST_FLOW reply (xid=0x4):
 cookie=0x4d53000000000000, duration=0.017s, table=0, n_packets=0, n_bytes=0, idle_age=0, priority=100,arp actions=NORMAL
 cookie=0x4d53000000000000, priority=100,ip actions=ct(table=10)
 cookie=0x4d53000000000000, priority=1 actions=drop
 cookie=0x4d53000000000000, table=10, priority=200,ct_state=+inv+trk actions=drop
 cookie=0x4d53000000000000, table=10, priority=90,ct_state=+new+trk actions=resubmit(,20)
 cookie=0x4d53010000000001, table=20, priority=100,conj_id=1 actions=resubmit(,30)
 cookie=0x4d53010000000001, table=20, priority=100,ip,nw_dst=10.20.2.21 actions=conjunction(1,2/2),conjunction(4,2/3)
 cookie=0x4d53020000000004, table=20, priority=100,tcp,tp_dst=8080 actions=conjunction(4,3/3)
 table=8, reset_counts priority=0 actions=goto_table:9
 cookie=0x4d53000000000000, table=40, priority=1,ip actions=ct(commit),NORMAL
`;

describe('parseFlowText', () => {
  it('parses the compiler output of the golden hosts (three-tier shop, redirects) without a diagnostic', () => {
    for (const [host, name] of [['host-a'], ['host-b'], ['h1', 'redirect'], ['h2', 'redirect']] as const) {
      const text = golden(host, name);
      const { flows, diagnostics } = parseFlowText(text);
      expect(diagnostics).toEqual([]);
      expect(flows).toHaveLength(text.split('\n').filter((l) => l.startsWith('cookie=')).length);
    }
  });

  it('reads dump-flows output: spaces after commas, statistics, omitted table, resubmit', () => {
    const { flows, diagnostics } = parseFlowText(DUMP);
    expect(diagnostics).toEqual([]);
    expect(flows).toHaveLength(10);
    expect(flows[0]).toMatchObject({
      line: 2,
      table: 0,
      priority: 100,
      cookie: '0x4d53000000000000',
      actions: [{ kind: 'normal' }],
    });
    expect(flows[3]).toMatchObject({
      table: 10,
      match: { ctState: { value: 0x30, mask: 0x30 } },
      actions: [{ kind: 'drop' }],
    });
    expect(flows[4]!.actions).toEqual([{ kind: 'resubmit', table: 20 }]);
    expect(flows[6]!.actions).toEqual([
      { kind: 'conjunction', id: 1, clause: 2, clauses: 2 },
      { kind: 'conjunction', id: 4, clause: 2, clauses: 3 },
    ]);
    expect(flows[8]).toMatchObject({
      cookie: '0x0',
      table: 8,
      priority: 0,
      actions: [{ kind: 'goto-table', table: 9 }],
    });
    expect(flows[9]!.actions).toEqual([{ kind: 'ct', commit: true }, { kind: 'normal' }]);
  });

  it('gives typed matches for every field the compiler writes', () => {
    const { flows, diagnostics } = parseFlowText(
      [
        'table=20,priority=100,ipv6,ipv6_src=fd00::/64 actions=conjunction(7,1/3)',
        'table=20,priority=100,udp6,tp_dst=0x60/0xfff8 actions=conjunction(7,3/3)',
        'table=0,priority=110,icmp6,icmp_type=135 actions=NORMAL',
        'table=20,priority=100,sctp,nw_dst=10.1.0.0/16,tp_dst=3868 actions=goto_table:30',
        'table=20,priority=100,conj_id=7 actions=goto_table:30',
        'table=0,priority=100,ip actions=ct(table=10,zone=3)',
        'table=0,priority=310,in_port=veth-web1,icmp6,icmp_type=136,nd_target=fe80::/10 actions=NORMAL',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(flows[0]!.match).toEqual({ ethType: 0x86dd, ipv6Src: parseAddressMask('fd00::/64') });
    expect(flows[1]!.match).toEqual({ ethType: 0x86dd, ipProto: 17, tpDst: { value: 0x60, mask: 0xfff8 } });
    expect(flows[2]!.match).toEqual({ ethType: 0x86dd, ipProto: 58, icmpType: 135 });
    expect(formatMatch(flows[3]!.match)).toBe('dl_type=0x0800,nw_proto=132,nw_dst=10.1.0.0/16,tp_dst=3868');
    expect(flows[4]!.match).toEqual({ conjId: 7 });
    expect(flows[5]!.actions).toEqual([{ kind: 'ct', commit: false, table: 10, zone: 3 }]);
    expect(formatMatch(flows[6]!.match)).toBe('in_port=veth-web1,dl_type=0x86dd,nw_proto=58,icmp_type=136,nd_target=fe80::/10');
  });

  it('reads what redirects write: registers, marks, ct(nat), DNAT with a mark, MAC rewrites, +rpl/-rpl', () => {
    const { flows, diagnostics } = parseFlowText(
      [
        'table=0,priority=100,ipv6 actions=ct(table=10,nat)',
        'table=10,priority=110,ct_state=+trk+est-rpl,ct_mark=0x1/0xffff,ip actions=mod_dl_dst:02:42:0A:00:09:09,NORMAL',
        'table=20,priority=900,conj_id=3 actions=load:0x1->NXM_NX_REG0[0..15],goto_table:40',
        'table=40,priority=100,reg0=0x1/0xffff,ip actions=ct(commit,nat(dst=10.0.9.9),exec(load:0x1->NXM_NX_CT_MARK[0..15])),mod_dl_dst:02:42:0a:00:09:09,NORMAL',
        'table=40,priority=100,reg0=0x2/0xffff,ipv6 actions=ct(commit,nat(dst=[fd00::98]),exec(set_field:0x2/0xffff->ct_mark)),NORMAL',
        // As dump-flows prints them back (OVS 3.1).
        'table=40, priority=100,ipv6,reg0=0x3/0xffff actions=ct(commit,nat(dst=fd00::99),exec(load:0x3->NXM_NX_CT_MARK[0..15])),NORMAL',
        'table=40, priority=52,ip,reg3=7 actions=load:0x5->NXM_NX_REG2[0..3],load:0xffffffff->NXM_NX_REG1[],set_field:7->reg4,mod_dl_dst:2:0:0:0:0:9,NORMAL',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(flows[0]!.actions).toEqual([{ kind: 'ct', commit: false, table: 10, nat: {} }]);
    expect(flows[1]!.match).toEqual({
      ethType: 0x0800,
      ctState: { value: 0x22, mask: 0x2a },
      ctMark: { value: 1, mask: 0xffff },
    });
    expect(formatMatch(flows[1]!.match)).toBe('dl_type=0x0800,ct_state=+est-rpl+trk,ct_mark=0x1/0xffff');
    expect(flows[1]!.actions[0]).toEqual({ kind: 'mod-dl-dst', mac: '02:42:0a:00:09:09' });
    expect(flows[2]!.actions[0]).toEqual({ kind: 'load', register: 0, value: 1, mask: 0xffff });
    expect(flows[3]!.match.regs).toEqual({ 0: { value: 1, mask: 0xffff } });
    expect(flows[3]!.actions[0]).toEqual({
      kind: 'ct',
      commit: true,
      nat: { dst: { family: 4, value: 0x0a000909n } },
      mark: { value: 1, mask: 0xffff },
    });
    expect(flows[4]!.actions[0]).toMatchObject({ nat: { dst: { family: 6 } }, mark: { value: 2, mask: 0xffff } });
    expect(flows[5]!.actions[0]).toMatchObject({
      nat: { dst: { family: 6, value: 0xfd000000000000000000000000000099n } },
    });
    expect(flows[6]!.actions.slice(0, 4)).toEqual([
      { kind: 'load', register: 2, value: 5, mask: 0xf },
      { kind: 'load', register: 1, value: 0xffffffff, mask: 0xffffffff },
      { kind: 'load', register: 4, value: 7, mask: 0xffffffff },
      { kind: 'mod-dl-dst', mac: '02:00:00:00:00:09' },
    ]);
    expect(formatMatch(flows[6]!.match)).toBe('dl_type=0x0800,reg3=0x7');
  });

  it('reads the output to the input port as ovs-ofctl writes it and dump-flows prints it', () => {
    const { flows, diagnostics } = parseFlowText(
      [
        'table=40,priority=105,ip actions=mod_dl_dst:02:42:0a:00:09:09,in_port',
        'table=40,priority=104,ip actions=output:in_port',
        'table=40, priority=103,ip actions=mod_dl_dst:02:42:0a:00:09:09,IN_PORT',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(flows.map((f) => f.actions.at(-1))).toEqual([{ kind: 'in-port' }, { kind: 'in-port' }, { kind: 'in-port' }]);
  });

  it('uses OVS defaults: table 0, priority 32768, cookie 0', () => {
    expect(parseFlowText('arp actions=NORMAL').flows[0]).toMatchObject({ table: 0, priority: 32768, cookie: '0x0' });
  });

  it('accepts the add lines of a deploy bundle', () => {
    expect(parseFlowText('add cookie=0x1,table=0,priority=5,arp actions=NORMAL').flows[0]).toMatchObject({
      cookie: '0x1',
      priority: 5,
    });
  });

  it.each([
    ['table=0,priority=1,ip,vlan_tci=0x1000 actions=drop', 'MS502', 'unknown match field "vlan_tci"', 23],
    ['table=0,priority=1,ip actions=output:3', 'MS504', 'unknown or unsupported action "output:3"', 31],
    ['table=0,priority=1,ip,nw_src=10.0.0.300 actions=drop', 'MS503', 'not an IPv4 address', 23],
    ['table=0,priority=1,ip,nw_src=fd00::1 actions=drop', 'MS503', 'not an IPv4 address', 23],
    ['table=0,priority=1,tp_dst=80 actions=drop', 'MS505', 'tp_dst needs tcp, udp or sctp', 20],
    ['table=0,priority=1 actions=ct(commit),NORMAL', 'MS505', 'ct() needs ip or ipv6', 28],
    ['table=0,priority=1,ip,nw_src=1.1.1.1 actions=conjunction(1,1/2),NORMAL', 'MS506', 'may not be mixed', 46],
    ['table=0,priority=1,ip actions=conjunction(1,1/1)', 'MS506', '2 to 64 clauses', 31],
    ['table=20,priority=1,ip actions=goto_table:10', 'MS506', 'later table than 20', 32],
    ['table=0,priority=1,tcp,udp actions=drop', 'MS503', 'contradicts', 24],
    ['table=0,priority=1,ct_state=+trk+bogus actions=drop', 'MS503', 'not a ct_state', 20],
    ['delete cookie=0x4d53000000000000/0xffff000000000000', 'MS501', 'not delete or modify', 1],
    ['table=0,priority=1,reg16=1,ip actions=drop', 'MS502', 'unknown match field "reg16"', 20],
    ['table=0,priority=1,reg0=0x1/0x1ffffffff,ip actions=drop', 'MS503', 'not a 32-bit register value', 20],
    ['table=0,priority=1,ct_mark=x,ip actions=drop', 'MS503', 'not a 32-bit ct_mark', 20],
    ['table=0,priority=1,ip actions=load:0x10000->NXM_NX_REG0[0..15],NORMAL', 'MS503', 'does not fit into 16 bits', 31],
    ['table=0,priority=1,ip actions=load:0x1->NXM_NX_REG0[16..32]', 'MS503', 'not a register or ct_mark bit range', 31],
    [
      'table=0,priority=1,ip actions=load:0x1->NXM_NX_CT_MARK[0..15],NORMAL',
      'MS506',
      'only be set inside ct(commit,exec',
      31,
    ],
    ['table=0,priority=1,ip actions=set_field:1->tun_id', 'MS503', 'set_field of "tun_id" is not supported', 31],
    ['table=0,priority=1,ip actions=ct(table=10,nat(dst=10.0.0.9))', 'MS506', 'needs commit', 31],
    ['table=0,priority=1,ip actions=ct(exec(load:0x1->NXM_NX_CT_MARK[0..15]))', 'MS506', 'needs commit', 31],
    [
      'table=0,priority=1,ip actions=ct(commit,exec(load:0x1->NXM_NX_REG0[0..15]))',
      'MS506',
      'may only set ct_mark',
      31,
    ],
    ['table=0,priority=1,ip actions=ct(commit,nat(src=10.0.0.9))', 'MS504', 'unsupported nat', 31],
    ['table=0,priority=1,ip actions=ct(commit,nat(dst=10.0.0.9-10.0.0.10))', 'MS504', 'unsupported nat', 31],
    ['table=0,priority=1,ipv6 actions=ct(commit,nat(dst=10.0.0.9))', 'MS505', 'needs ip in the match', 33],
    ['table=0,priority=1 actions=ct(commit,nat(dst=10.0.0.9))', 'MS505', 'ct() needs ip or ipv6', 28],
    ['table=0,priority=1,ip actions=mod_dl_dst:02:42:0a:00:09', 'MS504', 'unknown or unsupported action', 31],
    ['table=0,priority=1,ip', 'MS501', 'needs "actions=', 1],
    ['table=0,priority=1,icmp6,icmp_type=128,nd_target=fd00::1 actions=drop', 'MS505', 'nd_target needs icmp6 and icmp_type=135 or 136', 40],
    ['table=0,priority=1,icmp6,icmp_type=136,icmp_code=1,nd_target=fd00::1 actions=drop', 'MS505', 'nd_target needs', 52],
    ['table=0,priority=1,icmp6,icmp_type=136,nd_target=10.0.0.1 actions=drop', 'MS503', 'not an IPv6 address', 40],
  ])('rejects %s with a diagnostic naming line and column', (line, code, message, column) => {
    const { flows, diagnostics } = parseFlowText(`# a comment\n\n${line}`, 'test.flows');
    expect(flows).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code,
      severity: 'error',
      location: { file: 'test.flows', line: 3, column },
    });
    expect(diagnostics[0]!.message).toContain('line 3: ');
    expect(diagnostics[0]!.message).toContain(message);
  });

  it('keeps the later of two flows OVS considers identical, with a warning', () => {
    const { flows, diagnostics } = parseFlowText(
      [
        'table=30,priority=100,ip,nw_src=10.0.0.0/8 actions=conjunction(1,1/2)',
        'table=30,priority=100,ip,nw_src=10.9.9.9/8 actions=conjunction(2,1/2)',
      ].join('\n'),
    );
    expect(flows.map((f) => f.line)).toEqual([2]);
    expect(diagnostics).toMatchObject([{ code: 'MS507', severity: 'warning', location: { line: 2 } }]);
    expect(diagnostics[0]!.message).toContain('line 1 has no effect');
  });
});
