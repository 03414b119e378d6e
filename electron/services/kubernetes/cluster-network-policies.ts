import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { NetworkPolicyImport } from '@shared/api/contract';
import type { Diagnostic } from '@shared/diagnostics';
import { readNetworkPolicyObjects } from '@shared/kubernetes/network-policy-file';
import { kubeconfigForContext } from '../kubernetes-contexts';
import { designFromNetworkPolicies } from '../network-policy-files';
import { clusterError } from './cluster-errors';
import { attemptList, collectionPath, contextNamespace, readWithNamespaceFallback, type Lister, type ReadableCollection } from './namespace-scope';
import { listCollection } from './raw-list';

/**
 * The NetworkPolicies of every namespace of a context, as a design: listed once through the
 * same connection code as the live inventory (every kubeconfig authentication), read with the
 * checks a file gets, and imported by the same importer. The design is named after the context.
 * A user who may not list them in all namespaces gets those of the context's namespace, as a
 * Kubernetes source does (namespace-scope.ts), with a note saying so (MS611).
 */
export async function importClusterNetworkPolicies(context: string, env: NodeJS.ProcessEnv = process.env): Promise<NetworkPolicyImport> {
  const config = kubeconfigForContext(context, env);
  const ref = { context, server: config.getCurrentCluster()?.server ?? '' };
  let namespace: string | undefined;
  let listed: ReadableCollection;
  try {
    const list: Lister = (path) => listCollection(config, path);
    const scoped = await readWithNamespaceFallback(ref, 'networkpolicies', contextNamespace(config), async (ns) => new Map([['networkpolicies', await attemptList(list, collectionPath('networkpolicies', ns))]]));
    namespace = scoped.namespace;
    listed = scoped.required;
  } catch (error) {
    throw clusterError(ref, 'listing networkpolicies', error);
  }
  // Sorted, so the diagnostics come in one order whatever order the server lists in.
  const sorted = [...(listed.first.items as V1NetworkPolicy[])].sort((a, b) => policyKey(a).localeCompare(policyKey(b)));
  const imported = designFromNetworkPolicies([readNetworkPolicyObjects(sorted, context)], context);
  return namespace === undefined ? imported : { ...imported, diagnostics: [oneNamespaceNote(context, namespace), ...imported.diagnostics] };
}

function oneNamespaceNote(context: string, namespace: string): Diagnostic {
  return {
    code: 'MS611',
    severity: 'warning',
    message: `Kubernetes context "${context}" may not list networkpolicies in all namespaces (403 Forbidden), so only those of namespace "${namespace}" (the context's namespace) were imported: other namespaces' policies are not in this design. To import another namespace's, set it on the context (kubectl config set-context ${context} --namespace=NAME).`,
  };
}

function policyKey(policy: V1NetworkPolicy): string {
  return `${policy.metadata?.namespace ?? ''}/${policy.metadata?.name ?? ''}`;
}
