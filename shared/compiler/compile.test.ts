import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInventoryFile } from '../inventory/static-file';
import type { Inventory } from '../inventory/model';
import { parsePolicyFile } from '../policy/policy-file';
import type { Policy } from '../policy/model';
import { compilePolicy } from './compile';
import { OUR_COOKIE, OUR_COOKIE_MASK } from './pipeline';
import { formatDeployBundle, formatHostTable } from './table-text';

/** Every host's printed table, for assertions on flow text. */
function texts(policy: Policy, inventory: Inventory): string[] {
  return compilePolicy(policy, inventory).hosts.map((h) => formatHostTable(h.host, policy, h.flows));
}

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const shopPolicy = parsePolicyFile(read('../../examples/three-tier-shop/policy.yaml'), 'policy.yaml').policy!;
const shopInventory = parseInventoryFile(read('../../examples/three-tier-shop/inventory.yaml'), 'inventory.yaml', '2026-01-01T00:00:00Z').inventory!;

/** Compares with the checked-in golden text; UPDATE_GOLDEN=1 rewrites it after a deliberate change. */
function expectGolden(name: string, text: string): void {
  const url = new URL(`./golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN) writeFileSync(url, text);
  expect(text).toBe(readFileSync(url, 'utf8'));
}

function workload(name: string, host: string, address: string, labels: Record<string, string>): Inventory['workloads'][number] {
  return { id: `static:t/${name}`, name, host, addresses: [address], labels, origin: { kind: 'static', source: 't' } };
}

describe('compilePolicy', () => {
  it('compiles the three-tier shop to the golden tables', () => {
    const result = compilePolicy(shopPolicy, shopInventory);
    expect(result.hosts.map((h) => h.host)).toEqual(['host-a', 'host-b']);
    for (const host of result.hosts) expectGolden(`three-tier-shop.${host.host}.flows`, formatHostTable(host.host, shopPolicy, host.flows));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MS202']);
  });

  it('marks every flow with our cookie and turns the deploy into delete-ours then add', () => {
    const [hostA] = compilePolicy(shopPolicy, shopInventory).hosts;
    expect(hostA!.flows.every((f) => f.cookie.startsWith('0x4d53'))).toBe(true);
    const bundle = formatDeployBundle(hostA!.flows).split('\n');
    expect(bundle[0]).toBe('delete cookie=0x4d53000000000000/0xffff000000000000');
    expect(bundle.slice(1, -1).every((l) => l.startsWith('add cookie=0x4d53'))).toBe(true);
  });

  it('gives each host only the rules of its own workloads', () => {
    const hostA = texts(shopPolicy, shopInventory)[0]!;
    // db-1 lives on host-b: host-a only needs it as a destination of app-1's egress.
    expect(hostA).not.toContain('nw_dst=10.20.3.31 actions=drop');
    expect(hostA).toContain('nw_dst=10.20.3.31 actions=conjunction(3,2/3)');
  });

  it('permits traffic within a group but not within an isolated one', () => {
    const text = texts(shopPolicy, shopInventory).join('\n');
    expect(text).toContain('conj_id=1 '); // app (within-group)
    expect(text).not.toMatch(/cookie=0x4d5301\w+,table=\d+,priority=100,conj_id=\d+ actions=goto_table:\d+\n.*nw_src=10\.20\.3\.31/);
    const db = compilePolicy({ ...shopPolicy, groups: shopPolicy.groups.map((g) => ({ ...g, isolated: false })) }, shopInventory);
    expect(db.rules.filter((r) => r.kind === 'within-group').map((r) => r.ref.id)).toEqual(['app', 'db', 'web']);
  });

  it('returns no tables for a policy with errors', () => {
    const broken: Policy = { ...shopPolicy, edges: [...shopPolicy.edges, { id: 'x', from: 'web', to: 'nowhere', services: [{ protocol: 'any' }], action: 'allow' }] };
    const result = compilePolicy(broken, shopInventory);
    expect(result.hosts).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ code: 'MS112', location: { element: { kind: 'edge', id: 'x' } } });
  });

  it('compiles port ranges and IPv6 addresses', () => {
    const policy: Policy = {
      ...shopPolicy,
      groups: [
        { name: 'a', selector: { labels: 'role=a' } },
        { name: 'b', selector: { labels: 'role=b' } },
      ],
      edges: [{ id: 'a-to-b', from: 'a', to: 'b', services: [{ protocol: 'udp', ports: { from: 80, to: 103 } }], action: 'allow' }],
    };
    const inventory: Inventory = {
      readAt: 'x',
      workloads: [workload('a1', 'h', 'fd00::a1', { role: 'a' }), workload('b1', 'h', '10.0.0.2', { role: 'b' })],
    };
    const text = texts(policy, inventory)[0]!;
    expect(text).toContain('priority=1000,ipv6,ipv6_src=fd00::a1 actions=conjunction(3,1/3)');
    expect(text).toContain('priority=700,ipv6,ipv6_src=fd00::a1 actions=conjunction(1,1/2)');
    expect(text).toContain('udp,tp_dst=0x50/0xfff0 actions=conjunction(3,3/3)');
    expect(text).toContain('udp6,tp_dst=0x60/0xfff8 actions=conjunction(3,3/3)');
    expect(text).toContain('icmp6,icmp_type=135 actions=NORMAL');
  });

  it('gives pending workloads (no host, or no address) no table and no part in any rule', () => {
    const pending = (name: string, host: string, addresses: string[]): Inventory['workloads'][number] => ({ ...workload(name, host, '', { tier: 'web' }), addresses });
    const withPending: Inventory = {
      ...shopInventory,
      workloads: [...shopInventory.workloads, pending('unscheduled', '', []), pending('starting', 'host-c', []), pending('no-node', '', ['10.20.1.99'])],
    };
    const result = compilePolicy(shopPolicy, withPending);

    expect(result.hosts.map((h) => h.host)).toEqual(['host-a', 'host-b']);
    expect(texts(shopPolicy, withPending)).toEqual(texts(shopPolicy, shopInventory));
    expect(result.diagnostics.filter((d) => d.code !== 'MS202').map((d) => [d.code, d.message.split('"')[1]])).toEqual([
      ['MS203', 'starting'],
      ['MS203', 'unscheduled'],
      ['MS204', 'no-node'],
    ]);
  });

  it('is deterministic whatever the order of groups, edges and workloads (property)', () => {
    const expected = texts(shopPolicy, shopInventory);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(shopPolicy.groups, { minLength: 3, maxLength: 3 }),
        fc.shuffledSubarray(shopPolicy.edges, { minLength: 2, maxLength: 2 }),
        fc.shuffledSubarray(shopInventory.workloads, { minLength: 6, maxLength: 6 }),
        (groups, edges, workloads) => {
          expect(texts({ ...shopPolicy, groups, edges }, { ...shopInventory, workloads })).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('names that reach flow files', () => {
  it('a policy name with a line break is an error, and printing never lets it out of its comment', () => {
    const sneaky: Policy = { ...shopPolicy, name: 'shop\ntable=0,priority=65535,ip actions=NORMAL' };
    expect(compilePolicy(sneaky, shopInventory).diagnostics[0]).toMatchObject({ code: 'MS100', location: { path: 'metadata.name' } });
    const printed = formatHostTable('host-a', sneaky, compilePolicy(shopPolicy, shopInventory).hosts[0]!.flows);
    expect(printed.split('\n').filter((l) => l.includes('priority=65535'))).toEqual([expect.stringMatching(/^# policy/)]);
  });

  it('a policy name with quotes and backslashes is written escaped, so its comment reads back as the name', () => {
    const quoted: Policy = { ...shopPolicy, name: 'Bob\'s "shop" \\ v2" revision 99' };
    const header = formatHostTable('host-a', quoted, []).split('\n')[1]!;
    expect(header).toBe(`# policy "Bob's \\"shop\\" \\\\ v2\\" revision 99" revision ${shopPolicy.revision}; 0 flows, all with cookie ${OUR_COOKIE}/${OUR_COOKIE_MASK}`);
    expect(JSON.parse(/^# policy (".*") revision \d+;/.exec(header)![1]!)).toBe(quoted.name);
  });
});

describe('large inputs', () => {
  it('returns more than 100,000 diagnostics without overflowing the call stack', () => {
    const workloads = Array.from({ length: 130_000 }, (_, i) => ({ id: `static:t/w${i}`, name: `w${i}`, host: 'host-a', addresses: [], labels: {}, origin: { kind: 'static' as const, source: 't' } }));
    const compiled = compilePolicy(shopPolicy, { readAt: 'x', workloads });
    expect(compiled.diagnostics.filter((d) => d.code === 'MS203')).toHaveLength(130_000);
  }, 60_000);
});
