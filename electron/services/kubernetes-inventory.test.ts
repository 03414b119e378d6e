import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryChange } from '@shared/api/contract';
import { KubeApiDouble } from '../../e2e/support/kube-api-double/kube-api-double';
import { kubeconfigFiles, listKubernetesContexts } from './kubernetes-contexts';
import { clusterOf, KubernetesInventory } from './kubernetes-inventory';
import { createLogger } from './logger';

// The service against an API server double over real HTTPS: lists, watches, bookmarks, expiry,
// disconnects and authentication, as the official client meets them in a cluster. KUBECONFIG
// always names the double's file, so nothing here can reach a real cluster.

const log = createLogger({ level: 'error' });
const FAST = { backoff: { firstMs: 50, maxMs: 200 }, coalesceMs: 5, openTimeoutMs: 10_000 };

function seedShop(double: KubeApiDouble): void {
  double.addNamespace('shop', { team: 'payments', env: 'prod' });
  double.addNode('node-a', '192.0.2.11');
  double.addNode('node-b', '192.0.2.12');
  double.addReplicaSet('shop', 'web-5d8f7', 'web');
  double.addJob('shop', 'report-2890', 'report');
  double.addPod({ namespace: 'shop', name: 'web-5d8f7-abcde', labels: { app: 'web', tier: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  double.addPod({ namespace: 'shop', name: 'db-0', labels: { app: 'db' }, node: 'node-b', owner: { kind: 'StatefulSet', name: 'db' }, ips: ['10.244.1.7'] });
  double.addPod({ namespace: 'shop', name: 'report-2890-x1', labels: { app: 'report' }, node: 'node-b', owner: { kind: 'Job', name: 'report-2890' } });
  double.addPod({ namespace: 'shop', name: 'web-5d8f7-pending', labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: 'web-5d8f7' }, ips: [] });
}

describe('Kubernetes contexts and live inventory against the API server double', () => {
  let double: KubeApiDouble;
  let changes: InventoryChange[];
  let kubernetes: KubernetesInventory;
  const sourceId = (context: string): string => `kubernetes:${context}`;
  const last = (): InventoryChange | undefined => changes.at(-1);
  const names = (change: InventoryChange | undefined): string[] => change?.inventory.workloads.map((w) => w.name) ?? [];

  beforeEach(async () => {
    double = await KubeApiDouble.start();
    seedShop(double);
    changes = [];
    kubernetes = new KubernetesInventory((c) => changes.push(c), log, { KUBECONFIG: double.kubeconfigFile }, FAST);
  });

  afterEach(async () => {
    await kubernetes.closeAll();
    await double.stop();
  });

  it('lists the contexts of every KUBECONFIG file as kubectl merges them, the current one marked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    const second = join(dir, 'second');
    writeFileSync(second, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'other', clusters: [{ name: 'far', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'other', context: { cluster: 'far', user: 'u' } }, { name: 'double', context: { cluster: 'far', user: 'u' } }] }));
    const env = { KUBECONFIG: [double.kubeconfigFile, join(dir, 'missing'), second].join(':') };

    expect(kubeconfigFiles(env)).toEqual([double.kubeconfigFile, second]);
    const contexts = listKubernetesContexts(env);
    expect(contexts.map((c) => c.name)).toEqual(['double', 'double-bad-ca', 'double-bad-token', 'double-cert', 'double-no-access', 'double-ns', 'double-ns-default', 'other']);
    // The first file wins: its current context, and its definition of a name both files use.
    expect(contexts.filter((c) => c.current).map((c) => c.name)).toEqual(['double']);
    expect(contexts.find((c) => c.name === 'double')?.server).toBe(double.url);
    // No kubeconfig at all means no contexts: never the in-cluster account or localhost:8080.
    expect(listKubernetesContexts({ HOME: dir })).toEqual([]);
  });

  it('reads pods as workloads: labels, namespace labels, dual-stack addresses, node, owner, ports, phase', async () => {
    const load = await kubernetes.load('double', sourceId('double'));
    const byName = new Map(load.inventory.workloads.map((w) => [w.name, w]));

    const web = byName.get('web-5d8f7-abcde');
    expect(web).toMatchObject({
      id: 'kubernetes:double/shop/web-5d8f7-abcde',
      host: 'node-a',
      namespace: 'shop',
      labels: { app: 'web', tier: 'web' },
      namespaceLabels: { team: 'payments', env: 'prod', 'kubernetes.io/metadata.name': 'shop' },
      owner: { kind: 'Deployment', name: 'web' },
      ports: [{ name: 'http', port: 8080, protocol: 'tcp' }, { name: 'dns', port: 53, protocol: 'udp' }],
      state: 'running',
      origin: { kind: 'kubernetes', source: 'double' },
    });
    expect(web?.addresses).toHaveLength(2);
    expect(web?.addresses.some((a) => a.includes(':'))).toBe(true);
    expect(byName.get('db-0')).toMatchObject({ owner: { kind: 'StatefulSet', name: 'db' }, addresses: ['10.244.1.7'] });
    expect(byName.get('report-2890-x1')?.owner).toEqual({ kind: 'CronJob', name: 'report' });
    expect(byName.get('web-5d8f7-pending')).toMatchObject({ addresses: [], state: 'pending', host: '' });

    expect(load.hosts).toEqual([
      { name: 'node-a', addresses: [{ type: 'InternalIP', address: '192.0.2.11' }, { type: 'Hostname', address: 'node-a' }], suggestedAddress: '192.0.2.11' },
      { name: 'node-b', addresses: [{ type: 'InternalIP', address: '192.0.2.12' }, { type: 'Hostname', address: 'node-b' }], suggestedAddress: '192.0.2.12' },
    ]);
    expect(load.live?.status).toBe('live');
  });

  it('sees pods added, relabelled and deleted through the watch, and namespace label changes', async () => {
    await kubernetes.load('double', sourceId('double'));
    double.addPod({ namespace: 'shop', name: 'web-5d8f7-fghij', labels: { app: 'web' }, node: 'node-a', owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } });
    await vi.waitFor(() => expect(names(last())).toContain('web-5d8f7-fghij'));
    expect(last()?.inventory.workloads.find((w) => w.name === 'web-5d8f7-fghij')?.owner).toEqual({ kind: 'Deployment', name: 'web' });

    double.modify('Pod', 'shop', 'db-0', (pod) => ({ ...pod, metadata: { ...pod.metadata, labels: { app: 'db', role: 'primary' } } }));
    await vi.waitFor(() => expect(last()?.inventory.workloads.find((w) => w.name === 'db-0')?.labels).toEqual({ app: 'db', role: 'primary' }));

    double.modify('Namespace', undefined, 'shop', (ns) => ({ ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, env: 'stage' } } }));
    await vi.waitFor(() => expect(last()?.inventory.workloads.every((w) => w.namespaceLabels?.env === 'stage')).toBe(true));

    double.deletePod('shop', 'db-0');
    await vi.waitFor(() => expect(names(last())).not.toContain('db-0'));
    expect(last()?.status).toBe('live');
  });

  it('asks for bookmarks and resumes a cleanly ended watch from the bookmarked version, without listing again', async () => {
    await kubernetes.load('double', sourceId('double'));
    expect(double.requests.filter((r) => r.watch).every((r) => r.allowWatchBookmarks)).toBe(true);

    // Other collections move the resourceVersion on; only a bookmark tells the pod watch.
    double.addNode('node-c', '192.0.2.13');
    await vi.waitFor(() => expect(last()?.hosts.map((h) => h.name)).toContain('node-c'));
    const bookmarked = String(double.store.resourceVersion);
    double.bookmark();
    await new Promise((r) => setTimeout(r, 50));

    const listsBefore = double.requests.filter((r) => r.resource === 'pods' && !r.watch).length;
    double.endWatches();
    await vi.waitFor(() => expect(double.requests.filter((r) => r.resource === 'pods' && r.watch).at(-1)?.resourceVersion).toBe(bookmarked));
    expect(double.requests.filter((r) => r.resource === 'pods' && !r.watch)).toHaveLength(listsBefore);
  });

  for (const expiry of ['event', 'status'] as const) {
    it(`lists again when the watch's resourceVersion has expired (410 as ${expiry === 'event' ? 'an ERROR event' : 'the HTTP status'})`, async () => {
      await double.stop();
      double = await KubeApiDouble.start({ expiry });
      seedShop(double);
      kubernetes = new KubernetesInventory((c) => changes.push(c), log, { KUBECONFIG: double.kubeconfigFile }, FAST);
      await kubernetes.load('double', sourceId('double'));
      const lists = (): number => double.requests.filter((r) => r.resource === 'pods' && !r.watch).length;
      expect(lists()).toBe(1);

      // The watch ends, history is compacted, and a pod comes and one goes while no watch is open.
      double.endWatches();
      double.store.compact();
      double.addPod({ namespace: 'shop', name: 'missed-while-away', labels: { app: 'web' }, node: 'node-a' });
      double.deletePod('shop', 'db-0');

      await vi.waitFor(() => expect(lists()).toBe(2));
      await vi.waitFor(() => expect(names(last())).toContain('missed-while-away'));
      expect(names(last())).not.toContain('db-0');
      // The client's ListWatch relisted by itself: the source never went stale on the way.
      expect(changes.every((c) => c.status === 'live')).toBe(true);
    });
  }

  it('shows a lost connection as stale with the time of the last update, keeps the workloads, and comes back by itself', async () => {
    const load = await kubernetes.load('double', sourceId('double'));
    double.setDown(true);
    await vi.waitFor(() => expect(last()?.status).toBe('stale'));
    expect(last()?.message).toMatch(/context "double"/);
    expect(last()?.updatedAt).toBe(load.live?.updatedAt);
    expect(names(last())).toEqual(load.inventory.workloads.map((w) => w.name));

    double.addPod({ namespace: 'shop', name: 'born-during-outage', labels: { app: 'web' }, node: 'node-b' });
    double.setDown(false);
    await vi.waitFor(() => expect(last()?.status).toBe('live'), { timeout: 5000 });
    await vi.waitFor(() => expect(names(last())).toContain('born-during-outage'));
    expect(Date.parse(last()!.updatedAt)).toBeGreaterThan(Date.parse(load.live!.updatedAt));
  });

  it('authenticates with a bearer token or a client certificate', async () => {
    await kubernetes.load('double', sourceId('double'));
    const byCert = await kubernetes.load('double-cert', sourceId('double-cert'));
    expect(byCert.inventory.workloads).toHaveLength(4);
  });

  it('names the cluster a context reads, one for two contexts of one API server whatever their user or namespace', async () => {
    // double (token-user, namespace default) and double-cert (cert-user, no namespace) are two doors onto one server.
    const [byToken, byCert] = [await kubernetes.load('double', sourceId('double')), await kubernetes.load('double-cert', sourceId('double-cert'))];
    expect(byToken.cluster).toEqual({ server: double.url });
    expect(byCert.cluster).toEqual(byToken.cluster);
    expect(byCert.inventory.workloads.map((w) => w.name)).toEqual(byToken.inventory.workloads.map((w) => w.name));
  });

  it('refuses a bad token or an untrusted server certificate with an error naming the context', async () => {
    await expect(kubernetes.load('double-bad-token', sourceId('double-bad-token'))).rejects.toThrow(/context "double-bad-token".*401 Unauthorized/);
    await expect(kubernetes.load('double-bad-ca', sourceId('double-bad-ca'))).rejects.toThrow(/context "double-bad-ca".*certificate/);
    await expect(kubernetes.load('nope', sourceId('nope'))).rejects.toThrow(/no Kubernetes context "nope"/);
  });

  it('stops its watches when the source is closed', async () => {
    await kubernetes.load('double', sourceId('double'));
    await vi.waitFor(() => expect(double.openWatches).toBe(5));
    await kubernetes.close('double');
    await vi.waitFor(() => expect(double.openWatches).toBe(0));
  });
});

describe('clusterOf', () => {
  it('spells one API server one way, so its contexts are seen as one cluster', () => {
    expect(clusterOf('https://API.Example:443/')).toBe('https://api.example');
    expect(clusterOf('https://127.0.0.1:6443')).toBe('https://127.0.0.1:6443');
    expect(clusterOf('https://[::1]:6443/k8s/clusters/c-1/')).toBe('https://[::1]:6443/k8s/clusters/c-1');
    expect(clusterOf('https://127.0.0.1:6443')).not.toBe(clusterOf('https://127.0.0.1:6444'));
    expect(clusterOf('not a url')).toBe('not a url');
  });
});
