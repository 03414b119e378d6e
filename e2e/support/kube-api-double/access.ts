import type { CollectionRoute } from './resources';

/** Who a request comes from, and what RBAC would let them read. */
export interface DoubleUser {
  name: string;
  /**
   * Everything (a cluster-admin), or only the namespaced collections of one namespace (a
   * RoleBinding of the `view` role there), or nothing at all (authenticated, but never bound).
   */
  reads: 'everything' | { namespace: string } | 'nothing';
}

/**
 * Why the API server would refuse `user` this list or watch, in the words of its 403 Status,
 * or undefined when it is allowed. A namespace-bound user may not read cluster-wide lists
 * (even of namespaced resources), other namespaces, or cluster-scoped resources such as nodes.
 */
export function refusal(user: DoubleUser, verb: 'list' | 'watch', route: CollectionRoute): string | undefined {
  if (user.reads === 'everything') return undefined;
  if (user.reads !== 'nothing' && route.resource.namespaced && route.namespace === user.reads.namespace) return undefined;
  const group = route.resource.apiVersion.includes('/') ? route.resource.apiVersion.split('/')[0] : '';
  const where = route.namespace === undefined ? 'at the cluster scope' : `in the namespace "${route.namespace}"`;
  return `${route.resource.name} is forbidden: User "${user.name}" cannot ${verb} resource "${route.resource.name}" in API group "${group}" ${where}`;
}
