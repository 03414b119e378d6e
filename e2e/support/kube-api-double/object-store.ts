import type { KubeObject } from './objects';
import { RESOURCE_TYPES, resourceOfKind, type ResourceName } from './resources';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  resourceVersion: number;
  type: WatchEventType;
  object: KubeObject;
}

/**
 * What etcd is to an API server: objects per resource, one resourceVersion counter for all of
 * them, and the history of changes a watch replays from. Compaction forgets history, after
 * which a watch from an older version is answered with 410 Gone.
 */
export class ObjectStore {
  private revision = 1;
  private compactedBefore = 0;
  private readonly objects = new Map<ResourceName, Map<string, KubeObject>>(RESOURCE_TYPES.map((r) => [r.name, new Map()]));
  private readonly history = new Map<ResourceName, StoredEvent[]>(RESOURCE_TYPES.map((r) => [r.name, []]));
  private readonly listeners = new Set<(resource: ResourceName, event: StoredEvent) => void>();

  get resourceVersion(): number {
    return this.revision;
  }

  /** Whether a watch may start from `version`: history since then is still kept. */
  canWatchFrom(version: number): boolean {
    return version >= this.compactedBefore;
  }

  /** The objects of a resource, or only those of one namespace. */
  list(resource: ResourceName, namespace?: string): KubeObject[] {
    const all = [...this.objects.get(resource)!.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)!.get(key(namespace, name));
  }

  eventsSince(resource: ResourceName, version: number, namespace?: string): StoredEvent[] {
    return this.history.get(resource)!.filter((e) => e.resourceVersion > version && (namespace === undefined || e.object.metadata.namespace === namespace));
  }

  onChange(listener: (resource: ResourceName, event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates or replaces an object; the stored copy gets the next resourceVersion. */
  put(object: KubeObject): KubeObject {
    const resource = resourceOfKind(object.kind).name;
    const k = key(object.metadata.namespace, object.metadata.name);
    const existed = this.objects.get(resource)!.has(k);
    const stored = this.stamp(object);
    this.objects.get(resource)!.set(k, stored);
    this.record(resource, existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  delete(kind: string, namespace: string | undefined, name: string): void {
    const resource = resourceOfKind(kind).name;
    const k = key(namespace, name);
    const existing = this.objects.get(resource)!.get(k);
    if (!existing) throw new Error(`The double has no ${kind} ${k}.`);
    this.objects.get(resource)!.delete(k);
    this.record(resource, 'DELETED', this.stamp(existing));
  }

  /** Forgets all history up to now: any watch from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.revision += 1;
    this.compactedBefore = this.revision;
    for (const events of this.history.values()) events.length = 0;
  }

  private stamp(object: KubeObject): KubeObject {
    this.revision += 1;
    return { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
  }

  private record(resource: ResourceName, type: WatchEventType, object: KubeObject): void {
    const event = { resourceVersion: this.revision, type, object };
    this.history.get(resource)!.push(event);
    for (const listener of this.listeners) listener(resource, event);
  }
}

function key(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
