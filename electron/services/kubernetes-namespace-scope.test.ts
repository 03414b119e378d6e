import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryChange, InventoryLoad } from '@shared/api/contract';
import { KubeApiDouble, type KubeApiDoubleOptions } from '../../e2e/support/kube-api-double/kube-api-double';
import { KubernetesInventory } from './kubernetes-inventory';
import { createLogger } from './logger';

// Credentials that may read one namespace only (a RoleBinding there), against the API server
// double, which refuses everything else with 403 as RBAC does. KUBECONFIG names only the
// double's file, so nothing here can reach a real cluster.

const log = createLogger({ level: 'error' });
/** As the API server keeps them: its own name label besides those given. */
const SHOP_LABELS = { 'kubernetes.io/metadata.name': 'shop', team: 'payments' };
const FAST = { backoff: { firstMs: 50, maxMs: 200 }, coalesceMs: 5, openTimeoutMs: 10_000 };

function seed(double: KubeApiDouble): void {
  double.addNamespace('shop', { team: 'payments' });
  double.addNamespace('other', { team: 'search' });
  double.addNode('node-a', '192.0.2.11');
  double.addNode('node-b', '192.0.2.12');
  double.addReplicaSet('shop', 'web-5d8f7', 'web');
  double.addJob('shop', 'report-2890', 'report');
  double.addPod({ namespace: 'shop', name: 'web-5d8f7-abcde', labels: { app: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } });
  double.addPod({ namespace: 'shop', name: 'report-2890-x1', labels: { app: 'report' }, node: 'node-b', owner: { kind: 'Job', name: 'report-2890' } });
  double.addPod({ namespace: 'other', name: 'search-0', labels: { app: 'search' }, node: 'node-b' });
}

describe('a Kubernetes context whose credentials may read one namespace only', () => {
  let double: KubeApiDouble;
  let changes: InventoryChange[];
  let kubernetes: KubernetesInventory;
  const last = (): InventoryChange | undefined => changes.at(-1);
  const names = (change: InventoryChange | undefined): string[] => change?.inventory.workloads.map((w) => w.name) ?? [];

  beforeEach(async () => {
    double = await KubeApiDouble.start();
    seed(double);
    changes = [];
    kubernetes = new KubernetesInventory((c) => changes.push(c), log, { KUBECONFIG: double.kubeconfigFile }, FAST);
  });

  afterEach(async () => {
    await kubernetes.closeAll();
    await double.stop();
  });

  it("reads the context's namespace: its pods, with owners through its replicasets and jobs, live", async () => {
    const load = await kubernetes.load('double-ns', 'kubernetes:double-ns');

    expect(load.inventory.workloads.map((w) => w.name)).toEqual(['report-2890-x1', 'web-5d8f7-abcde']);
    const web = load.inventory.workloads.find((w) => w.name === 'web-5d8f7-abcde');
    expect(web).toMatchObject({ namespace: 'shop', host: 'node-a', owner: { kind: 'Deployment', name: 'web' }, state: 'running' });
    expect(load.inventory.workloads.find((w) => w.name === 'report-2890-x1')?.owner).toEqual({ kind: 'CronJob', name: 'report' });
    expect(load.live?.status).toBe('live');
    // Cluster-wide pods were refused; from then on only the namespace's collections are asked for.
    expect(double.requests.filter((r) => r.resource === 'pods' && !r.watch).map((r) => [r.namespace ?? '*', r.forbidden])).toEqual([['*', true], ['shop', false]]);
    await vi.waitFor(() => expect(double.openWatches).toBe(3));
    expect(new Set(double.requests.filter((r) => r.watch).map((r) => `${r.resource} in ${r.namespace ?? '*'}`))).toEqual(new Set(['pods in shop', 'replicasets in shop', 'jobs in shop']));
  });

  it('gets its own namespace, which a RoleBinding of view allows, so namespaceLabels select its pods; nodes it does without', async () => {
    const load = await kubernetes.load('double-ns', 'kubernetes:double-ns');

    expect(load.inventory.workloads.map((w) => w.namespaceLabels)).toEqual([SHOP_LABELS, SHOP_LABELS]);
    // Listing or watching it by name is cluster-scoped, which no RoleBinding grants: it is got once.
    expect(double.requests.filter((r) => r.resource === 'namespaces').map((r) => [r.verb, r.name ?? '*', r.forbidden])).toEqual([['list', '*', true], ['list', 'shop', true], ['get', 'shop', false]]);
    // Hosts are the pods' nodes, without addresses.
    expect(load.hosts).toEqual([{ name: 'node-a', addresses: [] }, { name: 'node-b', addresses: [] }]);
  });

  it('says it is limited to the namespace, and what each refusal costs, naming the context', async () => {
    const load = await kubernetes.load('double-ns', 'kubernetes:double-ns');

    expect(load.diagnostics.map((d) => [d.code, d.severity])).toEqual([['MS320', 'warning'], ['MS322', 'warning'], ['MS324', 'info']]);
    const [scope, nodes, namespace] = load.diagnostics.map((d) => d.message);
    expect(scope).toMatch(/context "double-ns" may not list pods in all namespaces \(403 Forbidden\), so this source is limited to namespace "shop"/);
    expect(nodes).toMatch(/context "double-ns" may not list nodes \(403 Forbidden\), so node addresses are unknown.*SSH address/);
    expect(namespace).toMatch(/context "double-ns" may get namespace "shop" but not watch it \(403 Forbidden\), so its labels are those read when this source opened/);
    // Opened again, the source answers from its picture with the same warnings.
    expect((await kubernetes.load('double-ns', 'kubernetes:double-ns')).diagnostics).toEqual(load.diagnostics);
  });

  it("follows the namespace's pods through its watch, and never sees another namespace's", async () => {
    await kubernetes.load('double-ns', 'kubernetes:double-ns');

    // Same stream, in order: were the other namespace's pod sent, it would arrive first.
    double.addPod({ namespace: 'other', name: 'search-1', labels: { app: 'search' }, node: 'node-a' });
    double.addPod({ namespace: 'shop', name: 'web-5d8f7-fghij', labels: { app: 'web' }, node: 'node-c', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } });
    await vi.waitFor(() => expect(names(last())).toContain('web-5d8f7-fghij'));
    expect(names(last())).not.toContain('search-1');
    expect(last()?.hosts.map((h) => h.name)).toEqual(['node-a', 'node-b', 'node-c']);

    double.modify('Pod', 'shop', 'report-2890-x1', (pod) => ({ ...pod, metadata: { ...pod.metadata, labels: { app: 'report', run: 'nightly' } } }));
    await vi.waitFor(() => expect(last()?.inventory.workloads.find((w) => w.name === 'report-2890-x1')?.labels).toEqual({ app: 'report', run: 'nightly' }));
    double.deletePod('shop', 'web-5d8f7-abcde');
    await vi.waitFor(() => expect(names(last())).toEqual(['report-2890-x1', 'web-5d8f7-fghij']));
    expect(last()?.status).toBe('live');
  });

  it("reads `default` for a context that names no namespace, as kubectl does, and fails as before when that is forbidden too", async () => {
    await expect(kubernetes.load('double-ns-default', 'kubernetes:double-ns-default')).rejects.toThrow(
      /context "double-ns-default" .* does not allow this user to list pods, in all namespaces or in namespace "default" \(the context's namespace\) \(403 Forbidden\)\. Ask for read access/,
    );
    expect(double.requests.filter((r) => r.resource === 'pods').map((r) => r.namespace ?? '*')).toEqual(['*', 'default']);
  });

  it('fails with the 403 naming the context when even the namespace may not be read, and leaves no watch open', async () => {
    await expect(kubernetes.load('double-no-access', 'kubernetes:double-no-access')).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/context "double-no-access" .* list pods, in all namespaces or in namespace "shop" .*403 Forbidden/) as unknown,
    });
    expect(double.requests.every((r) => !r.watch)).toBe(true);
  });

  it('warns of nothing for credentials that may read everything', async () => {
    const load = await kubernetes.load('double', 'kubernetes:double');
    expect(load.diagnostics).toEqual([]);
    expect(load.inventory.workloads.map((w) => w.name)).toEqual(['search-0', 'report-2890-x1', 'web-5d8f7-abcde']);
  });
});

describe("the context's namespace of a user who may read one namespace only", () => {
  let double: KubeApiDouble | undefined;
  let changes: InventoryChange[];
  let kubernetes: KubernetesInventory | undefined;

  async function open(namespaceUser: KubeApiDoubleOptions['namespaceUser']): Promise<InventoryLoad> {
    double = await KubeApiDouble.start({ namespaceUser });
    seed(double);
    changes = [];
    kubernetes = new KubernetesInventory((c) => changes.push(c), log, { KUBECONFIG: double.kubeconfigFile }, FAST);
    return kubernetes.load('double-ns', 'kubernetes:double-ns');
  }

  afterEach(async () => {
    await kubernetes?.closeAll();
    await double?.stop();
  });

  it('is watched by its name when a ClusterRole names it, so a change to its labels reaches the workloads', async () => {
    const load = await open({ namespaceByName: true });
    expect(load.diagnostics.map((d) => d.code)).toEqual(['MS320', 'MS322']);
    expect(load.inventory.workloads[0]?.namespaceLabels).toEqual(SHOP_LABELS);
    await vi.waitFor(() => expect(double!.requests.some((r) => r.resource === 'namespaces' && r.verb === 'watch' && r.name === 'shop' && !r.forbidden)).toBe(true));

    double!.modify('Namespace', undefined, 'shop', (ns) => ({ ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, team: 'checkout' } } }));
    await vi.waitFor(() => expect(changes.at(-1)?.inventory.workloads.map((w) => w.namespaceLabels)).toEqual([{ ...SHOP_LABELS, team: 'checkout' }, { ...SHOP_LABELS, team: 'checkout' }]));
    expect(double!.requests.filter((r) => r.resource === 'namespaces').every((r) => r.verb !== 'get')).toBe(true);
  });

  it('is done without when its Role has no rule for namespaces: MS321, and only the name label', async () => {
    const load = await open({ role: 'workloads' });
    expect(load.diagnostics.map((d) => d.code)).toEqual(['MS320', 'MS321', 'MS322']);
    expect(load.diagnostics[1]?.message).toMatch(/context "double-ns" may not list namespaces, nor get namespace "shop" \(403 Forbidden\), so namespace labels are unknown.*namespaceLabels miss them/);
    expect(load.inventory.workloads.map((w) => w.namespaceLabels)).toEqual([{ 'kubernetes.io/metadata.name': 'shop' }, { 'kubernetes.io/metadata.name': 'shop' }]);
  });
});
