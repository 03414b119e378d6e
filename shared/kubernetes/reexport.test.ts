import { describe, expect, it } from 'vitest';
import { reachabilityMatrix } from '../analysis/matrix';
import { formatServices, isEmptyServiceSet, serviceSetsEqual } from '../analysis/service-set';
import { compilePolicy } from '../compiler/compile';
import type { Policy } from '../policy/model';
import { loadHostTables } from '../simulator/path';
import { exportNetworkPolicies } from './export';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';
import { CLUSTER, verdicts } from './testing/cluster';

// NetworkPolicy imported, exported and imported again must keep its connectivity. An imported
// design takes isolated pods out of its peers with `exclude` and holds "every address but …"
// groups; the export must say both, or the default-deny it writes cuts what the policies allowed.

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: default }
spec:
  podSelector: { matchLabels: { app: db, role: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ protocol: TCP, port: redis }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: default }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress, Egress]
  ingress:
    - ports: [{ port: http }]
  egress:
    - to: [{ podSelector: { matchLabels: { role: db } } }]
      ports: [{ protocol: TCP, port: 6379 }]
    - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }]
      ports: [{ protocol: TCP, port: 443 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: prod }
spec:
  podSelector: { matchExpressions: [{ key: app, operator: In, values: [api] }] }
  policyTypes: [Egress]
  egress:
    - to: [{ namespaceSelector: { matchLabels: { env: dev } } }]
`;

const PARTIES = [...CLUSTER.workloads.map((w) => (w.namespace ? `${w.namespace}/${w.name}` : w.name)), '203.0.113.9', '10.200.0.1'];
const SERVICES = [80, 443, 6379, 8080, 9000, 22].map((port) => ({ protocol: 'tcp' as const, port }));

function imported(files: { name: string; yaml: string }[]): Policy {
  const parsed = files.map((f) => parseNetworkPolicies(f.yaml, f.name));
  expect(parsed.flatMap((p) => p.diagnostics)).toEqual([]);
  return importNetworkPolicies(parsed.flatMap((p) => p.policies), 'design').policy;
}

/** Every workload pair whose permitted services differ between the two designs, from their compiled tables. */
function reachDifferences(a: Policy, b: Policy): string[] {
  const reach = (p: Policy): ReturnType<typeof reachabilityMatrix>['workloads'] => reachabilityMatrix(p, CLUSTER, loadHostTables(compilePolicy(p, CLUSTER).hosts)).workloads;
  const before = reach(a)!;
  const after = reach(b)!;
  expect(after.names).toEqual(before.names);
  const cell = (m: typeof before, i: number, j: number): (typeof before.cells)[number][number] => m.cells[i]![j]!;
  expect(before.cells.flat().filter((c) => !isEmptyServiceSet(c.always)).length).toBeGreaterThan(10);
  return before.names.flatMap((from, i) =>
    before.names.flatMap((to, j) => (serviceSetsEqual(cell(before, i, j).always, cell(after, i, j).always) ? [] : [`${from} -> ${to}: ${formatServices(cell(before, i, j).always)} became ${formatServices(cell(after, i, j).always)}`])),
  );
}

describe('NetworkPolicy imported, exported and imported again', () => {
  const design = imported([{ name: 'policies.yaml', yaml: POLICIES }]);
  const exported = exportNetworkPolicies(design, CLUSTER);

  it('exports the imported design without an error, saying which named port lost its number filter', () => {
    expect(exported.warnings.filter((w) => w.severity === 'error')).toEqual([]);
    expect(exported.warnings.length).toBeGreaterThan(0);
    for (const w of exported.warnings) {
      expect(`${w.code} ${w.location?.path ?? ''}`).toMatch(/^MS654 edges\.\d+\.services\.0$/);
      expect(w.message).toMatch(/tcp\/(redis|http)@6379 is exported as the named port (redis|http)/);
    }
    expect(exported.files.map((f) => f.namespace)).toEqual(['default', 'dev', 'prod']);
  });

  it('keeps the exact connectivity of every workload pair, and of outside addresses', () => {
    const back = imported(exported.files.map((f) => ({ name: `${f.namespace}.yaml`, yaml: f.yaml })));
    expect(reachDifferences(design, back)).toEqual([]);

    let permitted = 0;
    for (const from of PARTIES)
      for (const to of PARTIES)
        for (const service of SERVICES) {
          if (from === to || !(from.includes('/') || to.includes('/'))) continue;
          const c = { from, to, ...service };
          const expected = verdicts(design, CLUSTER, c).tables;
          expect(verdicts(back, CLUSTER, c).tables, `tcp ${from} -> ${to}:${service.port}`).toBe(expected);
          if (expected) permitted++;
        }
    expect(permitted).toBeGreaterThan(50);
  });

  it('gives a pod selector a namespace needs more than one of its own NetworkPolicy', () => {
    // Ingress isolation of app=db,role=db leaves "not app=db or not role=db" in default: two selectors.
    const names = exported.files.flatMap((f) => parseNetworkPolicies(f.yaml, f.namespace).policies.filter((p) => p.namespace === 'default').map((p) => p.name));
    expect(names.filter((n) => n.startsWith('microseg-not-ingress-isolated')).length).toBe(2);
    expect(new Set(names).size).toBe(names.length);
  });
});
