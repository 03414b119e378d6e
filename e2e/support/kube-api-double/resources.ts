/** The collections the double serves, as the API server names them. */
export interface ResourceType {
  /** Plural resource name, also its key in the store. */
  name: 'pods' | 'namespaces' | 'nodes' | 'replicasets' | 'jobs' | 'networkpolicies';
  /** Path of the cluster-wide collection: list it, or watch it with `?watch=true`. */
  path: string;
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { name: 'pods', path: '/api/v1/pods', apiVersion: 'v1', kind: 'Pod', namespaced: true },
  { name: 'namespaces', path: '/api/v1/namespaces', apiVersion: 'v1', kind: 'Namespace', namespaced: false },
  { name: 'nodes', path: '/api/v1/nodes', apiVersion: 'v1', kind: 'Node', namespaced: false },
  { name: 'replicasets', path: '/apis/apps/v1/replicasets', apiVersion: 'apps/v1', kind: 'ReplicaSet', namespaced: true },
  { name: 'jobs', path: '/apis/batch/v1/jobs', apiVersion: 'batch/v1', kind: 'Job', namespaced: true },
  { name: 'networkpolicies', path: '/apis/networking.k8s.io/v1/networkpolicies', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true },
];

export type ResourceName = ResourceType['name'];

/** A request: the resource, the namespace when the path names one, and the name when it asks for one object. */
export interface CollectionRoute {
  resource: ResourceType;
  namespace?: string;
  /** One cluster-scoped object (`/api/v1/namespaces/shop`), answered as that object, not a list. */
  name?: string;
}

/**
 * What a path asks for: a collection, cluster-wide (`/api/v1/pods`) or, for a namespaced
 * resource, one namespace's (`/api/v1/namespaces/shop/pods`, `/apis/apps/v1/namespaces/shop/replicasets`);
 * or one object of a cluster-scoped resource (`/api/v1/namespaces/shop`, `/api/v1/nodes/node-a`).
 */
export function routeOf(path: string): CollectionRoute | undefined {
  const clusterWide = RESOURCE_TYPES.find((r) => r.path === path);
  if (clusterWide) return { resource: clusterWide };
  for (const resource of RESOURCE_TYPES.filter((r) => !r.namespaced)) {
    const name = path.startsWith(`${resource.path}/`) ? path.slice(resource.path.length + 1) : '';
    if (name !== '' && !name.includes('/')) return { resource, name: decodeURIComponent(name) };
  }
  for (const resource of RESOURCE_TYPES.filter((r) => r.namespaced)) {
    const group = resource.path.slice(0, resource.path.lastIndexOf('/')).replaceAll('.', '\\.');
    const match = new RegExp(`^${group}/namespaces/([^/]+)/${resource.name}$`).exec(path);
    if (match) return { resource, namespace: decodeURIComponent(match[1]!) };
  }
  return undefined;
}

export function resourceOfKind(kind: string): ResourceType {
  const found = RESOURCE_TYPES.find((r) => r.kind === kind);
  if (!found) throw new Error(`The Kubernetes API double serves no kind "${kind}".`);
  return found;
}
