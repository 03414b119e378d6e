import type { Diagnostic } from '@shared/diagnostics';
import type { Collection, CollectionAccess } from './collection-access';

/**
 * What a source reads less than everything costs the user, one warning per limit, each naming
 * the context, what was forbidden and what is missing because of it (codes in docs/diagnostics.md).
 */
export function accessWarnings(context: string, access: Pick<CollectionAccess, 'namespace' | 'forbidden' | 'namespaceAtOpen'>): Diagnostic[] {
  const where = access.namespace === undefined ? 'in all namespaces' : `in namespace "${access.namespace}"`;
  const refused = (what: string): string => `Kubernetes context "${context}" may not list ${what} (403 Forbidden)`;
  const warnings: Diagnostic[] = [];

  if (access.namespace !== undefined) {
    warnings.push(warning('MS320', `${refused('pods in all namespaces')}, so this source is limited to namespace "${access.namespace}", the context's namespace: other namespaces' pods are not in the inventory. To read another, set it on the context (kubectl config set-context ${context} --namespace=NAME) and open the source again.`));
  }
  const costs: Record<Exclude<Collection, 'pods'>, string> = {
    namespaces: `${refused(access.namespace === undefined ? 'namespaces' : `namespaces, nor get namespace "${access.namespace}"`)}, so namespace labels are unknown: pods carry only kubernetes.io/metadata.name, and groups that select other namespaceLabels miss them. Select by namespace, or ask for ${access.namespace === undefined ? 'list and watch on namespaces' : `get on namespace "${access.namespace}" (a RoleBinding of view there grants it)`}.`,
    nodes: `${refused('nodes')}, so node addresses are unknown: hosts are named from the pods' nodes, and Configure offers a node's name as its SSH address, not its InternalIP. Enter each node's address, or ask for list and watch on nodes.`,
    replicasets: `${refused(`replicasets ${where}`)}, so a pod of a Deployment shows its ReplicaSet as its owner, not the Deployment.`,
    jobs: `${refused(`jobs ${where}`)}, so a pod of a CronJob shows its Job as its owner, not the CronJob.`,
  };
  const codes: Record<Exclude<Collection, 'pods'>, string> = { namespaces: 'MS321', nodes: 'MS322', replicasets: 'MS323', jobs: 'MS323' };
  for (const collection of access.forbidden) {
    if (collection !== 'pods') warnings.push(warning(codes[collection], costs[collection]));
  }
  if (access.namespaceAtOpen) {
    const name = access.namespaceAtOpen.metadata?.name ?? '';
    warnings.push(warning('MS324', `Kubernetes context "${context}" may get namespace "${name}" but not watch it (403 Forbidden), so its labels are those read when this source opened: a change to them shows once the source is opened again.`, 'info'));
  }
  return warnings;
}

function warning(code: string, message: string, severity: Diagnostic['severity'] = 'warning'): Diagnostic {
  return { code, severity, message };
}
