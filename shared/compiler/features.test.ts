import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInventoryFile } from '../inventory/static-file';
import type { Inventory } from '../inventory/model';
import type { Policy } from '../policy/model';
import { parsePolicyFile } from '../policy/policy-file';
import { addressHosts, loadHostTables, simulatePath } from '../simulator/path';
import { compilePolicy } from './compile';
import { MAX_CONJUNCTIONS_PER_FLOW } from './pipeline';
import { formatHostTable } from './table-text';

const read = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const policy = parsePolicyFile(read('features.policy.yaml'), 'features.policy.yaml').policy!;
const inventory = parseInventoryFile(read('features.inventory.yaml'), 'features.inventory.yaml', 'x').inventory!;

function tables(p: Policy = policy, inv: Inventory = inventory): Map<string, string> {
  return new Map(compilePolicy(p, inv).hosts.map((h) => [h.host, formatHostTable(h.host, p, h.flows)]));
}

describe('compiler features', () => {
  const compiled = tables();

  it('matches the golden tables (deny, reject, log, monitor, CIDR except, DNS, DHCP, IPv6)', () => {
    for (const [host, text] of compiled) {
      const url = new URL(`./golden/features.${host}.flows`, import.meta.url);
      if (process.env.UPDATE_GOLDEN) writeFileSync(url, text);
      expect(text, host).toBe(readFileSync(url, 'utf8'));
    }
  });

  it('matches the golden tables for namespaces, exclusions and named ports', () => {
    const k8sPolicy = parsePolicyFile(read('kubernetes.policy.yaml'), 'kubernetes.policy.yaml').policy!;
    const pods = parseInventoryFile(read('kubernetes.inventory.yaml'), 'kubernetes.inventory.yaml', 'x').inventory!;
    for (const [host, text] of tables(k8sPolicy, pods)) {
      const url = new URL(`./golden/kubernetes.${host}.flows`, import.meta.url);
      if (process.env.UPDATE_GOLDEN) writeFileSync(url, text);
      expect(text, host).toBe(readFileSync(url, 'utf8'));
    }
    // http is 8080 on web-1 and 80 on web-2: each number only towards the pod declaring it.
    const node1 = tables(k8sPolicy, pods).get('node-1')!;
    expect(node1).toMatch(/tcp,tp_dst=8080 actions=conjunction\(\d+,3\/3\)/);
    expect(node1).not.toContain('nw_dst=10.0.1.2 actions=conjunction(3,');
  });

  it('puts deny and reject edges above allow and log edges, above within-group rules', () => {
    const h1 = compiled.get('h1')!;
    const priorityOf = (conj: string): number => Number(new RegExp(`priority=(\\d+),${conj} `).exec(h1)?.[1]);
    const rule = (edge: string): number => compilePolicy(policy, inventory).rules.find((r) => r.ref.id === edge)!.number;
    expect(priorityOf(`conj_id=${rule('no-web-ssh')}`)).toBeGreaterThan(priorityOf(`conj_id=${rule('web-out')}`));
    expect(priorityOf(`conj_id=${rule('web-out')}`)).toBeGreaterThan(priorityOf(`conj_id=${rule('web')}`));
    expect(h1).toMatch(new RegExp(`conj_id=${rule('no-web-ssh')} actions=drop`));
    expect(h1).toMatch(new RegExp(`conj_id=${rule('no-smtp-out')} actions=drop`));
  });

  it('carves the private ranges out of the internet group', () => {
    const h1 = compiled.get('h1')!;
    expect(h1).toContain('ip,nw_dst=8.0.0.0/7 ');
    expect(h1).not.toMatch(/nw_dst=10\.0\.0\.0\/8 /);
  });

  it('lets DNS to named resolvers and DHCP through, and monitors instead of dropping', () => {
    const h1 = compiled.get('h1')!;
    // DNS is a rule of its own above every edge: any workload (clause 1) to a resolver (2) on port 53 (3).
    expect(h1).toContain('priority=1900,ip,nw_dst=10.0.0.53 actions=conjunction(1,2/3)');
    expect(h1).toContain('priority=1900,ip,nw_src=10.0.1.1 actions=conjunction(1,1/3)');
    expect(h1).toContain('priority=1900,udp6,tp_dst=53 actions=conjunction(1,3/3)');
    expect(h1).toContain('udp,tp_src=68,tp_dst=67 actions=NORMAL');
    expect(h1).toContain('priority=10,ip,nw_src=10.0.1.1 actions=goto_table:30');
  });

  it('compiles redirects: reg0 decision, DNAT with the honeypot MAC, marked connections, honeypot ingress', () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const traps = parseInventoryFile(read('redirect.inventory.yaml'), 'redirect.inventory.yaml', 'x').inventory!;
    const result = compilePolicy(redirect, traps);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const host of result.hosts) {
      const text = formatHostTable(host.host, redirect, host.flows);
      const url = new URL(`./golden/redirect.${host.host}.flows`, import.meta.url);
      if (process.env.UPDATE_GOLDEN) writeFileSync(url, text);
      expect(text, host.host).toBe(readFileSync(url, 'utf8'));
    }
    const h1 = formatHostTable('h1', redirect, result.hosts.find((h) => h.host === 'h1')!.flows);
    expect(h1).toContain('ip actions=ct(table=10,nat)');
    expect(h1).toMatch(/conj_id=\d+ actions=load:0x1->NXM_NX_REG0\[0\.\.15\],goto_table:40/);
    expect(h1).toContain('reg0=0x1/0xffff,ip actions=ct(commit,nat(dst=10.0.9.9),exec(load:0x1->NXM_NX_CT_MARK[0..15])),mod_dl_dst:02:42:0a:00:09:09,NORMAL');
    expect(h1).toContain('priority=10,ip,nw_src=10.0.1.1 actions=load:0x2->NXM_NX_REG0[0..15],goto_table:40');
    expect(h1).toContain('priority=2000,ip,nw_dst=10.0.9.8 actions=goto_table:40');
    // honeypot sits on h2: what came in through h1's uplink (no local source) goes back out there.
    expect(h1).toContain('table=20,priority=1 actions=load:0x1->NXM_NX_REG0[16],goto_table:30');
    expect(h1).toContain('priority=105,reg0=0x10001/0x1ffff,ip actions=ct(commit,nat(dst=10.0.9.9),exec(load:0x10001->NXM_NX_CT_MARK[0..16])),mod_dl_dst:02:42:0a:00:09:09,in_port');
    expect(h1).toContain('priority=120,ct_state=+trk+est-rpl,ct_mark=0x10001/0x1ffff,ip actions=mod_dl_dst:02:42:0a:00:09:09,in_port');
    // tarpit sits on h1: NORMAL reaches its port, so no flow sends to it by in_port here.
    expect(h1).not.toMatch(/0x10002.*in_port/);
  });

  it('marks no uplink sources where every honeypot is local, nor without redirects', () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const traps = parseInventoryFile(read('redirect.inventory.yaml'), 'redirect.inventory.yaml', 'x').inventory!;
    const together = { ...traps, workloads: traps.workloads.map((w) => ({ ...w, host: 'h1' })) };
    const one = compilePolicy(redirect, together).hosts[0]!;
    expect(one.flows.some((f) => f.actions.includes('in_port') || f.actions.some((a) => a.includes('REG0[16]')))).toBe(false);
    const plain = compilePolicy(policy, inventory).hosts.flatMap((h) => h.flows);
    expect(plain.some((f) => f.actions.some((a) => a.includes('REG0[16]')))).toBe(false);
  });

  it('refuses a redirect to a honeypot that is unknown or has no MAC', () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const noMac = { ...inventory, workloads: inventory.workloads.map((w) => ({ ...w, mac: undefined })) };
    const codes = compilePolicy({ ...redirect, defaults: { ...redirect.defaults, redirectTo: 'web-1' } }, noMac).diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['MS133', 'MS134']));
  });

  it('says to write a honeypot given as IPv4 written as IPv6 in its IPv4 form', () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const traps = parseInventoryFile(read('redirect.inventory.yaml'), 'redirect.inventory.yaml', 'x').inventory!;
    const compiled = compilePolicy({ ...redirect, defaults: { ...redirect.defaults, redirectTo: '::ffff:10.0.9.8' } }, traps);
    expect(compiled.diagnostics.filter((d) => d.code === 'MS133')).toEqual([
      expect.objectContaining({ message: 'honeypot "::ffff:10.0.9.8" is the IPv4 address 10.0.9.8 written as IPv6, which no packet carries; write 10.0.9.8', location: { path: 'defaults.redirectTo' } }),
    ]);
  });

  it("names the edge whose honeypot is missing or has no MAC, so Problems selects it on the canvas", () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const traps = parseInventoryFile(read('redirect.inventory.yaml'), 'redirect.inventory.yaml', 'x').inventory!;
    const index = redirect.edges.findIndex((e) => e.id === 'trap-ssh');
    const missing = { ...redirect, edges: redirect.edges.map((e) => (e.id === 'trap-ssh' ? { ...e, redirectTo: 'no-such-trap' } : e)) };
    expect(compilePolicy(missing, traps).diagnostics.filter((d) => d.code === 'MS133')).toEqual([
      expect.objectContaining({ location: { path: `edges.${index}.redirectTo`, element: { kind: 'edge', id: 'trap-ssh' } } }),
    ]);
    const noMac = { ...traps, workloads: traps.workloads.map((w) => ({ ...w, mac: undefined })) };
    expect(compilePolicy(redirect, noMac).diagnostics.filter((d) => d.code === 'MS134').map((d) => d.location)).toEqual([
      { path: `edges.${index}.redirectTo`, element: { kind: 'edge', id: 'trap-ssh' } },
      { path: 'defaults.redirectTo' },
    ]);
  });

  it('warns when a redirect names a honeypot by an address its connections do not go to (MS136)', () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const traps = parseInventoryFile(read('redirect.inventory.yaml'), 'redirect.inventory.yaml', 'x').inventory!;
    const tarpit = traps.workloads.find((w) => w.name === 'tarpit')!;
    const twoAddresses = { ...traps, workloads: traps.workloads.map((w) => (w === tarpit ? { ...w, addresses: [...w.addresses, '10.0.9.99'] } : w)) };
    const ms136 = (spec: string) => compilePolicy({ ...redirect, defaults: { ...redirect.defaults, redirectTo: spec } }, twoAddresses).diagnostics.filter((d) => d.code === 'MS136');
    expect(ms136('10.0.9.99').map((d) => d.message)).toEqual([expect.stringContaining('redirected to its first address of that family, 10.0.9.8')]);
    expect(ms136('10.0.9.8')).toEqual([]);
    expect(ms136('tarpit')).toEqual([]);
  });

  it('finds a honeypot by any spelling of its address, as the inventory reads it', () => {
    const redirect = parsePolicyFile(read('redirect.policy.yaml'), 'redirect.policy.yaml').policy!;
    const traps = parseInventoryFile(read('redirect.inventory.yaml'), 'redirect.inventory.yaml', 'x').inventory!;
    // Only the default redirects to tarpit, the one honeypot with an IPv6 address.
    for (const spelling of ['tarpit', 'fd00::98', 'FD00:0::98', 'fd00:0000:0:0::0098', '10.0.9.8']) {
      const compiled = compilePolicy({ ...redirect, defaults: { ...redirect.defaults, redirectTo: spelling } }, traps);
      expect(compiled.diagnostics.filter((d) => d.code === 'MS133'), spelling).toEqual([]);
      const actions = compiled.hosts.flatMap((h) => h.flows.flatMap((f) => f.actions));
      expect(actions.some((a) => a.includes('nat(dst=[fd00::98])')), spelling).toBe(true);
    }
  });

  it('permits only the ICMP types an edge names, each read in the packet\'s family', () => {
    const ping: Policy = { ...policy, defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, edges: [{ id: 'ping-db', from: 'web', to: 'db', services: [{ protocol: 'icmp', ports: { from: 8, to: 8 } }], action: 'allow' }] };
    const compiled = compilePolicy(ping, inventory);
    const h1 = formatHostTable('h1', ping, compiled.hosts.find((h) => h.host === 'h1')!.flows);
    // Type 8 in either family: IPv6's echo request is 128, which the edge would have to name.
    expect(h1).toMatch(/icmp,icmp_type=8 actions=conjunction/);
    expect(h1).toMatch(/icmp6,icmp_type=8 actions=conjunction/);
    expect(h1).not.toMatch(/icmp6?,icmp_type=(0|128) actions=conjunction/);
    const tables = loadHostTables(compiled.hosts);
    const hostOf = addressHosts(inventory.workloads);
    const verdict = (icmpType: number): string =>
      simulatePath(tables, { address: '10.0.1.1', host: 'h1' }, { address: '10.0.2.1', host: 'h2' }, { protocol: 'icmp', icmpType }, 'new', { hostOf }).verdict;
    expect(verdict(8)).toBe('permitted');
    // An echo reply is no request.
    expect(verdict(0)).toBe('dropped');
    // Every type is ICMP itself: one match per family, not 256.
    const every = compilePolicy({ ...ping, edges: [{ ...ping.edges[0]!, services: [{ protocol: 'icmp', ports: { from: 0, to: 255 } }] }] }, inventory);
    const everyH1 = formatHostTable('h1', ping, every.hosts.find((h) => h.host === 'h1')!.flows);
    expect(everyH1).not.toContain('icmp_type=200');
    expect(everyH1).toMatch(/,icmp actions=conjunction/);
  });

  it('permits only the ICMP codes an edge names of its one type: a flow per code', () => {
    const codes: Policy = {
      ...policy,
      defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
      edges: [{ id: 'ping-db', from: 'web', to: 'db', services: [{ protocol: 'icmp', ports: { from: 8, to: 8 }, icmpCodes: { from: 3, to: 4 } }], action: 'allow' }],
    };
    const compiled = compilePolicy(codes, inventory);
    const h1 = formatHostTable('h1', codes, compiled.hosts.find((h) => h.host === 'h1')!.flows);
    expect(h1).toMatch(/icmp,icmp_type=8,icmp_code=3 actions=conjunction/);
    expect(h1).toMatch(/icmp,icmp_type=8,icmp_code=4 actions=conjunction/);
    expect(h1).not.toMatch(/icmp,icmp_type=8 actions=conjunction/);
    const tables = loadHostTables(compiled.hosts);
    const hostOf = addressHosts(inventory.workloads);
    const verdict = (icmpCode: number): string =>
      simulatePath(tables, { address: '10.0.1.1', host: 'h1' }, { address: '10.0.2.1', host: 'h2' }, { protocol: 'icmp', icmpType: 8, icmpCode }, 'new', { hostOf }).verdict;
    expect([2, 3, 4, 5].map(verdict)).toEqual(['dropped', 'permitted', 'permitted', 'dropped']);
  });

  it('gives each edge its own ICMP codes when two edges name one type, and every code as the type alone', () => {
    // A tester's report: services that differed only in their codes shared one list of flows.
    const edge = (id: string, from: string, icmpCodes?: { from: number; to: number }): Policy['edges'][number] => ({
      id,
      from,
      to: 'db',
      services: [{ protocol: 'icmp', ports: { from: 3, to: 3 }, ...(icmpCodes ? { icmpCodes } : {}) }],
      action: 'allow',
    });
    const both: Policy = { ...policy, defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, edges: [edge('web-db', 'web', { from: 4, to: 4 }), edge('admin-db', 'admin')] };
    // db-1's host holds both edges' ingress.
    const h2 = formatHostTable('h2', both, compilePolicy(both, inventory).hosts.find((h) => h.host === 'h2')!.flows);
    expect(h2).toMatch(/icmp,icmp_type=3,icmp_code=4 actions=conjunction/);
    expect(h2).toMatch(/icmp,icmp_type=3 actions=conjunction/);
    const every: Policy = { ...both, edges: [edge('web-db', 'web', { from: 0, to: 255 })] };
    const everyH2 = formatHostTable('h2', every, compilePolicy(every, inventory).hosts.find((h) => h.host === 'h2')!.flows);
    expect(everyH2).toMatch(/icmp,icmp_type=3 actions=conjunction/);
    expect(everyH2).not.toContain('icmp_code');
  });

  it('splits a match shared by thousands of rules over priority levels, never beyond the OpenFlow message limit', () => {
    const many: Policy = {
      ...policy,
      defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
      infrastructure: undefined,
      edges: Array.from({ length: 8000 }, (_, i) => ({ id: `e${String(i).padStart(5, '0')}`, from: 'web', to: 'db', services: [{ protocol: 'tcp' as const, ports: { from: 1000 + i, to: 1000 + i } }], action: 'allow' as const })),
    };
    const h2 = compilePolicy(many, inventory).hosts.find((h) => h.host === 'h2')!;
    const dbClause = h2.flows.filter((f) => f.table === 30 && f.match === 'ip,nw_dst=10.0.2.1' && f.actions[0]?.startsWith('conjunction'));
    expect(dbClause.length).toBe(3);
    expect(Math.max(...dbClause.map((f) => f.actions.length))).toBeLessThanOrEqual(MAX_CONJUNCTIONS_PER_FLOW);
    expect(new Set(dbClause.map((f) => f.priority)).size).toBe(3);
  });
});
