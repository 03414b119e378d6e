import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { clusterError, statusCodeOf, type ClusterRef } from './cluster-errors';

/** The collections a Kubernetes source reads. */
export type Collection = 'pods' | 'namespaces' | 'nodes' | 'replicasets' | 'jobs';

const COLLECTIONS: readonly Collection[] = ['pods', 'namespaces', 'nodes', 'replicasets', 'jobs'];

/** The collections that live in a namespace: the ones a source limited to one namespace reads there. */
const NAMESPACED: readonly Collection[] = ['pods', 'replicasets', 'jobs'];

const API_GROUP_PATH: Record<Collection, string> = { pods: '/api/v1', namespaces: '/api/v1', nodes: '/api/v1', replicasets: '/apis/apps/v1', jobs: '/apis/batch/v1' };

/** `/api/v1/pods` for every namespace, `/api/v1/namespaces/NAMESPACE/pods` for one. */
export function collectionPath(collection: Collection, namespace?: string): string {
  const group = API_GROUP_PATH[collection];
  return namespace === undefined ? `${group}/${collection}` : `${group}/namespaces/${encodeURIComponent(namespace)}/${collection}`;
}

/** A collection the user may read: where it was read, and that first list (the feed's first, so nothing is listed twice). */
export interface ReadableCollection {
  path: string;
  first: KubernetesListObject<KubernetesObject>;
}

/** What a context's credentials let a source read, found by listing. */
export interface CollectionAccess {
  /** Undefined when pods are read in every namespace; else the one namespace whose pods, replicasets and jobs are read. */
  namespace: string | undefined;
  readable: Map<Collection, ReadableCollection>;
  /** Collections other than pods that answered 403 Forbidden: the source carries on without them. */
  forbidden: Collection[];
}

type Attempt = ReadableCollection | { forbidden: unknown };

/**
 * Lists every collection in all namespaces. When pods are forbidden there (a user with a
 * RoleBinding in one namespace only), lists pods, replicasets and jobs again in
 * `contextNamespace`, as kubectl would. Only pods are required: forbidden pods (in that
 * namespace too) fail with the 403 naming the context; any failure other than 403 fails as it is.
 */
export async function readCollections(
  ref: ClusterRef,
  list: (path: string) => Promise<KubernetesListObject<KubernetesObject>>,
  contextNamespace: string,
): Promise<CollectionAccess> {
  const attempt = async (path: string): Promise<Attempt> => {
    try {
      return { path, first: await list(path) };
    } catch (error) {
      if (statusCodeOf(error) === 403) return { forbidden: error };
      throw error;
    }
  };
  const attemptAll = async (collections: readonly Collection[], namespace?: string): Promise<[Collection, Attempt][]> =>
    Promise.all(collections.map(async (c): Promise<[Collection, Attempt]> => [c, await attempt(collectionPath(c, namespace))]));

  const attempts = new Map(await attemptAll(COLLECTIONS));
  let namespace: string | undefined;
  if ('forbidden' in attempts.get('pods')!) {
    namespace = contextNamespace;
    for (const [collection, result] of await attemptAll(NAMESPACED, namespace)) attempts.set(collection, result);
    const pods = attempts.get('pods')!;
    if ('forbidden' in pods) throw clusterError(ref, `listing pods, in all namespaces or in namespace "${namespace}" (the context's namespace)`, pods.forbidden);
  }

  const readable = new Map<Collection, ReadableCollection>();
  const forbidden: Collection[] = [];
  for (const [collection, result] of attempts) {
    if ('forbidden' in result) forbidden.push(collection);
    else readable.set(collection, result);
  }
  return { namespace, readable, forbidden };
}
