import type { KubeConfig, V1Job, V1Namespace, V1Node, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { InventoryChange, LiveState, SourceHost } from '@shared/api/contract';
import type { Inventory, Workload } from '@shared/inventory/model';
import type { Logger } from '../logger';
import { clusterError, type ClusterRef } from './cluster-errors';
import { listCollection } from './raw-list';
import { nodeToHost, podToWorkload, podWorkloadId, type PodContext } from './pod-workloads';
import { ResourceFeed, type Backoff, type FeedListener } from './resource-feed';

export interface KubernetesSourceOptions {
  backoff: Backoff;
  /** How long to gather watch events into one update: a burst of changes becomes one event. */
  coalesceMs: number;
  /** How long the first list may take before opening fails. */
  openTimeoutMs: number;
}

export const DEFAULT_SOURCE_OPTIONS: KubernetesSourceOptions = { backoff: { firstMs: 500, maxMs: 30_000 }, coalesceMs: 15, openTimeoutMs: 20_000 };

type Snapshot = Omit<InventoryChange, 'sourceId'>;

/**
 * One Kubernetes context, kept live: pods, namespaces, nodes, replicasets and jobs listed then
 * watched. Workloads are derived incrementally (only the pods an event touches, or the pods of
 * a namespace whose labels or controllers changed) and published as one snapshot per burst.
 */
export class KubernetesSource {
  private readonly pods: ResourceFeed<V1Pod>;
  private readonly namespaces: ResourceFeed<V1Namespace>;
  private readonly nodes: ResourceFeed<V1Node>;
  private readonly replicaSets: ResourceFeed<V1ReplicaSet>;
  private readonly jobs: ResourceFeed<V1Job>;
  private readonly feeds: ResourceFeed<never>[];
  private readonly workloads = new Map<string, Workload>();
  private readonly dirtyPods = new Set<string>();
  private readonly dirtyNamespaces = new Set<string>();
  private rebuildAll = true;
  private hosts: SourceHost[] = [];
  private hostsDirty = true;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private snapshot: Snapshot | undefined;
  private updatedAt = new Date();
  private problem: string | undefined;
  private opened: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();
  private readonly lookups: PodContext;

  constructor(
    readonly ref: ClusterRef,
    config: KubeConfig,
    private readonly log: Logger,
    private readonly options: KubernetesSourceOptions = DEFAULT_SOURCE_OPTIONS,
  ) {
    const feed = <T extends V1Pod | V1Namespace | V1Node | V1ReplicaSet | V1Job>(path: string, onChange: (o: T) => void): ResourceFeed<T> =>
      new ResourceFeed<T>(path, config, () => listCollection<T>(config, path), this.listenerFor(onChange), options.backoff, log);

    this.pods = feed<V1Pod>('/api/v1/pods', (pod) => this.dirtyPods.add(podKey(pod.metadata?.namespace, pod.metadata?.name)));
    this.namespaces = feed<V1Namespace>('/api/v1/namespaces', (ns) => this.dirtyNamespaces.add(ns.metadata?.name ?? ''));
    this.nodes = feed<V1Node>('/api/v1/nodes', () => (this.hostsDirty = true));
    this.replicaSets = feed<V1ReplicaSet>('/apis/apps/v1/replicasets', (rs) => this.dirtyNamespaces.add(rs.metadata?.namespace ?? ''));
    this.jobs = feed<V1Job>('/apis/batch/v1/jobs', (job) => this.dirtyNamespaces.add(job.metadata?.namespace ?? ''));
    this.feeds = [this.pods, this.namespaces, this.nodes, this.replicaSets, this.jobs] as unknown as ResourceFeed<never>[];
    this.lookups = {
      namespace: (name) => this.namespaces.get(name),
      replicaSet: (namespace, name) => this.replicaSets.get(name, namespace),
      job: (namespace, name) => this.jobs.get(name, namespace),
    };
  }

  /** Lists everything once; resolves when every collection has been listed, rejects naming the context otherwise. */
  open(): Promise<Snapshot> {
    const ready = new Promise<void>((resolve, reject) => (this.opened = { resolve, reject }));
    const timer = setTimeout(() => this.opened?.reject(new Error(`no answer within ${this.options.openTimeoutMs / 1000} s`)), this.options.openTimeoutMs);
    for (const feed of this.feeds) feed.start();
    return ready
      .then(() => this.flush())
      .catch((error: unknown) => {
        this.close();
        throw clusterError(this.ref, 'listing pods, namespaces, nodes, replicasets and jobs', error);
      })
      .finally(() => {
        clearTimeout(timer);
        this.opened = undefined;
      });
  }

  current(): Snapshot | undefined {
    return this.snapshot;
  }

  onChange(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearTimeout(this.flushTimer);
    this.listeners.clear();
    for (const feed of this.feeds) feed.close();
  }

  private listenerFor<T>(onChange: (object: T) => void): FeedListener<T> {
    return {
      changed: (object) => {
        onChange(object);
        this.touched();
      },
      synced: () => {
        this.rebuildAll = true;
        this.hostsDirty = true;
        if (this.feeds.every((f) => f.state === 'live')) this.problem = undefined;
        if (this.opened && this.feeds.every((f) => f.state === 'live')) return this.opened.resolve();
        this.touched();
      },
      failed: (error) => {
        if (this.opened && !this.snapshot) return this.opened.reject(error);
        this.problem = clusterError(this.ref, 'watching', error).message;
        this.schedule();
      },
    };
  }

  private touched(): void {
    this.updatedAt = new Date();
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer === undefined && this.snapshot) this.flushTimer = setTimeout(() => this.publish(), this.options.coalesceMs);
  }

  private publish(): void {
    this.flushTimer = undefined;
    const snapshot = this.flush();
    for (const listener of this.listeners) listener(snapshot);
  }

  /** Applies the pending changes to the derived workloads and makes a new snapshot. */
  private flush(): Snapshot {
    if (this.rebuildAll) {
      this.workloads.clear();
      for (const pod of this.pods.items()) this.derive(pod);
    } else {
      for (const namespace of this.dirtyNamespaces) {
        for (const [id, w] of this.workloads) if (w.namespace === namespace) this.workloads.delete(id);
        for (const pod of this.pods.items(namespace)) this.derive(pod);
      }
      for (const key of this.dirtyPods) {
        const [namespace = '', name = ''] = key.split('/');
        const pod = this.pods.get(name, namespace);
        if (pod) this.derive(pod);
        else this.workloads.delete(podWorkloadId(this.ref.context, namespace, name));
      }
    }
    this.rebuildAll = false;
    this.dirtyNamespaces.clear();
    this.dirtyPods.clear();
    if (this.hostsDirty) this.hosts = this.nodes.items().map(nodeToHost).sort((a, b) => a.name.localeCompare(b.name));
    this.hostsDirty = false;

    const inventory: Inventory = { workloads: [...this.workloads.values()].sort(byId), readAt: this.updatedAt.toISOString() };
    this.snapshot = { inventory, hosts: this.hosts, ...this.liveState() };
    return this.snapshot;
  }

  private liveState(): LiveState {
    const live = this.feeds.every((f) => f.state === 'live');
    return { status: live ? 'live' : 'stale', updatedAt: this.updatedAt.toISOString(), ...(!live && this.problem ? { message: this.problem } : {}) };
  }

  private derive(pod: V1Pod): void {
    const workload = podToWorkload(this.ref.context, pod, this.lookups);
    this.workloads.set(workload.id, workload);
  }
}

function podKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** A deterministic order, grouping each namespace together: ids are `kubernetes:CONTEXT/NAMESPACE/NAME`. */
function byId(a: Workload, b: Workload): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
