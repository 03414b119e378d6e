import { describe, expect, it } from 'vitest';
import type { Inventory, Workload } from '../inventory/model';
import { emptyPolicy, type Group, type Policy, type Service } from '../policy/model';
import { parseService as parseServiceText } from '../policy/services';
import { exportNetworkPolicies } from './export';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';
import { CLUSTER, connection, verdicts } from './testing/cluster';

const web = (name: string): Group => ({ name, selector: { namespace: 'shop', labels: `app=${name.replace(/[._]/g, '-')}` } });

function exported(groups: Group[]): { names: string[]; diagnostics: string[] } {
  const policy: Policy = { ...emptyPolicy('t'), groups, edges: groups.map((g) => ({ id: `${g.name}-self`, from: g.name, to: g.name, services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'allow' })) };
  const files = exportNetworkPolicies(policy).files;
  const parsed = files.map((f) => parseNetworkPolicies(f.yaml, `${f.namespace}.yaml`));
  return { names: parsed.flatMap((p) => p.policies.map((x) => x.name)), diagnostics: parsed.flatMap((p) => p.diagnostics.map((d) => d.message)) };
}

describe('exportNetworkPolicies names', () => {
  it('gives groups whose names differ different, valid NetworkPolicy names, the same on every export', () => {
    const groups = [web('a_b'), web('a-b'), web('default-deny'), web('x._y'), web('plain')];
    const first = exported(groups);
    expect(first.diagnostics).toEqual([]);
    expect(new Set(first.names).size).toBe(groups.length + 1);
    expect(first.names).toContain('microseg-a-b');
    expect(first.names).toContain('microseg-plain');
    expect(first.names).toContain('microseg-default-deny');
    expect(exported([...groups].reverse()).names.sort()).toEqual([...first.names].sort());
  });
});

describe('namespaces by name', () => {
  // Inventories (and pods listed before their namespace) need not list kubernetes.io/metadata.name;
  // every namespace has it all the same, so a namespace pattern exported by name imports back.
  const pod = (namespace: string, name: string, host: string, address: string, labels: Record<string, string>): Workload => ({ id: `t/${namespace}/${name}`, name, host, addresses: [address], labels, namespace, origin: { kind: 'static', source: 't' } });
  const inventory: Inventory = {
    readAt: 'x',
    workloads: [pod('shop', 'web', 'n1', '10.1.0.1', { app: 'web' }), pod('prod-a', 'x', 'n2', '10.2.0.1', { app: 'x' }), pod('prod-b', 'y', 'n1', '10.2.0.2', { app: 'y' }), pod('dev', 'z', 'n2', '10.3.0.1', { app: 'z' })],
  };

  it('keeps a namespace pattern through export and import, though no workload lists its name label', () => {
    const design: Policy = {
      ...emptyPolicy('t'),
      groups: [{ name: 'web', selector: { namespace: 'shop', labels: 'app=web' } }, { name: 'prod', selector: { namespace: 'prod-*' } }],
      edges: [{ id: 'prod-web', from: 'prod', to: 'web', services: [{ protocol: 'tcp', ports: { from: 80, to: 80 } }], action: 'allow' }],
    };
    const files = exportNetworkPolicies(design, inventory).files;
    const parsed = files.map((f) => parseNetworkPolicies(f.yaml, `${f.namespace}.yaml`));
    const back = importNetworkPolicies(parsed.flatMap((p) => p.policies), 'back').policy;
    for (const [text, pass] of [['tcp prod-a/x -> shop/web:80', true], ['tcp prod-b/y -> shop/web:80', true], ['tcp dev/z -> shop/web:80', false]] as const) {
      expect(verdicts(design, inventory, connection(text)), text).toEqual({ tables: pass, reference: pass });
      expect(verdicts(back, inventory, connection(text)), text).toEqual({ tables: pass, reference: pass });
    }
  });
});

describe('what the export refuses rather than widen or cut', () => {
  const pod = (name: string, port: number): Workload => ({ id: `t/shop/${name}`, name, host: 'n1', addresses: ['10.1.0.9'], labels: { app: 'db' }, namespace: 'shop', ports: [{ name: 'postgres', port, protocol: 'tcp' }], origin: { kind: 'static', source: 't' } });
  const design = (service: string): Policy => ({
    ...emptyPolicy('t'),
    groups: [web('web'), { name: 'db', selector: { namespace: 'shop', labels: 'app=db' } }],
    edges: [{ id: 'web-db', from: 'web', to: 'db', services: [parseService(service)], action: 'allow' }],
  });
  const parseService = (text: string): Service => {
    const parsed = parseServiceText(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.service;
  };

  it('says a named port filtered by number as the named port only where every pod declaring it has it in range', () => {
    const inside = exportNetworkPolicies(design('tcp/postgres@5432'), { readAt: 'x', workloads: [pod('db-1', 5432)] });
    expect(inside.warnings).toMatchObject([{ code: 'MS654', severity: 'warning', location: { path: 'edges.0.services.0' } }]);
    expect(inside.files.find((f) => f.namespace === 'shop')!.yaml).toContain('port: postgres');

    const outside = exportNetworkPolicies(design('tcp/postgres@5432'), { readAt: 'x', workloads: [pod('db-1', 5432), pod('db-2', 6000)] });
    expect(outside.files).toEqual([]);
    expect(outside.warnings).toMatchObject([{ code: 'MS654', severity: 'error', message: expect.stringContaining('declare postgres outside 5432 (db-2: 6000)') }]);

    const unknown = exportNetworkPolicies(design('tcp/postgres@5432'));
    expect(unknown.files).toEqual([]);
    expect(unknown.warnings).toMatchObject([{ code: 'MS654', severity: 'error', message: expect.stringContaining('export with the inventory that lists the pods of "db" and their named ports (on the command line --inventory FILE') }]);
  });

  it('writes no rule towards a group that holds nobody: an empty peer list would be everyone', () => {
    const nobody: Policy = {
      ...design('tcp/80'),
      defaults: { withinGroup: 'drop', betweenGroups: 'drop' },
      groups: [web('web'), { name: 'db', selector: { namespace: 'shop', labels: 'app=db', exclude: [{ namespace: 'shop' }] } }],
    };
    const yaml = exportNetworkPolicies(nobody).files.map((f) => f.yaml).join('\n');
    expect(yaml).not.toMatch(/(from|to): \[\]/);
    expect(yaml).not.toContain('microseg-web');
  });

  it('lets members of a group with address blocks talk among themselves, never with the blocks', () => {
    const mixed: Policy = { ...emptyPolicy('t'), defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, groups: [{ name: 'web', selector: { namespace: 'shop', labels: 'app=web', cidrs: ['192.0.2.0/24'] } }] };
    const parsed = parseNetworkPolicies(exportNetworkPolicies(mixed).files[0]!.yaml, 'shop.yaml').policies.find((p) => p.name === 'microseg-web')!;
    expect(parsed.ingressRules.flatMap((r) => (r.peers === 'everyone' ? ['everyone'] : r.peers.map((p) => p.kind)))).toEqual(['pods']);
    expect(parsed.egressRules.flatMap((r) => (r.peers === 'everyone' ? ['everyone'] : r.peers.map((p) => p.kind)))).toEqual(['pods']);
  });

  it('refuses a group that holds workloads in no namespace when it permits traffic: pods could no longer reach them', () => {
    const backups = (edges: Policy['edges']): Policy => ({ ...emptyPolicy('t'), defaults: { withinGroup: 'drop', betweenGroups: 'drop' }, groups: [{ name: 'backup', selector: { labels: 'role=backup' } }, { name: 'db', selector: { namespace: 'default', labels: 'app=db' } }], edges });
    const refused = exportNetworkPolicies(backups([{ id: 'db-backup', from: 'db', to: 'backup', services: [{ protocol: 'tcp', ports: { from: 873, to: 873 } }], action: 'allow' }]), CLUSTER);
    expect(refused.files).toEqual([]);
    expect(refused.warnings).toMatchObject([{ code: 'MS655', severity: 'error', message: expect.stringContaining('"db-backup"'), location: { path: 'groups.0.selector' } }]);
    const idle = exportNetworkPolicies(backups([]), CLUSTER);
    expect(idle.warnings).toMatchObject([{ code: 'MS655', severity: 'warning' }]);
    expect(idle.files.length).toBeGreaterThan(0);
  });

  it('refuses a group of workloads and every address whose members may talk: NetworkPolicy cannot single the members out', () => {
    const everyone: Policy = { ...emptyPolicy('t'), defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, groups: [{ name: 'all', selector: { namespace: 'shop', labels: 'app=web', cidrs: ['0.0.0.0/0', '::/0'] } }] };
    expect(exportNetworkPolicies(everyone).warnings).toMatchObject([{ code: 'MS653', severity: 'error', message: expect.stringContaining('also holds every address') }]);
    expect(exportNetworkPolicies({ ...everyone, groups: [{ ...everyone.groups[0]!, isolated: true }] }).warnings).toEqual([]);
  });
});

describe('the default-deny of each namespace', () => {
  // A resolver may be written as a one-address block (the policy takes `10.96.0.10/32`): the
  // export wrote `10.96.0.10/32/32`, which the API server refuses, so the namespace was left
  // without its default-deny and every pod no group holds stayed open.
  it('keeps DNS to the named resolvers open with blocks the API server takes, however a resolver is written', () => {
    const policy: Policy = {
      ...emptyPolicy('t'),
      infrastructure: { dhcp: false, dnsResolvers: ['10.96.0.10/32', 'FD00::0053', ' 10.96.0.11 '] },
      groups: [web('web')],
      edges: [],
    };
    const files = exportNetworkPolicies(policy).files;
    const parsed = files.map((f) => parseNetworkPolicies(f.yaml, `${f.namespace}.yaml`));
    expect(parsed.flatMap((p) => p.diagnostics.map((d) => d.message))).toEqual([]);
    expect(files[0]!.yaml).toContain('cidr: 10.96.0.10/32\n');
    expect(files[0]!.yaml).toContain('cidr: fd00::53/128\n');
    expect(files[0]!.yaml).toContain('cidr: 10.96.0.11/32\n');
  });
});

describe('address blocks as ipBlock', () => {
  // The policy takes a lone address as a block, spaces around one, host bits (MS107 warns) and
  // IPv6 in capitals; the export wrote them as found, so the API server refused the group's
  // NetworkPolicy, as this project's own import says of the exported file.
  it('writes each block and except in its one spelling, which the API server takes', () => {
    const outside: Group = { name: 'outside', selector: { cidrs: ['1.2.3.4', ' 10.0.0.0/8', '203.0.113.7/24', '2001:DB8::/32'], except: [' 10.1.0.0/16', '10.2.0.0/16 '] } };
    const policy: Policy = {
      ...emptyPolicy('t'),
      groups: [web('web'), outside],
      edges: [{ id: 'in', from: 'outside', to: 'web', services: [{ protocol: 'tcp', ports: { from: 443, to: 443 } }], action: 'allow' }],
    };
    const files = exportNetworkPolicies(policy).files;
    const parsed = files.map((f) => parseNetworkPolicies(f.yaml, `${f.namespace}.yaml`));
    expect(parsed.flatMap((p) => p.diagnostics.map((d) => d.message))).toEqual([]);
    const blocks = parsed.flatMap((p) => p.policies).flatMap((p) => JSON.stringify(p).match(/"cidr":"[^"]*"(,"except":\[[^\]]*\])?/g) ?? []);
    expect(blocks).toEqual(['"cidr":"1.2.3.4/32","except":[]', '"cidr":"10.0.0.0/8","except":["10.1.0.0/16","10.2.0.0/16"]', '"cidr":"203.0.113.0/24","except":[]', '"cidr":"2001:db8::/32","except":[]']);
  });
});
