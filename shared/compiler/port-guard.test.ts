import { describe, expect, it } from 'vitest';
import { changeImpact } from '../analysis/impact';
import { reachabilityMatrix } from '../analysis/matrix';
import { allGroupCells } from '../analysis/testing/matrix-cells';
import type { Inventory, Workload } from '../inventory/model';
import type { Policy } from '../policy/model';
import { decisionsOf } from '../simulator/decision';
import type { Packet } from '../simulator/packet';
import { addressHosts, loadHostTables, simulatePath, type PathEnd, type PathProbe } from '../simulator/path';
import { simulatePacket } from '../simulator/simulate';
import { VerdictEngine } from '../simulator/verdict-engine';
import { compilePolicy } from './compile';
import { formatHostTable } from './table-text';

const policy: Policy = {
  apiVersion: 'microseg.dev/v1',
  name: 'guarded',
  revision: 1,
  defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
  infrastructure: { dhcp: true, dnsResolvers: [] },
  groups: [
    { name: 'web', selector: { labels: 'tier=web' } },
    { name: 'db', selector: { labels: 'tier=db' } },
  ],
  edges: [{ id: 'web-db', from: 'web', to: 'db', services: [{ protocol: 'tcp', ports: { from: 5432, to: 5432 } }], action: 'allow' }],
};

const workload = (name: string, host: string, addresses: string[], tier: string, switchPort?: string): Workload => ({
  id: `static:t/${name}`,
  name,
  host,
  addresses,
  labels: { tier },
  ...(switchPort ? { switchPort } : {}),
  origin: { kind: 'static', source: 't' },
});

const guarded: Inventory = {
  readAt: 'x',
  workloads: [
    workload('web1', 'h1', ['10.0.0.1', 'fd00::1'], 'web', 'veth-web1'),
    workload('web2', 'h1', ['10.0.0.2'], 'web'),
    workload('db1', 'h2', ['10.0.0.3', 'fd00::3'], 'db', 'veth-db1'),
  ],
};
const unguarded: Inventory = {
  ...guarded,
  workloads: guarded.workloads.map((w) => {
    const copy = { ...w };
    delete copy.switchPort;
    return copy;
  }),
};

const compiled = compilePolicy(policy, guarded);
const tables = loadHostTables(compiled.hosts);
const hostOf = addressHosts(guarded.workloads);
const text = (host: string): string => formatHostTable(host, policy, compiled.hosts.find((h) => h.host === host)!.flows);

const web1: PathEnd = { address: '10.0.0.1', host: 'h1', port: 'veth-web1' };
const db1: PathEnd = { address: '10.0.0.3', host: 'h2', port: 'veth-db1' };
const postgres: PathProbe = { protocol: 'tcp', srcPort: 40000, dstPort: 5432 };
const path = (from: PathEnd, to: PathEnd, probe = postgres) => simulatePath(tables, from, to, probe, 'new', { hostOf });
const onH1 = (packet: Packet) => simulatePacket(tables.get('h1')!, packet, 'new');
const GUARD_COOKIE = '0x4d53070000000000';
/** The cookie of the flow that dropped the packet, so a guard's drop is told from the policy's. */
const droppedBy = (result: ReturnType<typeof onH1>) => (result.verdict === 'dropped' ? result.steps.at(-1)?.lookup.flow?.cookie : result.verdict);

describe('the spoof guard of switch ports the inventory names', () => {
  it('lets a port send from its own addresses only, on its own host', () => {
    const h1 = text('h1');
    expect(h1).toContain('priority=300,in_port=veth-web1,ip,nw_src=10.0.0.1 actions=ct(table=10)');
    expect(h1).toContain('priority=300,in_port=veth-web1,ipv6,ipv6_src=fd00::1 actions=ct(table=10)');
    expect(h1).toContain('priority=300,in_port=veth-web1,arp,arp_spa=10.0.0.1 actions=NORMAL');
    expect(h1).toContain("cookie=0x4d53070000000000,table=0,priority=290,in_port=veth-web1 actions=drop");
    // web2 has no known port, and db1's port is on h2.
    expect(h1).not.toContain('10.0.0.2 actions=ct(table=10)');
    expect(h1).not.toContain('veth-db1');
    expect(text('h2')).toContain('in_port=veth-db1,ip,nw_src=10.0.0.3 ');
  });

  it('changes nothing for what a workload sends from its own address', () => {
    expect(path(web1, db1).verdict).toBe('permitted');
    expect(path({ ...web1, port: undefined }, db1).verdict).toBe('permitted');
    expect(path(db1, web1).verdict).toBe('dropped');
    // ARP, an ARP probe, a DHCP request and neighbour discovery from the port pass as before.
    expect(onH1({ inPort: 'veth-web1', ethType: 'arp', src: '10.0.0.1', dst: '10.0.0.2' }).verdict).toBe('forwarded');
    expect(onH1({ inPort: 'veth-web1', ethType: 'arp', src: '0.0.0.0', dst: '10.0.0.1' }).verdict).toBe('forwarded');
    expect(onH1({ inPort: 'veth-web1', ethType: 'ipv4', src: '0.0.0.0', dst: '255.255.255.255', protocol: 'udp', srcPort: 68, dstPort: 67 }).verdict).toBe('forwarded');
    expect(onH1({ inPort: 'veth-web1', ethType: 'ipv6', src: 'fe80::1', dst: 'ff02::1:ff00:2', protocol: 'icmp', icmpType: 135 }).verdict).toBe('forwarded');
  });

  it('passes DHCPv6 from a link-local address, a server\'s answer from its own addresses too, and nothing else on those ports', () => {
    const dhcpv6 = (src: string, srcPort: number, dstPort: number) => onH1({ inPort: 'veth-web1', ethType: 'ipv6', src, dst: 'ff02::1:2', protocol: 'udp', srcPort, dstPort });
    expect(dhcpv6('fe80::1', 546, 547).verdict).toBe('forwarded');
    expect(dhcpv6('fe80::1', 547, 546).verdict).toBe('forwarded');
    expect(dhcpv6('fd00::1', 547, 546).verdict).toBe('forwarded');
    // From another's address the guard drops it, a server's answer or not.
    expect(droppedBy(dhcpv6('fd00::3', 547, 546))).toBe(GUARD_COOKIE);
    // A link-local address speaks DHCPv6 only: other UDP from it drops.
    expect(droppedBy(dhcpv6('fe80::1', 40000, 547))).toBe(GUARD_COOKIE);
    // Without guards the classify table passes it ahead of the policy, as it does DHCP: web1 as a
    // server, asked at its own address and answering from it, which the policy's rules would drop.
    const unguardedH1 = loadHostTables(compilePolicy(policy, unguarded).hosts).get('h1')!;
    const plain = (src: string, dst: string, srcPort: number, dstPort: number) => simulatePacket(unguardedH1, { ethType: 'ipv6', src, dst, protocol: 'udp', srcPort, dstPort }, 'new').verdict;
    expect(plain('fe80::9', 'fd00::1', 546, 547)).toBe('forwarded');
    expect(plain('fd00::1', 'fe80::9', 547, 546)).toBe('forwarded');
    expect(plain('fd00::1', 'fe80::9', 547, 5000)).toBe('dropped');
    // Without DHCP in the policy, the classify table drops the exchange as any other unmatched traffic.
    const off = compilePolicy({ ...policy, infrastructure: { dhcp: false, dnsResolvers: [] } }, guarded);
    const offH1 = loadHostTables(off.hosts).get('h1')!;
    expect(simulatePacket(offH1, { inPort: 'veth-web1', ethType: 'ipv6', src: 'fe80::1', dst: 'ff02::1:2', protocol: 'udp', srcPort: 546, dstPort: 547 }, 'new').verdict).toBe('dropped');
  });

  it('drops what comes in on the port from another address, and says why', () => {
    // As web2, whom web-db permits too, and as an outside address, which no rule would check at all.
    for (const forged of ['10.0.0.2', '203.0.113.9']) {
      const result = path({ address: forged, host: 'h1', port: 'veth-web1' }, db1);
      expect(result.verdict, forged).toBe('dropped');
      expect(result.hops.map((h) => h.host)).toEqual(['h1']);
      expect(decisionsOf(result, compiled.rules)[0]?.what).toMatch(/^the spoof guard of switch port veth-web1: the packet came in there with a source address that belongs to none/);
    }
    expect(path({ address: '10.0.0.2', host: 'h1' }, db1).verdict).toBe('permitted');
    expect(onH1({ inPort: 'veth-web1', ethType: 'arp', src: '10.0.0.2', dst: '10.0.0.3' }).verdict).toBe('dropped');
    expect(onH1({ inPort: 'veth-web1', ethType: 'ipv4', src: '10.0.0.2', dst: '255.255.255.255', protocol: 'udp', srcPort: 67, dstPort: 68 }).verdict).toBe('dropped');
  });

  it('binds neighbour discovery to the port: solicitations by their source, advertisements by their target', () => {
    const nd = (src: string, icmpType: number, ndTarget?: string): Packet => ({ inPort: 'veth-web1', ethType: 'ipv6', src, dst: 'ff02::1', protocol: 'icmp', icmpType, ...(ndTarget ? { ndTarget } : {}) });
    // Its own, link-local and unspecified (duplicate address detection) sources solicit; it advertises its own addresses;
    // a router advertisement from its own address passes as without the guard (its neighbours ignore one not from link-local).
    for (const passing of [nd('fd00::1', 135, 'fd00::3'), nd('fe80::1', 135, 'fd00::3'), nd('::', 135, 'fd00::1'), nd('fe80::1', 133), nd('fd00::1', 136, 'fd00::1'), nd('fe80::1', 136, 'fe80::1'), nd('fe80::1', 136, 'fd00::1'), nd('fd00::1', 134)])
      expect(onH1(passing).verdict, JSON.stringify(passing)).toBe('forwarded');
    // Soliciting as db1 would teach neighbours a wrong link-layer address; advertising db1's address takes its traffic; so would advertising itself as the router.
    for (const forged of [nd('fd00::3', 135, 'fd00::1'), nd('fd00::3', 133), nd('fe80::1', 136, 'fd00::3'), nd('fd00::1', 136, 'fd00::3'), nd('fd00::3', 136), { ...nd('fd00::3', 136), icmpCode: 1 }, nd('fe80::1', 134), nd('fe80::1', 137)])
      expect(droppedBy(onH1(forged)), JSON.stringify(forged)).toBe(GUARD_COOKIE);
    // An advertisement of another code than 0 names no target Open vSwitch reads, and receivers
    // discard it: from the port's own or link-local address it passes, as neighbour discovery
    // does without the guard (the reference semantics: types 133-136 pass, whatever the code).
    for (const icmpCode of [1, 4]) for (const src of ['fe80::1', 'fd00::1']) expect(onH1({ ...nd(src, 136, 'fd00::3'), icmpCode }).verdict, `${src} code ${icmpCode}`).toBe('forwarded');
    // Unless the packet names one, a solicitation asks about its destination and an advertisement claims its source.
    expect(onH1(nd('fd00::1', 136)).verdict).toBe('forwarded');
    // Without a guard, neighbour discovery passes from anywhere, as before.
    expect(onH1({ ...nd('fe80::1', 136, 'fd00::3'), inPort: 'veth-other' }).verdict).toBe('forwarded');
  });

  it('leaves the verdict engine and the matrix as they are without it', () => {
    const engine = new VerdictEngine(tables, { hostOf });
    const ends: PathEnd[] = guarded.workloads.map((w) => ({ address: w.addresses[0]!, host: w.host, ...(w.switchPort ? { port: w.switchPort } : {}) }));
    for (const from of ends)
      for (const to of ends) if (from !== to) expect(engine.verdict(from, to, postgres).verdict, `${from.address} → ${to.address}`).toBe(path(from, to).verdict);
    const withoutPorts = loadHostTables(compilePolicy(policy, unguarded).hosts);
    const cells = (inventory: Inventory, t: typeof tables) => allGroupCells(reachabilityMatrix(policy, inventory, t));
    expect(cells(guarded, tables)).toEqual(cells(unguarded, withoutPorts));
  });

  it('leaves the impact of a change as it is without it', () => {
    const widened: Policy = { ...policy, edges: [{ ...policy.edges[0]!, services: [{ protocol: 'tcp', ports: { from: 5432, to: 5433 } }] }] };
    const impact = (inventory: Inventory) => {
      const side = (p: Policy) => ({ policy: p, tables: loadHostTables(compilePolicy(p, inventory).hosts) });
      return changeImpact(side(policy), side(widened), inventory).entries;
    };
    expect(impact(guarded).length).toBeGreaterThan(0);
    expect(impact(guarded)).toEqual(impact(unguarded));
  });

  it('binds a link-local address the inventory lists as any other, and lets neighbour discovery alone speak from one it does not', () => {
    const linkLocal: Inventory = { readAt: 'x', workloads: [workload('web1', 'h1', ['169.254.7.1', 'fd00::1', 'fe80::7'], 'web', 'veth-web1'), workload('web2', 'h1', ['169.254.7.2', 'fe80::2'], 'web')] };
    const onGuarded = (packet: Packet) => simulatePacket(loadHostTables(compilePolicy(policy, linkLocal).hosts).get('h1')!, { inPort: 'veth-web1', ...packet }, 'new');
    const ping = (src: string, dst: string): Packet => ({ ethType: src.includes(':') ? 'ipv6' : 'ipv4', src, dst, protocol: 'icmp', icmpType: src.includes(':') ? 128 : 8 });
    const arp = (src: string, dst: string): Packet => ({ ethType: 'arp', src, dst });
    // Listed: its own, as IP and as ARP sender.
    for (const own of [ping('169.254.7.1', '169.254.7.2'), arp('169.254.7.1', '169.254.7.2'), ping('fe80::7', 'fe80::2')]) expect(onGuarded(own).verdict, JSON.stringify(own)).toBe('forwarded');
    // Not listed for the port (web2's, or no one's): dropped, IP and ARP, as any address not the port's.
    for (const other of [ping('169.254.7.2', '169.254.7.1'), arp('169.254.7.9', '169.254.7.1'), ping('fe80::2', 'fe80::7'), ping('fe80::9', 'fe80::2')]) expect(droppedBy(onGuarded(other)), JSON.stringify(other)).toBe(GUARD_COOKIE);
    // Neighbour discovery alone speaks from, and advertises, any link-local address: the guard cannot tell the port's own.
    expect(onGuarded({ ethType: 'ipv6', src: 'fe80::9', dst: 'ff02::1', protocol: 'icmp', icmpType: 136, ndTarget: 'fe80::2' }).verdict).toBe('forwarded');
  });

  it("drops a router's messages from a link-local address the inventory lists as the port's own, as from any link-local one", () => {
    const listed: Inventory = { readAt: 'x', workloads: [workload('web1', 'h1', ['fd00::1', 'fe80::7'], 'web', 'veth-web1')] };
    const monitored = compilePolicy({ ...policy, defaults: { ...policy.defaults, betweenGroups: 'monitor' } }, listed);
    const hosts = loadHostTables(monitored.hosts);
    const table = hosts.get('h1')!;
    for (const icmpType of [134, 137]) {
      const sent: Packet = { inPort: 'veth-web1', ethType: 'ipv6', src: 'fe80::7', dst: 'ff02::1', protocol: 'icmp', icmpType };
      expect(droppedBy(simulatePacket(table, sent, 'new')), `type ${icmpType}`).toBe(GUARD_COOKIE);
      const traced = simulatePath(hosts, { address: 'fe80::7', host: 'h1', port: 'veth-web1' }, { address: 'ff02::1' }, { protocol: 'icmp', icmpType }, 'new');
      expect(decisionsOf(traced, monitored.rules)[0]?.what).toBe("the spoof guard of switch port veth-web1: neighbour discovery that its workloads may not send there (an advertisement of another's address, or a router's message)");
    }
    // From its own global address a router advertisement still passes as without the guard: no neighbour takes it.
    expect(simulatePacket(table, { inPort: 'veth-web1', ethType: 'ipv6', src: 'fd00::1', dst: 'ff02::1', protocol: 'icmp', icmpType: 134 }, 'new').verdict).toBe('forwarded');
  });
});
