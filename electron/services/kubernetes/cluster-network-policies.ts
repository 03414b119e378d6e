import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { NetworkPolicyImport } from '@shared/api/contract';
import { readNetworkPolicyObjects } from '@shared/kubernetes/network-policy-file';
import { kubeconfigForContext } from '../kubernetes-contexts';
import { designFromNetworkPolicies } from '../network-policy-files';
import { clusterError } from './cluster-errors';
import { listCollection } from './raw-list';

const NETWORK_POLICIES = '/apis/networking.k8s.io/v1/networkpolicies';

/**
 * The NetworkPolicies of every namespace of a context, as a design: listed once through the
 * same connection code as the live inventory (every kubeconfig authentication), read with the
 * checks a file gets, and imported by the same importer. The design is named after the context.
 */
export async function importClusterNetworkPolicies(context: string, env: NodeJS.ProcessEnv = process.env): Promise<NetworkPolicyImport> {
  const config = kubeconfigForContext(context, env);
  const ref = { context, server: config.getCurrentCluster()?.server ?? '' };
  let items: V1NetworkPolicy[];
  try {
    items = (await listCollection<V1NetworkPolicy>(config, NETWORK_POLICIES)).items;
  } catch (error) {
    throw clusterError(ref, 'listing networkpolicies', error);
  }
  // Sorted, so the diagnostics come in one order whatever order the server lists in.
  const sorted = [...items].sort((a, b) => policyKey(a).localeCompare(policyKey(b)));
  return designFromNetworkPolicies([readNetworkPolicyObjects(sorted, context)], context);
}

function policyKey(policy: V1NetworkPolicy): string {
  return `${policy.metadata?.namespace ?? ''}/${policy.metadata?.name ?? ''}`;
}
