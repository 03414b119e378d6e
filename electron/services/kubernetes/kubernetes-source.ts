import type { KubeConfig, KubernetesListObject, V1Job, V1Namespace, V1Node, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { InventoryChange, LiveState, SourceHost } from '@shared/api/contract';
import type { Diagnostic } from '@shared/diagnostics';
import type { Inventory, Workload } from '@shared/inventory/model';
import type { Logger } from '../logger';
import { accessWarnings } from './access-warnings';
import { clusterError, type ClusterRef } from './cluster-errors';
import { readCollections, type Collection, type CollectionAccess } from './collection-access';
import { contextNamespace } from './namespace-scope';
import { listCollection, readObject } from './raw-list';
import { hostsOfPods, namespaceKnownByName, nodeToHost, podToWorkload, podWorkloadId, type PodContext } from './pod-workloads';
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
 * watched, in all namespaces or, when the credentials allow no more, in the context's namespace
 * (collection-access.ts), whose own object is then watched by name, or got once, as far as it
 * may be; a collection other than pods that is forbidden is done without, and `warnings` say
 * what that costs. Workloads are derived incrementally (only the pods an event
 * touches, or the pods of a namespace whose labels or controllers changed) and published as
 * one snapshot per burst.
 */
export class KubernetesSource {
  private readonly pods: ResourceFeed<V1Pod>;
  private readonly namespaces: ResourceFeed<V1Namespace> | undefined;
  private readonly nodes: ResourceFeed<V1Node> | undefined;
  private readonly replicaSets: ResourceFeed<V1ReplicaSet> | undefined;
  private readonly jobs: ResourceFeed<V1Job> | undefined;
  private readonly feeds: ResourceFeed<never>[];
  /** The one namespace read, when the credentials may not read pods in all of them. */
  readonly namespace: string | undefined;
  /** What the source cannot read, and what that costs (MS320–MS323); empty when it reads everything. */
  readonly warnings: Diagnostic[];
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

  /**
   * Finds what the context may read, lists it and starts watching it; resolves once every
   * collection read has been listed, rejects naming the context otherwise.
   */
  static async open(ref: ClusterRef, config: KubeConfig, log: Logger, options: KubernetesSourceOptions = DEFAULT_SOURCE_OPTIONS): Promise<KubernetesSource> {
    let source: KubernetesSource | undefined;
    let abandoned = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${options.openTimeoutMs / 1000} s`)), options.openTimeoutMs)));
    const opening = async (): Promise<KubernetesSource> => {
      const api = { list: (path: string) => listCollection(config, path), get: (path: string) => readObject(config, path) };
      const access = await readCollections(ref, api, contextNamespace(config));
      // Given up on meanwhile: start no watch that nobody would close.
      if (abandoned) throw new Error('opening was abandoned');
      source = new KubernetesSource(ref, config, access, log, options);
      await source.start();
      return source;
    };
    try {
      return await Promise.race([opening(), timeout]);
    } catch (error) {
      abandoned = true;
      source?.close();
      throw clusterError(ref, 'listing pods, namespaces, nodes, replicasets and jobs', error);
    } finally {
      clearTimeout(timer);
    }
  }

  private constructor(
    readonly ref: ClusterRef,
    config: KubeConfig,
    access: CollectionAccess,
    log: Logger,
    private readonly options: KubernetesSourceOptions,
  ) {
    const feed = <T extends V1Pod | V1Namespace | V1Node | V1ReplicaSet | V1Job>(collection: Collection, onChange: (o: T) => void): ResourceFeed<T> | undefined => {
      const readable = access.readable.get(collection);
      if (!readable) return undefined;
      // The first list is plain JSON of the collection's items, as every later one is.
      const lists = firstThen(readable.first as KubernetesListObject<T>, () => listCollection<T>(config, readable.path));
      return new ResourceFeed<T>(readable.path, config, lists, this.listenerFor(onChange), options.backoff, log);
    };

    // readCollections fails unless pods can be read somewhere: this feed always exists.
    this.pods = feed<V1Pod>('pods', (pod) => this.dirtyPods.add(podKey(pod.metadata?.namespace, pod.metadata?.name)))!;
    this.namespaces = feed<V1Namespace>('namespaces', (ns) => this.dirtyNamespaces.add(ns.metadata?.name ?? ''));
    this.nodes = feed<V1Node>('nodes', () => (this.hostsDirty = true));
    this.replicaSets = feed<V1ReplicaSet>('replicasets', (rs) => this.dirtyNamespaces.add(rs.metadata?.namespace ?? ''));
    this.jobs = feed<V1Job>('jobs', (job) => this.dirtyNamespaces.add(job.metadata?.namespace ?? ''));
    this.feeds = [this.pods, this.namespaces, this.nodes, this.replicaSets, this.jobs].filter((f) => f !== undefined) as unknown as ResourceFeed<never>[];
    this.namespace = access.namespace;
    this.warnings = accessWarnings(ref.context, access);
    this.lookups = {
      namespace: namespaceLookup(this.namespaces, access.namespaceAtOpen),
      replicaSet: (namespace, name) => this.replicaSets?.get(name, namespace),
      job: (namespace, name) => this.jobs?.get(name, namespace),
    };
  }

  /** Starts every feed; resolves once all have listed and the first snapshot is made. */
  private start(): Promise<void> {
    const ready = new Promise<void>((resolve, reject) => (this.opened = { resolve, reject }));
    for (const feed of this.feeds) feed.start();
    return ready.then(() => void this.flush()).finally(() => (this.opened = undefined));
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
    // Without nodes, hosts come from the pods, which any change may move.
    if (!this.nodes) this.hosts = hostsOfPods(this.workloads.values());
    else if (this.hostsDirty) this.hosts = this.nodes.items().map(nodeToHost).sort((a, b) => a.name.localeCompare(b.name));
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

/** A namespace's labels: from the namespaces feed, else the one namespace got at open, else only the name label every namespace has. */
function namespaceLookup(feed: ResourceFeed<V1Namespace> | undefined, atOpen: V1Namespace | undefined): PodContext['namespace'] {
  if (feed) return (name) => feed.get(name);
  return (name) => (name === atOpen?.metadata?.name ? atOpen : namespaceKnownByName(name));
}

/** Answers `first` once (a list already made), then lists afresh each time. */
function firstThen<T>(first: T, again: () => Promise<T>): () => Promise<T> {
  let kept: T | undefined = first;
  return async () => {
    const list = kept ?? (await again());
    kept = undefined;
    return list;
  };
}

function podKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** A deterministic order, grouping each namespace together: ids are `kubernetes:CONTEXT/NAMESPACE/NAME`. */
function byId(a: Workload, b: Workload): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
