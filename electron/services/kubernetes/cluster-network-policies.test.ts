import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compilePolicy } from '@shared/compiler/compile';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { connection, verdicts } from '@shared/kubernetes/testing/cluster';
import { KubeApiDouble } from '../../../e2e/support/kube-api-double/kube-api-double';
import { KubernetesInventory } from '../kubernetes-inventory';
import { createLogger } from '../logger';
import { ServiceError } from '../service-error';
import { importClusterNetworkPolicies } from './cluster-network-policies';

// A cluster's NetworkPolicies become a design, listed from the API server double over real
// HTTPS with the same connection code as the live inventory. KUBECONFIG names the double's
// file only, so nothing here can reach a real cluster.

const log = createLogger({ level: 'error' });
const FAST = { backoff: { firstMs: 50, maxMs: 200 }, coalesceMs: 5, openTimeoutMs: 10_000 };

function seedShop(double: KubeApiDouble): void {
  double.addNamespace('shop', { team: 'payments' });
  double.addNamespace('ops', { team: 'ops' });
  double.addNode('node-a', '192.0.2.11');
  double.addNode('node-b', '192.0.2.12');
  double.addPod({ namespace: 'shop', name: 'web-0', labels: { app: 'web' }, node: 'node-a', ports: [{ name: 'http', containerPort: 8080 }] });
  double.addPod({ namespace: 'shop', name: 'db-0', labels: { app: 'db' }, node: 'node-b', ports: [{ name: 'postgres', containerPort: 5432 }] });
  double.addPod({ namespace: 'shop', name: 'db-1', labels: { app: 'db' }, ips: [] });
  double.addPod({ namespace: 'ops', name: 'prometheus-0', labels: { app: 'prometheus' }, node: 'node-b' });

  double.addNetworkPolicy('shop', 'default-deny', { podSelector: {} });
  double.addNetworkPolicy('shop', 'db-from-web', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'postgres' }] }],
  });
  double.addNetworkPolicy('shop', 'web-scraped', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 8080 }] }],
  });
}

/** A policy of another namespace than shop, the one the namespace-bound user may read. */
const OPS_POLICY = { podSelector: { matchLabels: { app: 'prometheus' } }, ingress: [{ from: [{ podSelector: {} }] }] };

describe('importing the NetworkPolicies of a Kubernetes context', () => {
  let double: KubeApiDouble;
  let kubernetes: KubernetesInventory;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    double = await KubeApiDouble.start();
    seedShop(double);
    env = { KUBECONFIG: double.kubeconfigFile };
    kubernetes = new KubernetesInventory(() => undefined, log, env, FAST);
  });

  afterEach(async () => {
    await kubernetes.closeAll();
    await double.stop();
  });

  it('lists networking.k8s.io/v1 networkpolicies once and gives a design with the cluster\'s meaning for its live pods', async () => {
    const imported = await importClusterNetworkPolicies('double', env);
    expect(imported.diagnostics).toEqual([]);
    const policy: Policy = imported.policy!;
    expect(policy.name).toBe('double');
    expect(policy.edges.map((e) => e.description ?? '').join('\n')).toMatch(/shop\/db-from-web[\s\S]*shop\/web-scraped/);
    expect(double.requests.filter((r) => r.resource === 'networkpolicies')).toEqual([expect.objectContaining({ watch: false })]);

    const inventory: Inventory = (await kubernetes.load('double', 'kubernetes:double')).inventory;
    // The pending db-1 (no node, no address) gets no table of its own.
    expect(compilePolicy(policy, inventory).hosts.map((h) => h.host)).toEqual(['node-a', 'node-b']);
    const cases: [string, boolean][] = [
      ['tcp shop/web-0 -> shop/db-0:5432', true],
      ['tcp ops/prometheus-0 -> shop/web-0:8080', true],
      ['tcp ops/prometheus-0 -> shop/db-0:5432', false],
      ['tcp shop/db-0 -> shop/web-0:8080', false],
      ['tcp shop/web-0 -> ops/prometheus-0:9090', true],
    ];
    for (const [text, expected] of cases) {
      const answer = verdicts(policy, inventory, connection(text));
      expect(answer, text).toEqual({ tables: expected, reference: expected });
    }
  });

  it('reports a policy it would refuse by context, namespace/name and field, and imports nothing', async () => {
    double.addNetworkPolicy('shop', 'bad-range', { podSelector: {}, ingress: [{ ports: [{ port: 9000, endPort: 8000 }] }] });
    const imported = await importClusterNetworkPolicies('double', env);
    expect(imported.policy).toBeNull();
    expect(imported.diagnostics).toEqual([
      expect.objectContaining({ code: 'MS604', severity: 'error', location: { file: 'double networkpolicy shop/bad-range', path: 'spec.ingress.0.ports.0.endPort' } }),
    ]);
  });

  it('names the context and what it was doing when the API server refuses the credentials', async () => {
    const failure = await importClusterNetworkPolicies('double-bad-token', env).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceError);
    expect((failure as ServiceError).message).toMatch(/context "double-bad-token".*refused our credentials while listing networkpolicies \(401 Unauthorized\)/);
  });

  describe('for a user who may list them in one namespace only (a RoleBinding of view in shop)', () => {
    beforeEach(() => {
      double.addNetworkPolicy('ops', 'prometheus-from-ops', OPS_POLICY);
    });

    it("imports the context's namespace's, and notes that only those were imported and why", async () => {
      const imported = await importClusterNetworkPolicies('double-ns', env);
      expect(imported.policy?.edges.map((e) => e.description ?? '').join('\n')).toMatch(/shop\/db-from-web[\s\S]*shop\/web-scraped/);
      expect(JSON.stringify(imported.policy)).not.toContain('ops/prometheus-from-ops');
      expect(imported.diagnostics[0]).toEqual({
        code: 'MS611',
        severity: 'warning',
        message: expect.stringMatching(/^Kubernetes context "double-ns" may not list networkpolicies in all namespaces \(403 Forbidden\), so only those of namespace "shop" \(the context's namespace\) were imported/) as unknown,
      });
      expect(double.requests.filter((r) => r.resource === 'networkpolicies').map((r) => [r.namespace ?? '*', r.forbidden])).toEqual([['*', true], ['shop', false]]);
    });

    it('names the context and both places tried when the namespace refuses them too', async () => {
      await expect(importClusterNetworkPolicies('double-ns-default', env)).rejects.toThrow(
        /context "double-ns-default" .* does not allow this user to list networkpolicies, in all namespaces or in namespace "default" \(the context's namespace\) \(403 Forbidden\)/,
      );
    });
  });

  it('imports every namespace\'s, with no note, for a user who may list them everywhere', async () => {
    double.addNetworkPolicy('ops', 'prometheus-from-ops', OPS_POLICY);
    const imported = await importClusterNetworkPolicies('double', env);
    expect(JSON.stringify(imported.policy)).toContain('ops/prometheus-from-ops');
    expect(imported.diagnostics.map((d) => d.code)).not.toContain('MS611');
  });
});
