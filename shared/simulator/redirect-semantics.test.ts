import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory } from '../inventory/model';
import type { Edge, Policy } from '../policy/model';
import { mayConnect, type Party } from '../policy/reference-evaluator';
import { consequentialTies } from './ambiguity';
import { decisionsOf } from './decision';
import { addressHosts, loadHostTables, simulatePath, type PathEnd, type PathProbe, type PathResult } from './path';
import { simulatePacket } from './simulate';
import { workload } from './testing/honeypot-scenarios';

// Redirects to a honeypot, asked of the compiled tables (through the simulator) and of the
// reference semantics. hp (IPv4 only) sits on h1 with web-1; tarpit (dual stack) on h2 with db-1.

const inventory: Inventory = {
  readAt: 'x',
  workloads: [
    workload('web-1', 'h1', ['10.0.1.1', 'fd00::11'], { tier: 'web' }),
    workload('hp', 'h1', ['10.0.9.9'], { role: 'trap' }, '02:42:0a:00:09:09'),
    workload('db-1', 'h2', ['10.0.2.1', 'fd00::21'], { tier: 'db' }),
    workload('tarpit', 'h2', ['10.0.9.8', 'fd00::98'], { role: 'trap' }, '02:42:0a:00:09:08'),
  ],
};
const edge = (id: string, port: number, action: Edge['action'], redirectTo?: string): Edge => ({
  id,
  from: 'web',
  to: 'db',
  services: [{ protocol: 'tcp', ports: { from: port, to: port } }],
  action,
  ...(redirectTo ? { redirectTo } : {}),
});
const base: Policy = {
  apiVersion: 'microseg.dev/v1',
  name: 'redirects',
  revision: 1,
  defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
  groups: [
    { name: 'web', selector: { labels: 'tier=web' } },
    { name: 'db', selector: { labels: 'tier=db' } },
  ],
  edges: [
    edge('db-sql', 5432, 'allow'),
    edge('trap-ssh', 22, 'redirect', 'tarpit'),
    edge('trap-telnet', 23, 'redirect', 'hp'),
  ],
};
const hostOf = addressHosts(inventory.workloads);
const RETURNED = 'which would redirect it to the honeypot that opened it: dropped instead';

type End = PathEnd & { party: Party };
const at = (name: string, family: 4 | 6 = 4): End => {
  const w = inventory.workloads.find((x) => x.name === name)!;
  const address = w.addresses.find((a) => a.includes(':') === (family === 6))!;
  return { address, host: w.host, party: { workload: w.id, address } };
};
const outside = (address: string): End => ({ address, party: { address } });
const tcp = (dstPort: number): PathProbe => ({ protocol: 'tcp', srcPort: 40000, dstPort });

/** The tables' path and the reference's answer for one TCP connection. */
function ask(
  policy: Policy,
  from: End,
  to: End,
  port: number,
  family: 4 | 6 = 4,
  workloads: Inventory = inventory,
): { path: PathResult; tables: string; reference: string } {
  const compiled = compilePolicy(policy, workloads);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const path = simulatePath(loadHostTables(compiled.hosts), from, to, tcp(port), 'new', { hostOf });
  const answer = mayConnect(policy, workloads, {
    from: from.party,
    to: to.party,
    protocol: 'tcp',
    port,
    sourcePort: 40000,
    family,
  });
  const tables = path.verdict === 'redirected' ? `redirected to ${path.redirectedTo ?? ''}` : path.verdict;
  const reference = answer.redirectedTo
    ? `redirected to ${answer.redirectedTo}`
    : answer.allowed
      ? 'permitted'
      : 'dropped';
  return { path, tables, reference };
}

describe('redirects: tables agree with the semantics', () => {
  it('a redirect edge sends the connection to the honeypot with its MAC, then on to the honeypot host', () => {
    const ssh = ask(base, at('web-1'), at('db-1'), 22);
    expect(ssh).toMatchObject({ tables: 'redirected to 10.0.9.8', reference: 'redirected to 10.0.9.8' });
    expect(ssh.path.hops.map((h) => [h.host, h.result.verdict])).toEqual([
      ['h1', 'redirected'],
      ['h2', 'forwarded'],
    ]);
    expect(ssh.path.hops[0]!.result.ethDst).toBe('02:42:0a:00:09:08');
    const v6 = ask(base, at('web-1', 6), at('db-1', 6), 22, 6);
    expect(v6).toMatchObject({ tables: 'redirected to fd00::98', reference: 'redirected to fd00::98' });
  });

  it('names the deciding flows: the redirect edge at the source, the honeypot flow at its host', () => {
    const compiled = compilePolicy(base, inventory);
    const path = simulatePath(loadHostTables(compiled.hosts), at('web-1'), at('db-1'), tcp(22), 'new', { hostOf });
    expect(decisionsOf(path, compiled.rules).map((d) => [d.host, d.table, d.what])).toEqual([
      ['h1', 'egress', 'edge "trap-ssh"'],
      ['h2', 'ingress', 'a honeypot takes whatever reaches it'],
    ]);
  });

  it('a honeypot on the source host ends the path there', () => {
    const telnet = ask(base, at('web-1'), at('db-1'), 23);
    expect(telnet).toMatchObject({ tables: 'redirected to 10.0.9.9', reference: 'redirected to 10.0.9.9' });
    expect(telnet.path.hops.map((h) => h.host)).toEqual(['h1']);
  });

  it('leaves other services alone: the allow edge permits, the rest is dropped', () => {
    expect(ask(base, at('web-1'), at('db-1'), 5432)).toMatchObject({ tables: 'permitted', reference: 'permitted' });
    expect(ask(base, at('web-1'), at('db-1'), 24)).toMatchObject({ tables: 'dropped', reference: 'dropped' });
  });

  it('a honeypot takes what outside parties send it; workloads meet their own policy', () => {
    expect(ask(base, outside('203.0.113.9'), at('tarpit'), 80)).toMatchObject({
      tables: 'permitted',
      reference: 'permitted',
    });
    expect(ask(base, outside('203.0.113.9'), at('db-1'), 80)).toMatchObject({
      tables: 'dropped',
      reference: 'dropped',
    });
    expect(ask(base, at('web-1'), at('tarpit'), 80)).toMatchObject({ tables: 'dropped', reference: 'dropped' });
  });

  it('the redirecting default sends what no rule decides to its honeypot, from inside and outside', () => {
    const trap: Policy = {
      ...base,
      defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' },
    };
    expect(ask(trap, at('web-1'), at('db-1'), 9999)).toMatchObject({
      tables: 'redirected to 10.0.9.8',
      reference: 'redirected to 10.0.9.8',
    });
    const inbound = ask(trap, outside('203.0.113.9'), at('db-1'), 80);
    expect(inbound).toMatchObject({ tables: 'redirected to 10.0.9.8', reference: 'redirected to 10.0.9.8' });
    expect(inbound.path.hops.map((h) => h.host)).toEqual(['h2']);
    expect(ask(trap, at('web-1'), at('db-1'), 5432)).toMatchObject({ tables: 'permitted', reference: 'permitted' });
  });

  // What MS202 tells a honeypot in no group (policy/ungrouped-outcome.ts) must be what the tables do.
  it("a honeypot in no group: the default's takes connections to it and its own are dropped; an edge's meets the default", () => {
    const trap: Policy = { ...base, defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' } };
    const landsAt = (from: End, to: End): string | undefined => {
      const { path, tables, reference } = ask(trap, from, to, 9999);
      expect(tables).toBe(reference);
      return path.verdict === 'permitted' ? to.address : path.redirectedTo;
    };
    expect(landsAt(at('web-1'), at('tarpit'))).toBe('10.0.9.8');
    expect(landsAt(outside('203.0.113.9'), at('tarpit'))).toBe('10.0.9.8');
    // Never sent back to itself (the switch could not deliver that): dropped, whether the destination is on its host or not.
    for (const to of [at('db-1'), at('web-1'), outside('203.0.113.9')]) expect(landsAt(at('tarpit'), to)).toBeUndefined();
    // An edge's honeypot (hp) meets the default like any workload, but takes what is redirected to it or comes from outside.
    expect(landsAt(at('web-1'), at('hp'))).toBe('10.0.9.8');
    expect(landsAt(at('hp'), at('db-1'))).toBe('10.0.9.8');
    expect(landsAt(outside('203.0.113.9'), at('hp'))).toBe('10.0.9.9');
    expect(ask(trap, at('web-1'), at('db-1'), 23).path.redirectedTo).toBe('10.0.9.9');

    const told = compilePolicy(trap, inventory).diagnostics.filter((d) => d.code === 'MS202').map((d) => d.message);
    expect(told).toEqual([
      'workload "hp" on h1 is in no group: every new connection to or from it will go to the default honeypot, except those redirected to it and those from addresses outside the inventory, which it accepts as a honeypot does',
      'workload "tarpit" on h2 is in no group: connections to it are accepted, as a honeypot accepts whatever reaches it, but every new connection it opens that no rule permits will be dropped',
    ]);
  });

  it("drops the default honeypot's own connection in the forward table of its host, before any commit", () => {
    const trap: Policy = { ...base, defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' } };
    const compiled = compilePolicy(trap, inventory);
    const path = simulatePath(loadHostTables(compiled.hosts), at('tarpit'), at('web-1'), tcp(80), 'new', { hostOf });
    expect(path.verdict).toBe('dropped');
    expect(path.hops.map((h) => h.host)).toEqual(['h2']);
    const last = path.hops[0]!.result.steps.at(-1)!;
    expect([last.tableName, last.lookup.flow?.text, last.effects]).toEqual([
      'forward',
      'cookie=0x4d53060000000002,table=40,priority=110,reg0=0x2/0xffff,ip,nw_src=10.0.9.8 actions=drop',
      ['drop'],
    ]);
    expect(path.hops[0]!.result.steps.flatMap((s) => s.effects).some((e) => e.includes('commit'))).toBe(false);
    expect(decisionsOf(path, compiled.rules).map((d) => [d.host, d.table, d.what])).toEqual([
      ['h2', 'egress', `the default for traffic no rule decides, ${RETURNED}`],
    ]);
    const v6 = ask(trap, at('tarpit', 6), at('db-1', 6), 80, 6);
    expect(v6).toMatchObject({ tables: 'dropped', reference: 'dropped' });
  });

  it('says why a redirect to a honeypot with no address of the connection\'s family is dropped', () => {
    const compiled = compilePolicy(base, inventory);
    const telnet = simulatePath(loadHostTables(compiled.hosts), at('web-1', 6), at('db-1', 6), tcp(23), 'new', { hostOf });
    expect(telnet.verdict).toBe('dropped');
    expect(decisionsOf(telnet, compiled.rules).map((d) => [d.host, d.table, d.what])).toEqual([
      ['h1', 'egress', 'edge "trap-telnet", which would redirect it to a honeypot that has no IPv6 address: dropped instead'],
    ]);
    // tarpit has an IPv6 address: the same connection on port 22 goes there, with nothing to explain.
    const ssh = simulatePath(loadHostTables(compiled.hosts), at('web-1', 6), at('db-1', 6), tcp(22), 'new', { hostOf });
    expect(decisionsOf(ssh, compiled.rules).map((d) => d.what)).toEqual(['edge "trap-ssh"', 'a honeypot takes whatever reaches it']);
  });

  // tarpit in group db, hp in group web: what a group permits still passes; a redirect back to the sender never does.
  it('a honeypot in a group: its group and edges still apply, a redirect to itself drops, to another honeypot goes there', () => {
    const grouped: Inventory = {
      ...inventory,
      workloads: inventory.workloads.map((w) =>
        w.name === 'tarpit' ? { ...w, labels: { tier: 'db' } } : w.name === 'hp' ? { ...w, labels: { tier: 'web' } } : w,
      ),
    };
    const trap: Policy = { ...base, defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' } };
    const say = (from: End, to: End, port: number): [string, string] => {
      const { tables, reference } = ask(trap, from, to, port, 4, grouped);
      return [tables, reference];
    };
    expect(say(at('tarpit'), at('db-1'), 80)).toEqual(['permitted', 'permitted']);
    expect(say(at('tarpit'), at('web-1'), 80)).toEqual(['dropped', 'dropped']);
    // hp opens web → db telnet, which the edge "trap-telnet" would send back to hp itself.
    expect(say(at('hp'), at('db-1'), 23)).toEqual(['dropped', 'dropped']);
    expect(say(at('web-1'), at('db-1'), 23)).toEqual(['redirected to 10.0.9.9', 'redirected to 10.0.9.9']);
    expect(say(at('hp'), at('db-1'), 22)).toEqual(['redirected to 10.0.9.8', 'redirected to 10.0.9.8']);
    expect(say(at('hp'), at('db-1'), 9999)).toEqual(['redirected to 10.0.9.8', 'redirected to 10.0.9.8']);

    const compiled = compilePolicy(trap, grouped);
    const telnet = simulatePath(loadHostTables(compiled.hosts), at('hp'), at('db-1'), tcp(23), 'new', { hostOf });
    expect(decisionsOf(telnet, compiled.rules).map((d) => [d.host, d.what, d.rule?.ref.id])).toEqual([
      ['h1', `edge "trap-telnet", ${RETURNED}`, 'trap-telnet'],
    ]);
  });

  // Outside traffic enters h1 through its uplink, behind which tarpit's host sits too: NORMAL
  // would not send it back out there, so the redirect leaves by in_port, and so do later packets.
  it("sends outside traffic redirected to a honeypot behind the uplink back out through its input port", () => {
    const trap: Policy = { ...base, defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' } };
    const inbound = ask(trap, outside('203.0.113.9'), at('web-1'), 80);
    expect(inbound).toMatchObject({ tables: 'redirected to 10.0.9.8', reference: 'redirected to 10.0.9.8' });
    expect(inbound.path.hops.map((h) => [h.host, h.result.verdict])).toEqual([
      ['h1', 'redirected'],
      ['h2', 'forwarded'],
    ]);
    const h1 = inbound.path.hops[0]!.result;
    expect(h1.reason).toBe('redirected to 10.0.9.8 (MAC 02:42:0a:00:09:08) by in_port in table 40');
    expect(h1.steps.flatMap((s) => s.effects)).toContain("exec: the connection's ct_mark=0x10002/0x1ffff");
    const v6 = ask(trap, outside('2001:db8::9'), at('web-1', 6), 80, 6);
    expect(v6).toMatchObject({ tables: 'redirected to fd00::98', reference: 'redirected to fd00::98' });
    expect(v6.path.hops[0]!.result.reason).toContain('by in_port in table 40');

    const tables = loadHostTables(compilePolicy(trap, inventory).hosts).get('h1')!;
    const later = { ethType: 'ipv4' as const, src: '203.0.113.9', dst: '10.0.1.1', protocol: 'tcp' as const, srcPort: 40000, dstPort: 80 };
    const again = simulatePacket(tables, { ...later, ctMark: 0x10002 }, 'established');
    expect([again.verdict, again.ethDst, again.reason]).toEqual(['forwarded', '02:42:0a:00:09:08', 'forwarded by in_port in table 10 (MAC 02:42:0a:00:09:08)']);
  });

  it('keeps NORMAL where it delivers: a local sender to a remote honeypot, outside traffic to a local one', () => {
    const trap: Policy = { ...base, defaults: { withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: 'tarpit' } };
    // web-1's own port is not the uplink: its host redirects it in egress, without the uplink mark.
    expect(ask(trap, at('web-1'), at('db-1'), 9999).path.hops[0]!.result.reason).toBe(
      'redirected to 10.0.9.8 (MAC 02:42:0a:00:09:08) by NORMAL in table 40',
    );
    // tarpit sits on db-1's host, behind a port of its own.
    expect(ask(trap, outside('203.0.113.9'), at('db-1'), 80).path.hops[0]!.result.reason).toBe(
      'redirected to 10.0.9.8 (MAC 02:42:0a:00:09:08) by NORMAL in table 40',
    );
  });

  it('later packets of a marked connection get the honeypot MAC again; replies and unmarked ones pass as before', () => {
    const h1 = loadHostTables(compilePolicy(base, inventory).hosts).get('h1')!;
    const later = {
      ethType: 'ipv4' as const,
      src: '10.0.1.1',
      dst: '10.0.9.8',
      protocol: 'tcp' as const,
      srcPort: 40000,
      dstPort: 22,
    };
    expect(simulatePacket(h1, { ...later, ctMark: 2 }, 'established')).toMatchObject({
      verdict: 'forwarded',
      ethDst: '02:42:0a:00:09:08',
    });
    const reply = simulatePacket(h1, { ...later, src: '10.0.9.8', dst: '10.0.1.1', ctMark: 2 }, 'reply');
    expect(reply.verdict).toBe('forwarded');
    expect(reply.ethDst).toBeUndefined();
    expect(simulatePacket(h1, later, 'established').ethDst).toBeUndefined();
  });

  // Deny and reject edges sit above redirect edges, and each redirect edge has a level of its
  // own, so no two conjunctions of different outcome ever complete at one priority.
  it('a deny edge outranks a redirect edge covering the same connection, unambiguously', () => {
    const both: Policy = { ...base, edges: [...base.edges, edge('a-no-ssh', 22, 'deny')] };
    const ssh = ask(both, at('web-1'), at('db-1'), 22);
    expect(ssh.reference).toBe('dropped');
    expect(ssh.path.hops.flatMap((h) => consequentialTies(h.result))).toEqual([]);
    expect(ssh.tables).toBe('dropped');
  });

  // Table 40 drops a redirect of a family the honeypot has no address of, rather than let
  // the connection fall through to the ordinary commit and reach its real destination.
  it('an IPv6 connection redirected to a honeypot without IPv6 is dropped, never delivered', () => {
    const v6 = ask(base, at('web-1', 6), at('db-1', 6), 23, 6);
    expect(v6.reference).toBe('dropped');
    expect(v6.tables).toBe('dropped');
  });
});
