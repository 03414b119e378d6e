import type { InventoryChange } from '../../shared/api/contract';
import type { Group, Policy } from '../../shared/policy/model';
import { POLICY_API_VERSION } from '../../shared/policy/model';
import { resolveMembership } from '../../shared/policy/membership';
import { KubeApiDouble } from '../../e2e/support/kube-api-double/kube-api-double';
import { KubernetesInventory } from '../../electron/services/kubernetes-inventory';
import { DEFAULT_SOURCE_OPTIONS } from '../../electron/services/kubernetes/kubernetes-source';
import { createLogger } from '../../electron/services/logger';

// A cluster of 10,000 pods in 200 namespaces served by the API server double over real HTTPS,
// read by the product's own service with the official client: how long from the last list
// response to workloads and group membership ready, and from a watch event to both updated.

export interface KubernetesFigures {
  pods: number;
  namespaces: number;
  /** From the last list response sent to inventory and membership ready. */
  responseToReadyMs: number;
  /** Of which group membership on the new inventory. */
  membershipMs: number;
  /** From sending the first list request to ready, for context. */
  openMs: number;
  /** Watch event sent by the server → new inventory published and membership resolved. */
  watchLatencyMedianMs: number;
  watchLatencyP95Ms: number;
  watchLatencyMaxMs: number;
  /** Of the median: event sent → new inventory published by the service (before membership). */
  watchToPublishMedianMs: number;
}

const NAMESPACES = 200;
const PODS_PER_NAMESPACE = 50;
const APPS = ['web', 'api', 'worker', 'db', 'cache'];

function seed(double: KubeApiDouble): void {
  for (let n = 0; n < 20; n++) double.addNode(`node-${n}`, `192.0.2.${n + 1}`);
  for (let ns = 0; ns < NAMESPACES; ns++) {
    const namespace = `team-${ns}`;
    double.addNamespace(namespace, { team: `t${ns % 40}`, env: ns % 3 === 0 ? 'prod' : 'stage' });
    for (const app of APPS) double.addReplicaSet(namespace, `${app}-5d8f7`, app);
    for (let p = 0; p < PODS_PER_NAMESPACE; p++) {
      const app = APPS[p % APPS.length]!;
      double.addPod({ namespace, name: `${app}-5d8f7-${p}`, labels: { app, tier: app, release: `r${p % 7}` }, node: `node-${(ns + p) % 20}`, owner: { kind: 'ReplicaSet', name: `${app}-5d8f7` }, ports: [{ name: 'http', containerPort: 8080 }] });
    }
  }
}

/** Groups as a team would draw them: one per app, some per namespace. */
function policy(): Policy {
  const groups: Group[] = [
    ...APPS.map((app): Group => ({ name: app, selector: { labels: `app=${app}` } })),
    ...Array.from({ length: 40 }, (_, i): Group => ({ name: `ns-${i}`, selector: { namespace: `team-${i}` } })),
    { name: 'release-3-web', selector: { labels: 'app=web,release in (r3)' } },
  ];
  return { apiVersion: POLICY_API_VERSION, name: 'bench', revision: 1, defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, groups, edges: [] };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export async function benchKubernetes(events = 40): Promise<KubernetesFigures> {
  const double = await KubeApiDouble.start();
  seed(double);
  const groups = policy();
  let waiting: { name: string; done: (change: InventoryChange) => void } | undefined;
  const kubernetes = new KubernetesInventory(
    (change) => {
      if (waiting && change.inventory.workloads.some((w) => w.name === waiting!.name)) waiting.done(change);
    },
    createLogger({ level: 'error' }),
    { KUBECONFIG: double.kubeconfigFile },
    DEFAULT_SOURCE_OPTIONS,
  );
  try {
    // A first open warms the JIT and the TLS session, as a user's second look at a cluster would be.
    await kubernetes.load('double', 'kubernetes:double');
    await kubernetes.close('double');

    const firstRequest = double.requests.length;
    const started = performance.now();
    const load = await kubernetes.load('double', 'kubernetes:double');
    const membershipStart = performance.now();
    resolveMembership(groups, load.inventory.workloads);
    const ready = performance.now();
    const lastResponse = Math.max(...double.requests.slice(firstRequest).filter((r) => !r.watch).map((r) => r.finishedAt ?? 0));

    const latencies: number[] = [];
    const published: number[] = [];
    for (let i = 0; i < events; i++) {
      const name = `bench-${i}`;
      const seen = new Promise<InventoryChange>((done) => (waiting = { name, done }));
      const sent = performance.now();
      double.addPod({ namespace: `team-${i % NAMESPACES}`, name, labels: { app: 'web', release: 'r3' }, node: 'node-1' });
      const change = await seen;
      published.push(performance.now() - sent);
      resolveMembership(groups, change.inventory.workloads);
      latencies.push(performance.now() - sent);
    }
    latencies.sort((a, b) => a - b);
    published.sort((a, b) => a - b);

    return {
      pods: load.inventory.workloads.length,
      namespaces: NAMESPACES,
      responseToReadyMs: round(ready - lastResponse),
      membershipMs: round(ready - membershipStart),
      openMs: round(ready - started),
      watchLatencyMedianMs: round(percentile(latencies, 0.5)),
      watchLatencyP95Ms: round(percentile(latencies, 0.95)),
      watchLatencyMaxMs: round(latencies.at(-1)!),
      watchToPublishMedianMs: round(percentile(published, 0.5)),
    };
  } finally {
    await kubernetes.closeAll();
    await double.stop();
  }
}
