import type { CollectionRoute } from './resources';

/**
 * What a user bound in one namespace may read there. As in the API server, a request's
 * namespace is the one its path names, and for `GET /api/v1/namespaces/NAME` that is NAME
 * (k8s.io/apiserver request info), so a RoleBinding in a namespace covers getting that one
 * namespace object when its role has a rule for `namespaces`: the built-in `view`, `edit` and
 * `admin` roles have one for this purpose. A list or watch of `/api/v1/namespaces`, even with
 * `fieldSelector=metadata.name=NAME`, is cluster-scoped, which no RoleBinding covers; only a
 * ClusterRoleBinding does, here one of a ClusterRole with `resourceNames: [NAME]`.
 */
export interface NamespaceBinding {
  namespace: string;
  /**
   * The role bound there: `view` reads the namespaced collections and may get the namespace
   * object itself; `workloads` (a Role listing pods, replicasets, jobs and networkpolicies
   * only, as some clusters hand out) reads the collections but not the namespace object.
   */
  role: 'view' | 'workloads';
  /**
   * Also bound cluster-wide to a ClusterRole allowing get, list and watch on `namespaces` with
   * `resourceNames: [namespace]`: the namespace may then be listed and watched by name.
   */
  namespaceByName: boolean;
}

/** Who a request comes from, and what RBAC would let them read. */
export interface DoubleUser {
  name: string;
  /** Everything (a cluster-admin), or what bindings in one namespace give, or nothing at all (authenticated, but never bound). */
  reads: 'everything' | NamespaceBinding | 'nothing';
}

export type Verb = 'get' | 'list' | 'watch';

/**
 * Why the API server would refuse `user` this request, in the words of its 403 Status, or
 * undefined when it is allowed. `route.name` is the object a get names, or the name a list or
 * watch selects with `fieldSelector=metadata.name=NAME` (the API server authorizes such a
 * request as one for that name). A namespace-bound user may not read cluster-wide lists (even
 * of namespaced resources), other namespaces, or cluster-scoped resources such as nodes.
 */
export function refusal(user: DoubleUser, verb: Verb, route: CollectionRoute): string | undefined {
  if (user.reads === 'everything') return undefined;
  // The namespace RBAC matches RoleBindings against: the object's own name for a namespace got by name.
  const namespace = verb === 'get' && route.resource.name === 'namespaces' ? route.name : route.namespace;
  if (user.reads !== 'nothing' && allows(user.reads, namespace, route)) return undefined;

  const group = route.resource.apiVersion.includes('/') ? route.resource.apiVersion.split('/')[0] : '';
  const what = route.name === undefined ? route.resource.name : `${route.resource.name} "${route.name}"`;
  const where = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return `${what} is forbidden: User "${user.name}" cannot ${verb} resource "${route.resource.name}" in API group "${group}" ${where}`;
}

function allows(binding: NamespaceBinding, namespace: string | undefined, route: CollectionRoute): boolean {
  if (route.resource.name === 'namespaces') {
    if (binding.namespaceByName && route.name === binding.namespace) return true;
    return binding.role === 'view' && namespace === binding.namespace;
  }
  return route.resource.namespaced && namespace === binding.namespace;
}
