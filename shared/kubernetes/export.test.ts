import { describe, expect, it } from 'vitest';
import type { Inventory, Workload } from '../inventory/model';
import { emptyPolicy, type Group, type Policy } from '../policy/model';
import { exportNetworkPolicies } from './export';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';
import { connection, verdicts } from './testing/cluster';

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
