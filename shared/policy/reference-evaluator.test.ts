import { describe, expect, it } from 'vitest';
import type { Inventory, Workload } from '../inventory/model';
import type { Edge, Policy } from './model';
import { mayConnect, type ConnectionQuestion, type Party, type ReferenceAnswer } from './reference-evaluator';

function workload(
  name: string,
  labels: Record<string, string>,
  addresses: string[],
  extra: Partial<Workload> = {},
): Workload {
  return {
    id: `static:t/${name}`,
    name,
    host: 'h1',
    addresses,
    labels,
    origin: { kind: 'static', source: 't' },
    ...extra,
  };
}

const inventory: Inventory = {
  readAt: 'x',
  workloads: [
    workload('web-1', { tier: 'web' }, ['10.0.1.1']),
    workload('app-1', { tier: 'app' }, ['10.0.2.1', 'fd00::21']),
    workload('app-2', { tier: 'app' }, ['10.0.2.2']),
    workload('db-1', { tier: 'db' }, ['10.0.3.1'], { image: 'postgres:16' }),
    workload('db-2', { tier: 'db' }, ['10.0.3.2'], { image: 'mysql:8' }),
    workload('metrics', { tier: 'ops' }, ['10.0.4.1']),
  ],
};

const policy: Policy = {
  apiVersion: 'microseg.dev/v1',
  name: 't',
  revision: 1,
  defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
  groups: [
    { name: 'web', selector: { labels: 'tier=web' } },
    { name: 'app', selector: { labels: 'tier=app' } },
    { name: 'db', selector: { labels: 'tier=db' }, isolated: true },
    { name: 'postgres', selector: { image: 'postgres:*' } },
    { name: 'internet', selector: { cidrs: ['203.0.113.0/24', '2001:db8::/32'] } },
  ],
  edges: [
    {
      id: 'web-app',
      from: 'web',
      to: 'app',
      services: [{ protocol: 'tcp', ports: { from: 8080, to: 8090 } }, { protocol: 'icmp' }],
      action: 'allow',
    },
    {
      id: 'app-pg',
      from: 'app',
      to: 'postgres',
      services: [{ protocol: 'tcp', ports: { from: 5432, to: 5432 } }],
      action: 'allow',
    },
    {
      id: 'net-web',
      from: 'internet',
      to: 'web',
      services: [{ protocol: 'tcp', ports: { from: 443, to: 443 } }],
      action: 'allow',
    },
    { id: 'web-net', from: 'web', to: 'internet', services: [{ protocol: 'any' }], action: 'allow' },
  ],
};

const w = (name: string): Party => ({ workload: `static:t/${name}` });
const ask = (from: Party, to: Party, rest: Partial<ConnectionQuestion> = {}, p: Policy = policy): boolean =>
  mayConnect(p, inventory, { from, to, protocol: 'tcp', family: 4, ...rest }).allowed;

describe('mayConnect (reference semantics)', () => {
  it('permits what an edge lists, one way only, ports inclusive', () => {
    expect(ask(w('web-1'), w('app-1'), { port: 8080 })).toBe(true);
    expect(ask(w('web-1'), w('app-1'), { port: 8090 })).toBe(true);
    expect(ask(w('web-1'), w('app-1'), { port: 8091 })).toBe(false);
    expect(ask(w('web-1'), w('app-1'), { port: 8079 })).toBe(false);
    expect(ask(w('web-1'), w('app-1'), { protocol: 'udp', port: 8080 })).toBe(false);
    expect(ask(w('web-1'), w('app-1'), { protocol: 'icmp', icmpType: 8 })).toBe(true);
    expect(ask(w('app-1'), w('web-1'), { port: 8080 })).toBe(false);
  });

  it('permits within a group on any protocol, except in an isolated group or with withinGroup drop', () => {
    expect(ask(w('app-1'), w('app-2'), { protocol: 'other' })).toBe(true);
    expect(ask(w('db-1'), w('db-2'), { port: 5432 })).toBe(false);
    expect(
      ask(w('app-1'), w('app-2'), { port: 1 }, { ...policy, defaults: { withinGroup: 'drop', betweenGroups: 'drop' } }),
    ).toBe(false);
  });

  it('resolves groups by image glob, and a group of a workload counts even if another group of it is isolated', () => {
    expect(ask(w('app-2'), w('db-1'), { port: 5432 })).toBe(true);
    expect(ask(w('app-2'), w('db-2'), { port: 5432 })).toBe(false);
  });

  it('treats an address of a workload as that workload, and outside addresses by the cidrs of groups', () => {
    expect(ask({ address: '10.0.1.1' }, { address: '10.0.2.2' }, { port: 8085 })).toBe(true);
    expect(ask({ address: '203.0.113.9' }, w('web-1'), { port: 443 })).toBe(true);
    expect(ask({ address: '203.0.114.9' }, w('web-1'), { port: 443 })).toBe(false);
    expect(ask(w('web-1'), { address: '203.0.113.200' }, { protocol: 'other' })).toBe(true);
    expect(ask(w('app-1'), { address: '203.0.113.200' }, { port: 80 })).toBe(false);
    expect(ask({ address: '2001:db8:0:0::5' }, w('web-1'), { port: 443, family: 6 })).toBe(true);
  });

  it('denies everything to and from a workload in no group', () => {
    expect(ask(w('metrics'), w('app-1'), { port: 8080 })).toBe(false);
    expect(ask(w('web-1'), w('metrics'), { protocol: 'other' })).toBe(false);
  });

  it('lets IPv6 neighbour discovery pass when IPv6 is in use', () => {
    expect(ask(w('metrics'), w('app-1'), { protocol: 'icmp', icmpType: 135, family: 6 })).toBe(true);
    expect(ask(w('metrics'), w('app-1'), { protocol: 'icmp', icmpType: 128, family: 6 })).toBe(false);
    const v4only: Inventory = {
      ...inventory,
      workloads: inventory.workloads.map((x) => ({ ...x, addresses: x.addresses.filter((a) => !a.includes(':')) })),
    };
    const noV6Policy = { ...policy, groups: policy.groups.filter((g) => g.name !== 'internet'), edges: [] };
    expect(
      mayConnect(noV6Policy, v4only, { from: w('metrics'), to: w('app-1'), protocol: 'icmp', icmpType: 135, family: 6 })
        .allowed,
    ).toBe(false);
  });

  it('says why, and throws on a workload id that does not exist', () => {
    expect(
      mayConnect(policy, inventory, { from: w('web-1'), to: w('app-1'), protocol: 'tcp', port: 8080, family: 4 })
        .because,
    ).toBe('edge "web-app" from "web" to "app" permits it');
    expect(
      mayConnect(policy, inventory, { from: w('app-1'), to: w('app-2'), protocol: 'tcp', port: 1, family: 4 }).because,
    ).toBe('both are in group "app"');
    expect(() => ask(w('nobody'), w('app-1'))).toThrow(/nobody/);
  });
});

describe('mayConnect: actions, defaults and infrastructure', () => {
  const edge = (
    id: string,
    from: string,
    to: string,
    action: Policy['edges'][number]['action'],
    port?: number,
  ): Policy['edges'][number] => ({
    id,
    from,
    to,
    services: [port === undefined ? { protocol: 'any' } : { protocol: 'tcp', ports: { from: port, to: port } }],
    action,
  });
  const withEdges = (edges: Policy['edges'], rest: Partial<Policy> = {}): Policy => ({
    ...policy,
    ...rest,
    edges: [...policy.edges, ...edges],
  });

  it('lets deny and reject edges outrank allow and log edges and the group, whatever the order', () => {
    const p = withEdges([
      edge('no-8085', 'web', 'app', 'deny', 8085),
      edge('no-app-22', 'app', 'app', 'reject', 22),
      edge('log-app', 'web', 'app', 'log', 9000),
    ]);
    expect(ask(w('web-1'), w('app-1'), { port: 8085 }, p)).toBe(false);
    expect(ask(w('web-1'), w('app-1'), { port: 8084 }, p)).toBe(true);
    expect(ask(w('app-1'), w('app-2'), { port: 22 }, p)).toBe(false);
    expect(ask(w('app-1'), w('app-2'), { port: 23 }, p)).toBe(true);
    expect(ask(w('web-1'), w('app-1'), { port: 9000 }, p)).toBe(true);
  });

  it('permits everything not blocked under a monitor default, and nothing more under reject', () => {
    const monitor = withEdges([edge('no-db', 'web', 'db', 'deny')], {
      defaults: { withinGroup: 'allow', betweenGroups: 'monitor' },
    });
    expect(ask(w('metrics'), w('db-1'), { port: 1 }, monitor)).toBe(true);
    expect(ask(w('db-1'), w('db-2'), { port: 1 }, monitor)).toBe(true);
    expect(ask(w('web-1'), w('db-1'), { port: 1 }, monitor)).toBe(false);
    expect(
      ask(
        w('metrics'),
        w('db-1'),
        { port: 1 },
        { ...policy, defaults: { withinGroup: 'allow', betweenGroups: 'reject' } },
      ),
    ).toBe(false);
  });

  it('carves except blocks out of a group of outside parties', () => {
    const p: Policy = {
      ...policy,
      groups: policy.groups.map((g) =>
        g.name === 'internet' ? { ...g, selector: { cidrs: ['203.0.113.0/24'], except: ['203.0.113.0/28'] } } : g,
      ),
    };
    expect(ask({ address: '203.0.113.9' }, w('web-1'), { port: 443 }, p)).toBe(false);
    expect(ask({ address: '203.0.113.16' }, w('web-1'), { port: 443 }, p)).toBe(true);
  });

  it('lets every workload query named resolvers on 53 and DHCP pass, when configured', () => {
    const p: Policy = { ...policy, infrastructure: { dhcp: true, dnsResolvers: ['10.0.2.2', '192.0.2.53'] } };
    expect(ask(w('metrics'), { address: '192.0.2.53' }, { protocol: 'udp', port: 53 }, p)).toBe(true);
    expect(ask(w('metrics'), { workload: 'static:t/app-2', address: '10.0.2.2' }, { port: 53 }, p)).toBe(true);
    expect(ask(w('metrics'), { address: '192.0.2.53' }, { protocol: 'udp', port: 54 }, p)).toBe(false);
    expect(ask({ address: '203.0.113.9' }, w('app-2'), { port: 53 }, p)).toBe(false);
    expect(ask(w('metrics'), { address: '192.0.2.53' }, { protocol: 'udp', port: 53 })).toBe(false);
    expect(ask(w('metrics'), w('db-1'), { protocol: 'udp', sourcePort: 68, port: 67 }, p)).toBe(true);
    expect(ask(w('metrics'), w('db-1'), { protocol: 'udp', sourcePort: 68, port: 67 })).toBe(false);
    // DHCPv6, on its own ports and only over IPv6: a client asks from its link-local address.
    const v6 = (sourcePort: number, port: number, q: Policy = p): boolean => ask({ address: 'fe80::9' }, { address: 'ff02::1:2' }, { protocol: 'udp', family: 6, sourcePort, port }, q);
    expect([v6(546, 547), v6(547, 546), v6(546, 547, policy), v6(68, 67)]).toEqual([true, true, false, false]);
    expect(ask(w('metrics'), w('db-1'), { protocol: 'udp', sourcePort: 546, port: 547 }, p)).toBe(false);
  });
});

describe('mayConnect: redirects to a honeypot', () => {
  const traps: Inventory = {
    ...inventory,
    workloads: [
      ...inventory.workloads,
      workload('hp', { role: 'trap' }, ['10.0.9.9'], { mac: '02:42:0a:00:09:09', namespace: 'sec' }),
      workload('tarpit', { role: 'trap' }, ['10.0.9.8', 'fd00::98'], { mac: '02:42:0a:00:09:08' }),
    ],
  };
  const edge = (id: string, action: Edge['action'], port: number, redirectTo?: string): Edge => ({
    id,
    from: 'web',
    to: 'app',
    services: [{ protocol: 'tcp', ports: { from: port, to: port } }],
    action,
    ...(redirectTo ? { redirectTo } : {}),
  });
  const answer = (p: Policy, from: Party, to: Party, rest: Partial<ConnectionQuestion> = {}): ReferenceAnswer =>
    mayConnect(p, traps, { from, to, protocol: 'tcp', family: 4, ...rest });
  const trap = (edges: Edge[], defaults: Partial<Policy['defaults']> = {}): Policy => ({
    ...policy,
    defaults: { ...policy.defaults, ...defaults },
    edges: [...policy.edges, ...edges],
  });

  it('sends what a redirect edge covers to the honeypot, outranking allow edges; other ports stay as they were', () => {
    const p = trap([edge('trap-8085', 'redirect', 8085, 'tarpit')]);
    expect(answer(p, w('web-1'), w('app-1'), { port: 8085 })).toEqual({
      allowed: false,
      redirectedTo: '10.0.9.8',
      because: 'edge "trap-8085" redirects it to honeypot "tarpit" (10.0.9.8)',
    });
    expect(answer(p, w('web-1'), w('app-1'), { port: 8085, family: 6 }).redirectedTo).toBe('fd00::98');
    expect(answer(p, w('web-1'), w('app-1'), { port: 8084 })).toMatchObject({ allowed: true });
    expect(answer(p, w('web-1'), w('app-1'), { port: 8084 }).redirectedTo).toBeUndefined();
  });

  it('lets deny and reject outrank redirect, and the first redirect edge by id win, whatever the order', () => {
    const p = trap([
      edge('z-trap', 'redirect', 22, 'hp'),
      edge('b-trap', 'redirect', 22, 'tarpit'),
      edge('y-no-ssh', 'deny', 22),
      edge('a-trap', 'redirect', 23, 'sec/hp'),
      edge('c-trap', 'redirect', 23, '10.0.9.8'),
    ]);
    expect(answer(p, w('web-1'), w('app-1'), { port: 22 })).toMatchObject({
      allowed: false,
      because: 'edge "y-no-ssh" (deny) blocks it',
    });
    expect(answer(p, w('web-1'), w('app-1'), { port: 22 }).redirectedTo).toBeUndefined();
    expect(answer(p, w('web-1'), w('app-1'), { port: 23 }).redirectedTo).toBe('10.0.9.9');
    const reordered = { ...p, edges: [...p.edges].reverse() };
    expect(answer(reordered, w('web-1'), w('app-1'), { port: 23 }).redirectedTo).toBe('10.0.9.9');
  });

  it('redirects what no rule decides under a redirecting default, from inside and outside; rules still decide first', () => {
    const p = trap([], { betweenGroups: 'redirect', redirectTo: 'tarpit' });
    expect(answer(p, w('metrics'), w('db-1'), { port: 1 })).toMatchObject({ allowed: false, redirectedTo: '10.0.9.8' });
    expect(answer(p, { address: '198.51.100.1' }, w('web-1'), { port: 80 }).redirectedTo).toBe('10.0.9.8');
    expect(answer(p, w('web-1'), w('app-1'), { port: 8080 })).toMatchObject({ allowed: true });
    expect(answer(p, w('app-1'), w('app-2'), { port: 1 })).toMatchObject({ allowed: true });
  });

  it("answers alike wherever the honeypot sits: outside traffic goes to one behind another host's uplink too", () => {
    const p = trap([], { betweenGroups: 'redirect', redirectTo: 'tarpit' });
    const elsewhere: Inventory = { ...traps, workloads: traps.workloads.map((x) => (x.name === 'tarpit' ? { ...x, host: 'h2' } : x)) };
    const question = { from: { address: '198.51.100.1' }, to: w('web-1'), protocol: 'tcp' as const, port: 80, family: 4 as const };
    expect(mayConnect(p, elsewhere, question)).toEqual(mayConnect(p, traps, question));
    expect(mayConnect(p, elsewhere, question).redirectedTo).toBe('10.0.9.8');
  });

  it('drops a redirected connection when the honeypot has no address of its family', () => {
    const p = trap([edge('trap-8085', 'redirect', 8085, 'hp')]);
    const v6 = answer(p, w('web-1'), w('app-1'), { port: 8085, family: 6 });
    expect(v6).toMatchObject({
      allowed: false,
      because: 'edge "trap-8085" redirects it to "hp", which has no IPv6 address: dropped',
    });
    expect(v6.redirectedTo).toBeUndefined();
  });

  it('lets outside parties reach a honeypot at its redirect address; workloads meet their own policy', () => {
    const p = trap([edge('trap-8085', 'redirect', 8085, 'tarpit')]);
    expect(answer(p, { address: '198.51.100.1' }, { address: '10.0.9.8' }, { port: 3389 })).toMatchObject({
      allowed: true,
      because: 'a honeypot takes whatever reaches it',
    });
    expect(answer(p, { address: '2001:db9::1' }, w('tarpit'), { port: 3389, family: 6 }).allowed).toBe(true);
    expect(answer(p, w('metrics'), w('tarpit'), { port: 3389 }).allowed).toBe(false);
    // hp is no honeypot of this policy: nothing redirects to it.
    expect(answer(p, { address: '198.51.100.1' }, w('hp'), { port: 3389 }).allowed).toBe(false);
  });

  it('throws when redirectTo names no single workload (such a policy does not compile)', () => {
    const p = trap([edge('trap-8085', 'redirect', 8085, 'nobody')]);
    expect(() => answer(p, w('web-1'), w('app-1'), { port: 8085 })).toThrow(/nobody/);
  });
});
