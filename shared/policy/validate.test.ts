import { describe, expect, it } from 'vitest';
import { emptyPolicy, type Group, type Policy } from './model';
import { parsePolicyFile } from './policy-file';
import { validatePolicy } from './validate';

const withGroups = (...groups: Group[]): Policy => ({ ...emptyPolicy('p'), groups });
const codes = (policy: Policy): string[] => validatePolicy(policy).map((d) => d.code);

describe('a selector with workload criteria and address blocks (MS110)', () => {
  it('warns at the selector that the group holds both, and how to get the narrower meaning', () => {
    const [warning] = validatePolicy(withGroups({ name: 'webnet', selector: { labels: 'tier=web', cidrs: ['10.20.1.12/32'] } }));
    expect(warning).toMatchObject({ code: 'MS110', severity: 'warning', location: { path: 'groups.0.selector', element: { kind: 'group', id: 'webnet' } } });
    expect(warning!.message).toBe(
      'group "webnet" holds the workloads its labels select and, besides them, every address in its cidrs (10.20.1.12/32): the two add up, the blocks do not narrow the workloads. To mean only some workloads, narrow the labels (or use exclude) and drop cidrs; to reach the blocks too, put them in a group of their own',
    );
  });

  it('names every workload criterion given, an empty label selector too (it holds for every workload)', () => {
    const [warning] = validatePolicy(withGroups({ name: 'mix', selector: { labels: '', host: 'host-a', cidrs: ['10.0.0.0/8'] } }));
    expect(warning?.message).toContain('the workloads its labels, host select');
  });

  it('does not warn about criteria alone, blocks alone, or blocks with exclude (which only carves them)', () => {
    const policy = withGroups(
      { name: 'web', selector: { labels: 'tier=web', host: 'host-a' } },
      { name: 'internet', selector: { cidrs: ['0.0.0.0/0'], except: ['10.0.0.0/8'] } },
      { name: 'lan', selector: { cidrs: ['10.0.0.0/8'], exclude: [{ labels: 'tier=db' }] } },
    );
    expect(codes(policy)).toEqual([]);
  });
});

describe('a service an edge lists twice (MS116)', () => {
  it('warns at the second listing, however it was written', () => {
    const file = "apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - {name: web, selector: {labels: tier=web}}\nedges:\n  - {id: e, from: web, to: web, services: [tcp/80, udp/53, TCP/80]}\n";
    const { policy, diagnostics } = parsePolicyFile(file, 'p.yaml');
    expect(policy).not.toBeNull();
    expect(diagnostics).toEqual([
      {
        code: 'MS116',
        severity: 'warning',
        message: 'edge "e" lists tcp/80 twice; remove this one',
        location: expect.objectContaining({ file: 'p.yaml', line: 7, column: 60, path: 'edges.0.services.2', element: { kind: 'edge', id: 'e' } }),
      },
    ]);
  });

  it('says nothing of an edge whose services did not all parse, nor of services that only overlap', () => {
    const file = "apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - {name: web, selector: {labels: tier=web}}\nedges:\n  - {id: e, from: web, to: web, services: [tcp/0, tcp/80, tcp/80]}\n  - {id: f, from: web, to: web, services: [tcp/80, tcp/1-1000, tcp]}\n";
    expect(parsePolicyFile(file, 'p.yaml').diagnostics.map((d) => d.code)).toEqual(['MS114']);
  });
});

describe('a host criterion no host could be named (MS115)', () => {
  it('refuses a pattern at the field, saying host takes one exact name and what to use instead', () => {
    const diagnostics = validatePolicy(withGroups({ name: 'hosts', selector: { host: 'host-*' } }));
    expect(diagnostics).toEqual([
      {
        code: 'MS115',
        severity: 'error',
        message: 'host "host-*" is a pattern, but host takes one exact host name: "*" matches nothing there; write the name of one host, or select the workloads by labels, image or namespace instead',
        location: { path: 'groups.0.selector.host', element: { kind: 'group', id: 'hosts' } },
      },
    ]);
  });

  it('refuses any other name outside the host name rule, in an exclude entry too, at its line in the file', () => {
    const file = "apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: x}\ngroups:\n  - name: web\n    selector:\n      labels: tier=web\n      exclude: [{ host: 'host a' }]\n";
    const { policy, diagnostics } = parsePolicyFile(file, 'p.yaml');
    expect(policy).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'MS115', message: expect.stringContaining('host name "host a" may hold only letters, digits'), location: expect.objectContaining({ line: 8, path: 'groups.0.selector.exclude.0.host' }) })]);
  });

  it('takes an exact host name, as an inventory writes it', () => {
    for (const host of ['host-a', 'node-1.example.com', 'Host_2', 'fd00::1']) expect(codes(withGroups({ name: 'one-host', selector: { host } })), host).toEqual([]);
  });
});

describe('an edge id with a control character (MS117)', () => {
  it('is an error at the id that shows the character escaped', () => {
    const policy: Policy = { ...withGroups({ name: 'web', selector: { labels: 'tier=web' } }), edges: [{ id: 'web\nadd table=0 actions=NORMAL', from: 'web', to: 'web', services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'allow' }] };
    expect(validatePolicy(policy)).toEqual([
      {
        code: 'MS117',
        severity: 'error',
        message: 'edge id "web\\nadd table=0 actions=NORMAL" holds a control character (a line break, tab or escape); write the id on one line, without them',
        location: { path: 'edges.0.id', element: { kind: 'edge', id: 'web\nadd table=0 actions=NORMAL' } },
      },
    ]);
  });

  // A new user's defect: an id that looks like another's, through an invisible character, was taken.
  it('is an error at the id that holds an invisible character, saying which and where', () => {
    const policy: Policy = { ...withGroups({ name: 'web', selector: { labels: 'tier=web' } }), edges: [{ id: 'web-to-web\u2060', from: 'web', to: 'web', services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'allow' }] };
    expect(validatePolicy(policy)).toEqual([
      {
        code: 'MS117',
        severity: 'error',
        message: 'edge id "web-to-web\\u2060" holds U+2060 (WORD JOINER) at character 11, which shows as nothing: it looks like "web-to-web" but is another name; delete it',
        location: { path: 'edges.0.id', element: { kind: 'edge', id: 'web-to-web\u2060' } },
      },
    ]);
  });

  it('takes spaces, quotes and other printable text', () => {
    const policy: Policy = { ...withGroups({ name: 'web', selector: { labels: 'tier=web' } }), edges: [{ id: 'web "to" web\'s', from: 'web', to: 'web', services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'allow' }] };
    expect(codes(policy)).toEqual([]);
  });
});

describe('address blocks an except empties (MS118), or a group lists twice (MS119)', () => {
  it('warns at except when it removes every address of the cidrs (MS118)', () => {
    const [warning] = validatePolicy(withGroups({ name: 'lab', selector: { cidrs: ['fd00::/64', 'fd00:0:0:1::/64'], except: ['fd00::/63'] } }));
    expect(warning).toEqual({
      code: 'MS118',
      severity: 'warning',
      message: 'the except blocks of group "lab" remove every address of its cidrs (fd00::/64, fd00:0:0:1::/64), so its blocks hold no address; narrow except or widen cidrs',
      location: { path: 'groups.0.selector.except', element: { kind: 'group', id: 'lab' } },
    });
    expect(codes(withGroups({ name: 'lab', selector: { cidrs: ['fd00::/64'], except: ['fd00::1/128'] } }))).toEqual([]);
  });

  it('warns at the second listing of a block, however it was written (MS119)', () => {
    const policy = withGroups({ name: 'lan', selector: { cidrs: ['10.0.0.0/8', '192.0.2.0/24', '10.0.0.0/8'], except: ['10.1.0.0/16', '10.1.0.9/16'] } });
    expect(validatePolicy(policy).filter((d) => d.code === 'MS119')).toEqual([
      { code: 'MS119', severity: 'warning', message: 'group "lan" lists 10.0.0.0/8 twice in cidrs; remove this one', location: { path: 'groups.0.selector.cidrs.2', element: { kind: 'group', id: 'lan' } } },
      { code: 'MS119', severity: 'warning', message: 'group "lan" lists 10.1.0.0/16 twice in except (here written "10.1.0.9/16"); remove this one', location: { path: 'groups.0.selector.except.1', element: { kind: 'group', id: 'lan' } } },
    ]);
  });
});

describe('IPv4 written as IPv6 (MS105, MS121)', () => {
  // OVS matches an IPv4 packet by its IPv4 addresses, so a mapped block or resolver holds nothing:
  // an allow edge of it permits nothing, and an except of it carves nothing out.
  it('refuses a mapped block in cidrs or except, naming the IPv4 block to write', () => {
    const found = validatePolicy(withGroups({ name: 'outside', selector: { cidrs: ['0.0.0.0/0', '::ffff:8.8.8.0/120'], except: ['::ffff:a00:0/104'] } }));
    expect(found.filter((d) => d.code === 'MS105')).toEqual([
      expect.objectContaining({ severity: 'error', message: '"::ffff:8.8.8.0/120" is the IPv4 block 8.8.8.0/24 written as IPv6, which no packet carries; write 8.8.8.0/24', location: expect.objectContaining({ path: 'groups.0.selector.cidrs.1' }) }),
      expect.objectContaining({ severity: 'error', message: '"::ffff:a00:0/104" is the IPv4 block 10.0.0.0/8 written as IPv6, which no packet carries; write 10.0.0.0/8', location: expect.objectContaining({ path: 'groups.0.selector.except.0' }) }),
    ]);
  });

  it('accepts IPv6 blocks that only contain the mapped range, or lie beside it', () => {
    expect(codes(withGroups({ name: 'v6', selector: { cidrs: ['::/0', '::fffe:0:0/95', '64:ff9b::/96', 'fd00::/8'] } }))).toEqual([]);
  });

  it('refuses a mapped DNS resolver, naming the IPv4 address to write', () => {
    const policy: Policy = { ...emptyPolicy('p'), infrastructure: { dhcp: false, dnsResolvers: ['10.0.0.53', '::ffff:10.0.0.54'] } };
    expect(validatePolicy(policy)).toEqual([
      expect.objectContaining({ code: 'MS121', severity: 'error', message: 'DNS resolver "::ffff:10.0.0.54" is the IPv4 address 10.0.0.54 written as IPv6, which no packet carries; write 10.0.0.54', location: { path: 'infrastructure.dnsResolvers.1' } }),
    ]);
  });
});

// A new user's defect: the refusal quoted the name as it stands, so it seemed to keep the rule it broke.
describe('a group name holding an invisible character (MS101)', () => {
  it('says which character, and where, rather than the rule the name seems to keep', () => {
    expect(validatePolicy(withGroups({ name: '\u200dweb', selector: { labels: 'tier=web' } }))).toEqual([
      {
        code: 'MS101',
        severity: 'error',
        message: 'group name "\\u200dweb" holds U+200D (ZERO WIDTH JOINER) at character 1, which shows as nothing: it looks like "web" but is another name; delete it',
        location: { path: 'groups.0.name', element: { kind: 'group', id: '\u200dweb' } },
      },
    ]);
  });
});
