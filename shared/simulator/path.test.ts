import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory, Workload } from '../inventory/model';
import { parseInventoryFile } from '../inventory/static-file';
import { parsePolicyFile } from '../policy/policy-file';
import { addressHosts, loadHostTables, simulatePath, type PathEnd, type PathProbe } from './path';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const policy = parsePolicyFile(read('../../examples/three-tier-shop/policy.yaml'), 'policy.yaml').policy!;
const shop = parseInventoryFile(
  read('../../examples/three-tier-shop/inventory.yaml'),
  'inventory.yaml',
  '2026-01-01T00:00:00Z',
).inventory!;

// A second database member on host-a, so the isolated group has two members on two hosts.
const db2: Workload = {
  ...shop.workloads.find((w) => w.name === 'db-1')!,
  id: 'static:t/db-2',
  name: 'db-2',
  host: 'host-a',
  addresses: ['10.20.3.32'],
};
const inventory: Inventory = { ...shop, workloads: [...shop.workloads, db2] };
const tables = loadHostTables(compilePolicy(policy, inventory).hosts);

const at = (name: string): PathEnd => {
  const w = inventory.workloads.find((x) => x.name === name)!;
  return { address: w.addresses[0]!, host: w.host };
};
const tcp = (dstPort: number): PathProbe => ({ protocol: 'tcp', srcPort: 40000, dstPort });

describe('simulatePath on the three-tier shop', () => {
  it('permits web → app tcp/8080 on one host and across hosts, checked by both', () => {
    expect(simulatePath(tables, at('web-1'), at('app-1'), tcp(8080), 'new')).toMatchObject({
      verdict: 'permitted',
      hops: [{ host: 'host-a' }],
    });
    const across = simulatePath(tables, at('web-1'), at('app-2'), tcp(8080), 'new');
    expect(across.verdict).toBe('permitted');
    expect(across.hops.map((h) => [h.host, h.result.verdict])).toEqual([
      ['host-a', 'forwarded'],
      ['host-b', 'forwarded'],
    ]);
    expect(simulatePath(tables, at('web-2'), at('app-1'), tcp(8080), 'new').hops.map((h) => h.host)).toEqual([
      'host-b',
      'host-a',
    ]);
  });

  it('drops web → db tcp/5432 at the source host', () => {
    const result = simulatePath(tables, at('web-1'), at('db-1'), tcp(5432), 'new');
    expect(result.verdict).toBe('dropped');
    expect(result.hops.map((h) => h.host)).toEqual(['host-a']);
    expect(result.reason).toMatch(/^host-a: dropped by line \d+ in table 20 \(egress\)/);
  });

  it('permits app → db tcp/5432 from host-a to host-b, and nothing else to the database', () => {
    expect(simulatePath(tables, at('app-1'), at('db-1'), tcp(5432), 'new').verdict).toBe('permitted');
    expect(simulatePath(tables, at('app-1'), at('db-1'), tcp(5433), 'new').verdict).toBe('dropped');
    expect(simulatePath(tables, at('app-1'), at('db-1'), { protocol: 'udp', dstPort: 5432 }, 'new').verdict).toBe(
      'dropped',
    );
  });

  it('lets replies of permitted connections pass as established', () => {
    const reply = simulatePath(tables, at('db-1'), at('app-1'), tcp(40000), 'established');
    expect(reply).toMatchObject({ verdict: 'permitted', hops: [{ host: 'host-b' }, { host: 'host-a' }] });
    expect(simulatePath(tables, at('db-1'), at('app-1'), tcp(40000), 'new').verdict).toBe('dropped');
  });

  it('keeps the members of the isolated db group apart, but not those of app', () => {
    expect(simulatePath(tables, at('db-1'), at('db-2'), tcp(5432), 'new').verdict).toBe('dropped');
    expect(simulatePath(tables, at('db-2'), at('db-1'), tcp(5432), 'new').verdict).toBe('dropped');
    expect(simulatePath(tables, at('app-1'), at('app-2'), { protocol: 'udp', dstPort: 9999 }, 'new').verdict).toBe(
      'permitted',
    );
  });

  it('drops, at the destination host, what an outside address sends in; passes ARP', () => {
    const outside = { address: '198.51.100.7' };
    expect(simulatePath(tables, outside, at('web-2'), tcp(8080), 'new')).toMatchObject({
      verdict: 'dropped',
      hops: [{ host: 'host-b' }],
    });
    expect(simulatePath(tables, at('web-1'), at('db-1'), { ethType: 'arp' }, 'new').verdict).toBe('permitted');
    expect(simulatePath(tables, outside, { address: '198.51.100.8' }, tcp(80), 'new')).toMatchObject({
      verdict: 'permitted',
      enforced: false,
      hops: [],
    });
  });

  it('refuses ends of different address families and hosts without tables', () => {
    expect(() => simulatePath(tables, at('web-1'), { address: 'fd00::1' }, tcp(80), 'new')).toThrow(
      /different address families/,
    );
    expect(() => simulatePath(tables, { address: '10.9.9.9', host: 'host-z' }, at('web-1'), tcp(80), 'new')).toThrow(
      /host-z/,
    );
  });
});

describe('simulatePath after a redirect', () => {
  const trapped: Inventory = {
    ...inventory,
    workloads: [
      ...inventory.workloads,
      {
        ...db2,
        id: 'static:t/hp',
        name: 'hp',
        host: 'host-b',
        addresses: ['10.20.9.9'],
        labels: { role: 'trap' },
        mac: '02:42:0a:14:09:09',
      },
    ],
  };
  const redirect = {
    ...policy,
    defaults: { ...policy.defaults, betweenGroups: 'redirect' as const, redirectTo: 'hp' },
  };
  const trapTables = loadHostTables(compilePolicy(redirect, trapped).hosts);

  it('follows the packet to the honeypot host when told where addresses live', () => {
    const result = simulatePath(trapTables, at('web-1'), at('db-2'), tcp(5432), 'new', {
      hostOf: addressHosts(trapped.workloads),
    });
    expect(result).toMatchObject({ verdict: 'redirected', redirectedTo: '10.20.9.9' });
    expect(result.hops.map((h) => [h.host, h.result.verdict])).toEqual([
      ['host-a', 'redirected'],
      ['host-b', 'forwarded'],
    ]);
    expect(result.reason).toMatch(
      /^host-a: redirected to 10\.20\.9\.9 \(MAC 02:42:0a:14:09:09\) by NORMAL in table 40; host-b: forwarded/,
    );
  });

  it('sends later packets of a redirected connection to the honeypot, as conntrack would', () => {
    const later = simulatePath(trapTables, at('web-1'), at('db-2'), tcp(5432), 'established', {
      hostOf: addressHosts(trapped.workloads),
    });
    expect(later).toMatchObject({ verdict: 'redirected', redirectedTo: '10.20.9.9' });
    expect(later.hops.map((h) => [h.host, h.result.verdict, h.result.ethDst])).toEqual([
      ['host-a', 'redirected', '02:42:0a:14:09:09'],
      ['host-b', 'forwarded', undefined],
    ]);
    expect(later.hops[0]!.result.steps[0]!.effects[0]).toMatch(/rewrites the destination to 10\.20\.9\.9/);
  });

  it('says when a later packet belongs to no connection the policy lets open', () => {
    const later = simulatePath(tables, at('web-1'), at('db-1'), tcp(5432), 'established');
    expect(later.verdict).toBe('permitted');
    expect(later.reason).toMatch(/no connection in this direction opens under this policy \(its first packet is dropped: host-a: dropped/);
    expect(simulatePath(tables, at('web-1'), at('app-1'), tcp(8080), 'established').reason).toBe('forwarded by host-a');
    // A tester's report: an echo reply's later packet was said to belong to no connection that opens, as its own first packet is invalid.
    const echoReply = simulatePath(tables, at('app-1'), at('web-1'), { protocol: 'icmp', icmpType: 0 }, 'established');
    expect(echoReply.verdict).toBe('permitted');
    expect(echoReply.reason).toBe('forwarded by host-a; an ICMP reply or error opens no connection: it passes as part of the one it belongs to (the request it answers, or the connection an error is about)');
  });

  it('ends at the redirecting switch without a host map, and keys of any spelling match', () => {
    expect(simulatePath(trapTables, at('web-1'), at('db-2'), tcp(5432), 'new').hops.map((h) => h.host)).toEqual([
      'host-a',
    ]);
    const spelled = new Map([
      ['10.20.009.9', 'host-b'],
      ['::ffff:0:0', 'nowhere'],
    ]);
    expect(addressHosts([{ host: 'x', addresses: ['fd00::0:1', 'not an address'] }])).toEqual(
      new Map([['fd00::1', 'x']]),
    );
    const followed = simulatePath(trapTables, at('web-1'), at('db-2'), tcp(5432), 'new', { hostOf: spelled });
    expect(followed.hops.map((h) => h.host)).toEqual(['host-a', 'host-b']);
  });
});
