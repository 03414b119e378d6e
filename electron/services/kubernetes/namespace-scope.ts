import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { clusterError, statusCodeOf, type ClusterRef } from './cluster-errors';

/** The collections the app lists: a source's five, and the NetworkPolicies an import reads. */
export type ListedResource = 'pods' | 'namespaces' | 'nodes' | 'replicasets' | 'jobs' | 'networkpolicies';

const API_GROUP_PATH: Record<ListedResource, string> = {
  pods: '/api/v1',
  namespaces: '/api/v1',
  nodes: '/api/v1',
  replicasets: '/apis/apps/v1',
  jobs: '/apis/batch/v1',
  networkpolicies: '/apis/networking.k8s.io/v1',
};

/** `/api/v1/pods` for every namespace, `/api/v1/namespaces/NAMESPACE/pods` for one. */
export function collectionPath(resource: ListedResource, namespace?: string): string {
  const group = API_GROUP_PATH[resource];
  return namespace === undefined ? `${group}/${resource}` : `${group}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

export type Lister = (path: string) => Promise<KubernetesListObject<KubernetesObject>>;

/** A collection the user may read: where it was read, and that first list (the feed's first, so nothing is listed twice). */
export interface ReadableCollection {
  path: string;
  first: KubernetesListObject<KubernetesObject>;
}

/** A list made, or refused with 403 Forbidden (the refusal kept for the message). */
export type Attempt = ReadableCollection | { forbidden: unknown };

/** Lists `path`: a 403 is an answer (the user may not), any other failure fails as it is. */
export async function attemptList(list: Lister, path: string): Promise<Attempt> {
  try {
    return { path, first: await list(path) };
  } catch (error) {
    if (statusCodeOf(error) === 403) return { forbidden: error };
    throw error;
  }
}

/** The namespace kubectl uses for the context: its own, else `default`. */
export function contextNamespace(config: KubeConfig): string {
  const named = config.getContextObject(config.getCurrentContext())?.namespace;
  return named ? named : 'default';
}

/** What was read, and where: `namespace` is undefined when it was read in all namespaces. */
export interface ScopedAttempts<K extends ListedResource> {
  namespace: string | undefined;
  attempts: Map<K, Attempt>;
  /** The list of the required collection, which was not refused. */
  required: ReadableCollection;
}

/**
 * Reads in all namespaces (`readIn()`); when `required` is forbidden there (a user whose
 * RoleBinding is in one namespace only), reads again in `namespace`, the context's, as kubectl
 * would (`readIn(namespace)`), and those answers replace the first ones. Fails with the 403
 * naming the context and both places when `required` is forbidden there too.
 */
export async function readWithNamespaceFallback<K extends ListedResource>(
  ref: ClusterRef,
  required: K,
  namespace: string,
  readIn: (namespace?: string) => Promise<Map<K, Attempt>>,
): Promise<ScopedAttempts<K>> {
  const everywhere = await readIn();
  const first = everywhere.get(required)!;
  if (!('forbidden' in first)) return { namespace: undefined, attempts: everywhere, required: first };

  const attempts = new Map([...everywhere, ...(await readIn(namespace))]);
  const there = attempts.get(required)!;
  if ('forbidden' in there) throw clusterError(ref, `listing ${required}, in all namespaces or in namespace "${namespace}" (the context's namespace)`, there.forbidden);
  return { namespace, attempts, required: there };
}
