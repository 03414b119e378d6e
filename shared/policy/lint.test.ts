import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Workload } from '../inventory/model';
import { inventoryFromRows, parseInventoryFile, type InventoryRow } from '../inventory/static-file';
import { lintPolicy } from './lint';
import { resolveMembership } from './membership';
import type { Edge, Group, Policy } from './model';
import { parsePolicyFile } from './policy-file';
import { decisionsOf } from '../simulator/decision';
import { addressHosts, loadHostTables, simulatePath } from '../simulator/path';
import { ALL_OUTSIDE, pathProbeOf, scenarioArbitrary, type Scenario } from '../simulator/testing/random-scenario';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const shop = parsePolicyFile(read('../../examples/three-tier-shop/policy.yaml'), 'policy.yaml').policy!;
const inventory = parseInventoryFile(read('../../examples/three-tier-shop/inventory.yaml'), 'inventory.yaml', 'x').inventory!;

function lint(groups: Group[] = [], edges: Edge[] = []): { code: string; id?: string }[] {
  const policy: Policy = { ...shop, groups: [...shop.groups, ...groups], edges: [...shop.edges, ...edges] };
  return lintPolicy(policy, resolveMembership(policy, inventory.workloads), inventory.workloads).map((d) => ({ code: d.code, id: d.location?.element?.id }));
}

const withEdges = (...edges: Edge[]): Policy => ({ ...shop, edges: [...shop.edges, ...edges] });
const shopMembership = (): ReturnType<typeof resolveMembership> => resolveMembership(shop, inventory.workloads);

const tcp = (id: string, from: string, to: string, ports: [number, number], action: Edge['action'] = 'allow'): Edge => ({
  id,
  from,
  to,
  services: [{ protocol: 'tcp', ports: { from: ports[0], to: ports[1] } }],
  action,
});

describe('lintPolicy', () => {
  it('flags only the workload in no group on the bundled example', () => {
    expect(lint()).toEqual([{ code: 'MS202', id: undefined }]);
  });

  // A newcomer's defect: a compile with no workloads said "0 flows on 0 hosts" and "No problems.", and nothing to do.
  it('says what to do when no host gets a table: open a source with workloads, add groups when there are none', () => {
    const said = (policy: Policy, workloads: Workload[]): string[] => lintPolicy(policy, resolveMembership(policy, workloads), workloads).filter((d) => d.code === 'MS207').map((d) => d.message);
    const empty: Policy = { ...shop, groups: [], edges: [] };
    expect(said(empty, [])).toEqual([
      'the inventory has no workloads, so no host gets a flow table and there is nothing to deploy: open an inventory source with workloads (a file, Docker or Kubernetes; microseg reads one with --inventory), add groups that select them and compile again',
    ]);
    expect(said(shop, [])).toEqual([
      'the inventory has no workloads, so no host gets a flow table and there is nothing to deploy: open an inventory source with workloads (a file, Docker or Kubernetes; microseg reads one with --inventory) and compile again',
    ]);
    const unplaced = inventory.workloads.slice(0, 2).map((w) => ({ ...w, host: '' }));
    expect(said(shop, unplaced)).toEqual([
      "none of the inventory's 2 workloads has both a host and an address (MS203, MS204), so no host gets a flow table and there is nothing to deploy: compile again once they are placed on hosts",
    ]);
    expect(said(empty, inventory.workloads)).toEqual([]);
  });

  it('finds an allow edge that a deny edge covers entirely, and not one it covers in part', () => {
    expect(lint([], [tcp('no-web-app', 'web', 'app', [8000, 8100], 'deny')])).toContainEqual({ code: 'MS401', id: 'web-to-app' });
    expect(lint([], [tcp('no-web-app', 'web', 'app', [8081, 8100], 'deny')]).map((d) => d.code)).not.toContain('MS401');
  });

  it('reads ICMP codes when it asks whether a blocking edge covers an allow edge', () => {
    const icmp = (id: string, type: number, codes: [number, number] | null, action: Edge['action']): Edge => ({
      id,
      from: 'web',
      to: 'app',
      services: [{ protocol: 'icmp', ports: { from: type, to: type }, ...(codes ? { icmpCodes: { from: codes[0], to: codes[1] } } : {}) }],
      action,
    });
    const shadowed = (...edges: Edge[]): boolean => lint([], edges).some((d) => d.code === 'MS401' && d.id === 'ping-app');
    // Denying one code of type 3 leaves the others open: every code was not covered.
    expect(shadowed(icmp('ping-app', 3, null, 'allow'), icmp('no-frag', 3, [4, 4], 'deny'))).toBe(false);
    expect(shadowed(icmp('ping-app', 3, [4, 4], 'allow'), icmp('no-unreach', 3, null, 'deny'))).toBe(true);
    expect(shadowed(icmp('ping-app', 3, [4, 4], 'allow'), icmp('no-frag', 3, [0, 4], 'deny'))).toBe(true);
    // Every code of a type is the type.
    expect(shadowed(icmp('ping-app', 3, null, 'allow'), icmp('no-unreach', 3, [0, 255], 'deny'))).toBe(true);
  });

  it('says of an ICMP service naming only replies and errors that it opens nothing (MS409), not of one naming a request', () => {
    const icmp = (text: string): Edge => {
      const [type, codes] = text.split('/').map((part) => part.split('-').map(Number));
      return { id: 'icmp-app', from: 'web', to: 'app', services: [{ protocol: 'icmp', ports: { from: type![0]!, to: type![1] ?? type![0]! }, ...(codes ? { icmpCodes: { from: codes[0]!, to: codes[1] ?? codes[0]! } } : {}) }], action: 'allow' };
    };
    const warned = (text: string): boolean => lint([], [icmp(text)]).some((d) => d.code === 'MS409');
    expect(['3/4', '0', '3-7', '129', '133-136'].map(warned)).toEqual([true, true, true, true, true]);
    expect(['8', '8/0', '0-8', '13', '128', '100-200'].map(warned)).toEqual([false, false, false, false, false, false]);
    expect(lint([], [{ ...icmp('8'), services: [{ protocol: 'icmp' }] }]).map((d) => d.code)).not.toContain('MS409');
  });

  it('finds an edge covered by a blocking edge from a wider group, and only from one that holds all its sources', () => {
    const shop: Group = { name: 'shop', selector: { labels: 'app=shop' } };
    const web1: Group = { name: 'web-1', selector: { labels: 'tier=web', host: 'host-a' } };
    expect(lint([shop], [tcp('no-shop-app', 'shop', 'app', [8080, 8080], 'reject')])).toContainEqual({ code: 'MS401', id: 'web-to-app' });
    expect(lint([web1], [tcp('no-web1-app', 'web-1', 'app', [8080, 8080], 'deny')]).map((d) => d.code)).not.toContain('MS401');
  });

  it('finds an edge from address blocks alone covered by a blocking edge from wider blocks', () => {
    const office: Group = { name: 'office', selector: { cidrs: ['192.168.1.0/24'] } };
    const lan: Group = { name: 'lan', selector: { cidrs: ['192.168.0.0/16'] } };
    const codes = lint([office, lan], [tcp('office-to-web', 'office', 'web', [443, 443]), tcp('no-lan-web', 'lan', 'web', [1, 65535], 'deny')]);
    expect(codes).toContainEqual({ code: 'MS401', id: 'office-to-web' });
  });

  // A block holds a workload's addresses inside it, not the workload: its other addresses stay
  // outside, so the allow edge still decides for them (MS401 would have the user delete it).
  it('does not call an edge covered by a blocking edge from a block that holds only some addresses of its sources or destinations', () => {
    const dualHomed = inventory.workloads.map((w) => (w.name === 'web-1' || w.name === 'app-1' ? { ...w, addresses: [...w.addresses, w.addresses[0]!.replace(/^10\.20/, '10.30')] } : w));
    const codesWith = (block: Group, deny: Edge): string[] => {
      const policy = withEdges(deny);
      policy.groups = [...policy.groups, block];
      return lintPolicy(policy, resolveMembership(policy, dualHomed), dualHomed).filter((d) => d.location?.element?.id === 'web-to-app').map((d) => d.code);
    };
    const oldWeb: Group = { name: 'old-web', selector: { cidrs: ['10.20.1.0/24'] } };
    const oldApp: Group = { name: 'old-app', selector: { cidrs: ['10.20.2.0/24'] } };
    const web2: Group = { name: 'web-2-net', selector: { cidrs: ['10.20.1.12/32', '10.30.1.11/32', '10.20.1.11/32'] } };
    expect(codesWith(oldWeb, tcp('no-old-web', 'old-web', 'app', [8080, 8080], 'deny'))).not.toContain('MS401');
    expect(codesWith(oldApp, tcp('no-old-app', 'web', 'old-app', [8080, 8080], 'deny'))).not.toContain('MS401');
    // A block that holds every address of every source still covers the edge.
    expect(codesWith(web2, tcp('no-web-net', 'web-2-net', 'app', [8080, 8080], 'deny'))).toContain('MS401');
  });

  it('finds a redirect edge that a deny or reject edge, or a redirect edge of a lower id, covers entirely', () => {
    const redirect = (id: string, ports: [number, number], to = 'tarpit'): Edge => ({ ...tcp(id, 'web', 'db', ports, 'redirect'), redirectTo: to });
    expect(lint([], [redirect('trap-ssh', [22, 22]), tcp('no-ssh', 'web', 'db', [1, 1024], 'reject')])).toContainEqual({ code: 'MS401', id: 'trap-ssh' });
    expect(lint([], [redirect('b-trap', [22, 22]), redirect('a-trap', [20, 30], 'other')])).toContainEqual({ code: 'MS401', id: 'b-trap' });
    const message = lintPolicy(withEdges(redirect('b-trap', [22, 22]), redirect('a-trap', [20, 30], 'other')), shopMembership(), inventory.workloads).find((d) => d.code === 'MS401')?.message;
    expect(message).toBe('edge "b-trap" never takes effect: redirect edge "a-trap" comes first (redirects are tried in edge-id order) and covers every connection it redirects');
    // A monitoring default only counts what no edge decides: the reject edge still decides first.
    const monitored: Policy = { ...withEdges(redirect('trap-ssh', [22, 22]), tcp('no-ssh', 'web', 'db', [22, 22], 'reject')), defaults: { withinGroup: 'allow', betweenGroups: 'monitor' } };
    expect(lintPolicy(monitored, shopMembership(), inventory.workloads).find((d) => d.code === 'MS401')?.location?.element?.id).toBe('trap-ssh');
  });

  it('does not flag a redirect edge that only a later redirect, an allow edge or a partial deny covers, nor the deny itself', () => {
    const redirect = (id: string, ports: [number, number]): Edge => ({ ...tcp(id, 'web', 'db', ports, 'redirect'), redirectTo: 'tarpit' });
    const codes = lint([], [redirect('a-trap', [22, 22]), redirect('b-trap', [1, 1024]), tcp('web-db', 'web', 'db', [1, 65535]), tcp('no-telnet', 'web', 'db', [23, 23], 'deny')]);
    expect(codes.filter((d) => d.code === 'MS401')).toEqual([]);
  });

  it('finds edges to a group that holds nobody', () => {
    const codes = lint([{ name: 'ghost', selector: { labels: 'tier=ghost' } }], [tcp('to-ghost', 'web', 'ghost', [80, 80])]);
    expect(codes).toEqual(expect.arrayContaining([{ code: 'MS201', id: 'ghost' }, { code: 'MS402', id: 'to-ghost' }]));
  });

  it('leaves a group whose except blocks carve out all its cidrs to MS118, which names that cause, not MS201', () => {
    const codes = lint([{ name: 'nothing-left', selector: { cidrs: ['fd00::/64'], except: ['fd00::/48'] } }]);
    expect(codes.filter((d) => d.id === 'nothing-left').map((d) => d.code)).toEqual([]);
  });

  it('finds broad edges: any protocol, every port, a huge range, the whole internet', () => {
    const internet: Group = { name: 'internet', selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] } };
    const codes = lint([internet], [
      { id: 'anything', from: 'web', to: 'app', services: [{ protocol: 'any' }], action: 'allow' },
      { id: 'all-tcp', from: 'app', to: 'web', services: [{ protocol: 'tcp' }], action: 'allow' },
      tcp('high-ports', 'db', 'app', [1024, 65535]),
      tcp('out', 'app', 'internet', [443, 443]),
    ]);
    expect(codes).toEqual(expect.arrayContaining([
      { code: 'MS403', id: 'anything' },
      { code: 'MS403', id: 'all-tcp' },
      { code: 'MS403', id: 'high-ports' },
      { code: 'MS404', id: 'out' },
    ]));
  });

  it('finds groups whose address blocks overlap', () => {
    const codes = lint([
      { name: 'corp', selector: { cidrs: ['10.0.0.0/8'] } },
      { name: 'shop-net', selector: { cidrs: ['10.20.0.0/16'] } },
      { name: 'partners', selector: { cidrs: ['203.0.113.0/24'] } },
    ]);
    expect(codes).toContainEqual({ code: 'MS405', id: 'shop-net' });
    expect(codes.filter((d) => d.code === 'MS405')).toHaveLength(1);
  });

  it('does not call a workload ungrouped when a group holds it through its address blocks', () => {
    expect(lint([{ name: 'ops-net', selector: { cidrs: ['10.20.4.0/24'] } }]).map((d) => d.code)).not.toContain('MS202');
  });

  it('names both workloads that share an address', () => {
    const twin = { ...inventory.workloads[0]!, id: 'static:x/web-9', name: 'web-9', addresses: ['10.20.1.99', '10.20.2.21'] };
    const workloads = [...inventory.workloads, twin];
    const diagnostics = lintPolicy(shop, resolveMembership(shop, workloads), workloads).filter((d) => d.code === 'MS205');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toMatch(/"app-1" and "web-9" have the same address 10\.20\.2\.21/);
    expect(lintPolicy(shop, resolveMembership(shop, inventory.workloads), inventory.workloads).map((d) => d.code)).not.toContain('MS205');
  });
});

describe('a workload in no group is told what happens to its connections', () => {
  const trap = (name: string, address: string): Workload => ({ id: `static:x/${name}`, name, host: 'host-b', addresses: [address], mac: '02:42:0a:14:09:09', labels: {}, origin: { kind: 'static', source: 'x' } });
  const workloads = [...inventory.workloads, trap('trap', '10.20.9.9'), trap('tarpit', '10.20.9.8')];
  const told = (defaults: Policy['defaults']): Record<string, string> => {
    const policy: Policy = { ...shop, defaults, edges: [...shop.edges, { id: 'ssh', from: 'web', to: 'db', services: [{ protocol: 'tcp', ports: { from: 22, to: 22 } }], action: 'redirect', redirectTo: 'tarpit' }] };
    const diagnostics = lintPolicy(policy, resolveMembership(policy, workloads), workloads).filter((d) => d.code === 'MS202');
    return Object.fromEntries(diagnostics.map((d) => [d.message.split('"')[1]!, d.message.split(' is in no group: ')[1]!]));
  };

  it("as the default's honeypot, that it is not sent to itself: connections to it arrive, its own are dropped", () => {
    expect(told({ withinGroup: 'allow', betweenGroups: 'redirect', redirectTo: '10.20.9.9' })).toEqual({
      metrics: 'every new connection to or from it will go to the default honeypot',
      trap: 'connections to it are accepted, as a honeypot accepts whatever reaches it, but every new connection it opens that no rule permits will be dropped',
      tarpit: 'every new connection to or from it will go to the default honeypot, except those redirected to it and those from addresses outside the inventory, which it accepts as a honeypot does',
    });
  });

  it("as an edge's honeypot, that what is redirected to it arrives; a redirectTo the default does not use names no honeypot", () => {
    expect(told({ withinGroup: 'allow', betweenGroups: 'drop', redirectTo: 'trap' })).toEqual({
      metrics: 'every new connection to or from it will be dropped',
      trap: 'every new connection to or from it will be dropped',
      tarpit: 'every new connection to or from it will be dropped, except those redirected to it and those from addresses outside the inventory, which it accepts as a honeypot does',
    });
  });
});

describe('warnings about a workload', () => {
  const warnings = (workloads: readonly Workload[]): { code: string; location?: object; message: string }[] =>
    lintPolicy(shop, resolveMembership(shop, workloads), workloads)
      .filter((d) => ['MS202', 'MS203', 'MS205'].includes(d.code))
      .map(({ code, location, message }) => ({ code, message, ...(location ? { location } : {}) }));

  it('point at its entry in a YAML inventory, and at the field when one is at fault', () => {
    const yaml = `apiVersion: microseg.dev/v1
kind: Inventory
workloads:
  - { name: web-1, host: host-a, addresses: [10.20.1.11], labels: { tier: web } }
  - name: metrics
    host: host-a
    addresses: [10.20.4.41]
  - name: pending
    host: host-b
    labels: { tier: app }
  - name: copy
    host: host-b
    addresses: [10.20.9.9, 10.20.1.11]
    labels: { tier: db }
`;
    expect(warnings(parseInventoryFile(yaml, 'inv.yaml', 'x').inventory!.workloads)).toEqual([
      { code: 'MS202', message: expect.stringContaining('"metrics"'), location: { file: 'inv.yaml', line: 5, column: 5, path: 'workloads.1', workload: 'static:inv.yaml/metrics' } },
      { code: 'MS203', message: expect.stringContaining('"pending"'), location: { file: 'inv.yaml', line: 8, column: 5, path: 'workloads.2.addresses', workload: 'static:inv.yaml/pending' } },
      // The later entry of the two is the likelier copy.
      { code: 'MS205', message: expect.stringContaining('10.20.1.11'), location: { file: 'inv.yaml', line: 11, column: 5, path: 'workloads.3.addresses.1', workload: 'static:inv.yaml/copy' } },
    ]);
  });

  it('point at the later of two entries written on one line (YAML flow style)', () => {
    const yaml = `apiVersion: microseg.dev/v1
kind: Inventory
workloads: [{ name: web-1, host: host-a, addresses: [10.20.1.11], labels: { tier: web } }, { name: copy, host: host-b, addresses: [10.20.1.11], labels: { tier: db } }]
`;
    const [shared] = warnings(parseInventoryFile(yaml, 'inv.yaml', 'x').inventory!.workloads).filter((d) => d.code === 'MS205');
    expect(shared?.location).toEqual({ file: 'inv.yaml', line: 3, column: 92, path: 'workloads.1.addresses.0', workload: 'static:inv.yaml/copy' });
  });

  it('point at its row in a CSV inventory, naming the column', () => {
    const rows: InventoryRow[] = [
      { line: 2, cells: { name: 'web-1', host: 'host-a', addresses: '10.20.1.11', labels: 'tier=web' } },
      { line: 3, cells: { name: 'metrics', host: 'host-a', addresses: '10.20.4.41' } },
      { line: 5, cells: { name: 'pending', host: 'host-b', labels: 'tier=app' } },
      { line: 6, cells: { name: 'copy', host: 'host-b', addresses: '10.20.9.9;10.20.1.11', labels: 'tier=db' } },
    ];
    expect(warnings(inventoryFromRows(rows, 'inv.csv', 'x').inventory!.workloads).map((d) => [d.code, d.location])).toEqual([
      ['MS202', { file: 'inv.csv', line: 3, workload: 'static:inv.csv/metrics' }],
      ['MS203', { file: 'inv.csv', line: 5, path: 'addresses', workload: 'static:inv.csv/pending' }],
      ['MS205', { file: 'inv.csv', line: 6, path: 'addresses', workload: 'static:inv.csv/copy' }],
    ]);
  });

  // A new user's defect: such a warning had no location at all, so the Problems list could not show its workload.
  it('name it, namespace and all, when it comes from a live source that has no file, and point at it by its id', () => {
    const pod = (name: string, addresses: string[]): Workload => ({ id: `kubernetes:lab/shop/${name}`, name, namespace: 'shop', host: 'node-1', addresses, labels: {}, origin: { kind: 'kubernetes', source: 'lab' } });
    expect(warnings([pod('api', ['10.244.1.5']), pod('pending', []), pod('twin', ['10.244.1.5'])])).toEqual([
      { code: 'MS202', message: expect.stringContaining('workload "shop/api" on node-1 is in no group'), location: { workload: 'kubernetes:lab/shop/api' } },
      { code: 'MS202', message: expect.stringContaining('workload "shop/twin" on node-1 is in no group'), location: { workload: 'kubernetes:lab/shop/twin' } },
      { code: 'MS203', message: expect.stringContaining('workload "shop/pending" has no IP address'), location: { workload: 'kubernetes:lab/shop/pending' } },
      { code: 'MS205', message: expect.stringContaining('workloads "shop/api" and "shop/twin" have the same address 10.244.1.5'), location: { workload: 'kubernetes:lab/shop/api' } },
    ]);
  });
});


describe('an isolated group whose members another group holds (MS406)', () => {
  const isolatedDb: Group = { name: 'db', selector: { labels: 'tier=db' }, isolated: true };
  const withDb = (...groups: Group[]): Policy => ({ ...shop, groups: [...shop.groups.filter((g) => g.name !== 'db'), isolatedDb, ...groups] });
  const ms406 = (policy: Policy, workloads: readonly Workload[] = dbs): { message: string; location?: object }[] =>
    lintPolicy(policy, resolveMembership(policy, workloads), workloads)
      .filter((d) => d.code === 'MS406')
      .map(({ message, location }) => ({ message, ...(location ? { location } : {}) }));
  const db2: Workload = { ...inventory.workloads.find((w) => w.labels.tier === 'db')!, id: 'static:x/db-2', name: 'db-2', addresses: ['10.20.3.32'] };
  const dbs = [...inventory.workloads, db2];

  it('names the other group, a pair of members and what to do, at the isolated flag', () => {
    expect(ms406(withDb({ name: 'shopall', selector: { labels: 'tier in (db,web)' } }))).toEqual([
      {
        message: 'isolated group "db" does not keep its members apart: "db-1" and "db-2" are both in group "shopall" too, which is not isolated, so its within-group rule permits connections between them; isolate "shopall" too, or exclude the members of "db" from it',
        location: { path: 'groups.2.isolated', element: { kind: 'group', id: 'db' } },
      },
    ]);
  });

  it('names every such group, in policy order', () => {
    const [warning] = ms406(withDb({ name: 'data', selector: { labels: 'tier=db' } }, { name: 'all', selector: { labels: 'tier' } }));
    expect(warning?.message).toContain('both in group "data" too');
    expect(warning?.message).toContain('(as does that of group "all", for members they share); isolate those groups too');
  });

  it('does not warn when the other group is isolated too, holds one member only or holds them by address block, or within-group traffic is dropped anyway', () => {
    expect(ms406(withDb({ name: 'db-too', selector: { labels: 'tier=db' }, isolated: true }))).toEqual([]);
    const elsewhere = [...inventory.workloads, { ...db2, host: 'host-z' }];
    expect(ms406(withDb({ name: 'db-here', selector: { labels: 'tier=db', host: db2.host } }), elsewhere)).toEqual([]);
    expect(ms406(withDb({ name: 'db-net', selector: { cidrs: ['10.20.3.0/24'] } }))).toEqual([]);
    expect(ms406({ ...withDb({ name: 'shopall', selector: { labels: 'tier in (db,web)' } }), defaults: { withinGroup: 'drop', betweenGroups: 'drop' } })).toEqual([]);
  });
});

describe('an edge another edge between the same groups, with the same action, makes redundant (MS407)', () => {
  it('names the later of two copies, and an edge whose services a wider one lists, wherever it is', () => {
    const found = lint([], [tcp('copy', 'web', 'app', [8080, 8080]), tcp('narrow', 'app', 'db', [5432, 5432], 'deny'), tcp('wide', 'app', 'db', [5000, 6000], 'deny')]);
    expect(found.filter((d) => d.code === 'MS407')).toEqual([
      { code: 'MS407', id: 'copy' },
      { code: 'MS407', id: 'narrow' },
    ]);
    const [message] = lintPolicy(withEdges(tcp('copy', 'web', 'app', [8080, 8080])), shopMembership(), inventory.workloads).filter((d) => d.code === 'MS407').map((d) => d.message);
    expect(message).toBe('edge "copy" adds nothing: edge "web-to-app" from "web" to "app" already permits every service it lists; delete one of them');
  });

  it('leaves alone edges with other ends, another action, a service the other does not list, and redirects', () => {
    const redirect = (id: string): Edge => ({ ...tcp(id, 'web', 'db', [22, 22], 'redirect'), redirectTo: 'metrics' });
    const found = lint([], [
      tcp('log', 'web', 'app', [8080, 8080], 'log'),
      tcp('back', 'app', 'web', [8080, 8080]),
      { ...tcp('other', 'web', 'app', [8080, 8080]), services: [{ protocol: 'tcp', ports: { from: 8081, to: 8081 } }, { protocol: 'udp', ports: { from: 53, to: 53 } }] },
      redirect('trap-1'),
      redirect('trap-2'),
    ]);
    expect(found.filter((d) => d.code === 'MS407')).toEqual([]);
  });
});

describe('a named port no workload of the destination declares (MS408)', () => {
  const rows: InventoryRow[] = [
    { line: 2, cells: { name: 'web-1', host: 'h', addresses: '10.0.0.1', labels: 'tier=web' } },
    { line: 3, cells: { name: 'app-1', host: 'h', addresses: '10.0.0.2', labels: 'tier=app', ports: 'http=tcp/8080' } },
  ];
  const named = (id: string, text: string, ports?: [number, number]): Edge => ({
    id,
    from: 'web',
    to: 'app',
    services: [{ protocol: 'tcp', portName: text, ...(ports ? { ports: { from: ports[0], to: ports[1] } } : {}) }],
    action: 'allow',
  });
  const found = (...edges: Edge[]): { code: string; message: string }[] => {
    const workloads = inventoryFromRows(rows, 'inv.csv', 'x').inventory!.workloads;
    const policy: Policy = { ...shop, groups: shop.groups.filter((g) => g.name !== 'db'), edges };
    return lintPolicy(policy, resolveMembership(policy, workloads), workloads).filter((d) => d.code === 'MS408').map((d) => ({ code: d.code, message: d.message }));
  };

  it('warns at a name the destination does not declare, or declares outside the filter', () => {
    expect(found(named('hex', '0x50'), named('outside', 'http', [9000, 9100]))).toEqual([
      { code: 'MS408', message: 'edge "hex" lists tcp/0x50, but no workload of group "app" declares a tcp port named "0x50", so it matches no connection; check the name, or write the port number' },
      { code: 'MS408', message: 'edge "outside" lists tcp/http@9000-9100, but no workload of group "app" declares a tcp port named "http" numbered 9000-9100, so it matches no connection; check the name, or write the port number' },
    ]);
  });

  it('is quiet about a declared name, inside its filter', () => {
    expect(found(named('ok', 'http'), named('ok-range', 'http', [8000, 8100]))).toEqual([]);
  });
});

describe('an edge said never to take effect (property)', () => {
  const RUNS = 300;

  // MS401 and MS402 tell the user the edge can go: if it decides a connection on any host,
  // deleting it changes what passes.
  it(`decides no connection on any host: random policies with dual-homed workloads, blocks holding some of their addresses (${RUNS} runs)`, () => {
    let flagged = 0;
    // Random policies rarely have one edge cover another: add a deny of the services of one of
    // their edges, towards its group, from a group of the policy or from address blocks (which
    // may hold one address of a dual-homed workload and not the other), for MS401 to weigh.
    const shadowed = scenarioArbitrary({ dualHomed: true }).chain((s) =>
      fc
        .record({ copied: fc.nat(), from: fc.constantFrom('blocks', ...s.policy.groups.map((g) => g.name)), blocks: fc.constantFrom(...ALL_OUTSIDE) })
        .map(({ copied, from, blocks }): Scenario => {
          const edge = s.policy.edges[copied % Math.max(1, s.policy.edges.length)];
          if (!edge) return s;
          const deny: Edge = { id: 'shadow', from, to: edge.to, services: edge.services, action: 'deny' };
          return { ...s, policy: { ...s.policy, groups: [...s.policy.groups, { name: 'blocks', selector: { ...blocks } }], edges: [...s.policy.edges, deny] } };
        }),
    );
    fc.assert(
      fc.property(shadowed, (s) => {
        const compiled = compilePolicy(s.policy, s.inventory);
        const idle = new Set(compiled.diagnostics.filter((d) => d.code === 'MS401' || d.code === 'MS402').map((d) => d.location?.element?.id));
        if (idle.size === 0) return;
        flagged++;
        const tables = loadHostTables(compiled.hosts);
        const hostOf = addressHosts(s.inventory.workloads);
        for (const p of s.probes) {
          const path = simulatePath(tables, p.from, p.to, pathProbeOf(p), 'new', { hostOf });
          const deciding = decisionsOf(path, compiled.rules).filter((d) => d.rule?.ref.kind === 'edge' && idle.has(d.rule.ref.id));
          expect(deciding.map((d) => `${p.from.address} -> ${p.to.address} ${JSON.stringify(pathProbeOf(p))}: ${d.what} on ${d.host}`)).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
    expect(flagged).toBeGreaterThan(RUNS / 4);
  });
});
