import type { KubernetesObject } from '@kubernetes/client-node';
import { statusCodeOf, type ClusterRef } from './cluster-errors';
import { attemptList, collectionPath, readWithNamespaceFallback, type Attempt, type Lister, type ReadableCollection } from './namespace-scope';

/** The collections a Kubernetes source reads. */
export type Collection = 'pods' | 'namespaces' | 'nodes' | 'replicasets' | 'jobs';

const COLLECTIONS: readonly Collection[] = ['pods', 'namespaces', 'nodes', 'replicasets', 'jobs'];

/** The collections that live in a namespace: the ones a source limited to one namespace reads there. */
const NAMESPACED: readonly Collection[] = ['pods', 'replicasets', 'jobs'];

/** How a source asks the API server: a collection's list, or one object. */
export interface ApiReader {
  list: Lister;
  get(path: string): Promise<KubernetesObject>;
}

/** What a context's credentials let a source read, found by listing. */
export interface CollectionAccess {
  /** Undefined when pods are read in every namespace; else the one namespace whose pods, replicasets and jobs are read. */
  namespace: string | undefined;
  readable: Map<Collection, ReadableCollection>;
  /** Collections other than pods that answered 403 Forbidden: the source carries on without them. */
  forbidden: Collection[];
  /**
   * The one namespace read, got once when namespaces may be neither listed nor watched, not
   * even by its name: its labels are as they were then.
   */
  namespaceAtOpen?: KubernetesObject;
}

/**
 * Lists every collection in all namespaces. When pods are forbidden there (a user with a
 * RoleBinding in one namespace only), lists pods, replicasets and jobs again in
 * `contextNamespace`, as kubectl would, and reads that namespace's own object as far as it may
 * (readOwnNamespace). Only pods are required: forbidden pods (in that namespace too) fail with
 * the 403 naming the context; any failure other than 403 fails as it is.
 */
export async function readCollections(ref: ClusterRef, api: ApiReader, contextNamespace: string): Promise<CollectionAccess> {
  const attemptAll = async (collections: readonly Collection[], namespace?: string): Promise<Map<Collection, Attempt>> =>
    new Map(await Promise.all(collections.map(async (c): Promise<[Collection, Attempt]> => [c, await attemptList(api.list, collectionPath(c, namespace))])));

  const { namespace, attempts } = await readWithNamespaceFallback(ref, 'pods', contextNamespace, (ns) => attemptAll(ns === undefined ? COLLECTIONS : NAMESPACED, ns));
  let namespaceAtOpen: KubernetesObject | undefined;
  if (namespace !== undefined && 'forbidden' in attempts.get('namespaces')!) {
    const own = await readOwnNamespace(api, namespace);
    if ('object' in own) {
      // Got once, it is neither a collection read nor one done without.
      attempts.delete('namespaces');
      namespaceAtOpen = own.object;
    } else attempts.set('namespaces', own);
  }

  const readable = new Map<Collection, ReadableCollection>();
  const forbidden: Collection[] = [];
  for (const [collection, result] of attempts) {
    if ('forbidden' in result) forbidden.push(collection);
    else readable.set(collection, result);
  }
  return { namespace, readable, forbidden, ...(namespaceAtOpen ? { namespaceAtOpen } : {}) };
}

/**
 * The namespace of a user who may not list namespaces: listed by its name (a ClusterRole with
 * `resourceNames` allows that, and then watching it too, so its labels stay current); else got
 * by its name, once (a RoleBinding of `view`, `edit` or `admin` in that namespace allows that:
 * their `namespaces` rule covers the binding's own namespace); else refused.
 */
async function readOwnNamespace(api: ApiReader, namespace: string): Promise<Attempt | { object: KubernetesObject }> {
  const byName = await attemptList(api.list, `${collectionPath('namespaces')}?fieldSelector=${encodeURIComponent(`metadata.name=${namespace}`)}`);
  if (!('forbidden' in byName)) return byName;
  try {
    return { object: await api.get(`${collectionPath('namespaces')}/${encodeURIComponent(namespace)}`) };
  } catch (error) {
    if (statusCodeOf(error) === 403) return byName;
    throw error;
  }
}
