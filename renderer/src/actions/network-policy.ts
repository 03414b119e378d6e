import type { NetworkPolicyOrigin } from '@shared/api/contract';
import { validatePolicy } from '@shared/policy/validate';
import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useInventoryStore } from '../stores/inventory-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore, type FileProblem } from '../stores/policy-store';
import { mayDiscard } from './discard';
import { openUnsavedPolicy } from './policy-files';

/*
 * NetworkPolicy in and out. An import (YAML files, or an open Kubernetes context) becomes the
 * drawing, unsaved, after asking before unsaved work is thrown away; a refused policy changes
 * nothing. An export writes one NAMESPACE.yaml per namespace into a folder. Both report in the
 * file-problem list, each line with its file and line (or its policy, edge or group).
 */

const EXTENSIONS = ['yaml', 'yml'];

export async function importNetworkPolicyFiles(): Promise<void> {
  if (!(await mayDiscard('import NetworkPolicies'))) return;
  const paths = await chooseFiles();
  if (paths.length > 0) await importFrom({ kind: 'files', paths }, paths.join(', '));
}

/** Imports every NetworkPolicy of an open Kubernetes context, listed from its API server now. */
export async function importClusterNetworkPolicies(context: string): Promise<void> {
  if (!(await mayDiscard(`import the NetworkPolicies of "${context}"`))) return;
  await importFrom({ kind: 'cluster', context }, `the NetworkPolicies of Kubernetes context "${context}"`);
}

export async function exportNetworkPolicies(): Promise<void> {
  const { policy } = usePolicyStore.getState();
  // The export reads the policy's meaning; a policy with errors has none to write.
  const errors = validatePolicy(policy).filter((d) => d.severity === 'error');
  if (errors.length > 0) return report({ title: 'Not exported: fix these errors first (they are marked on the canvas too)', diagnostics: errors });

  const folder = await chooseFolder(policy.name);
  if (!folder) return;
  const inventory = useInventoryStore.getState().inventory;
  const response = await request('kubernetes:export', { policy, folder, ...(inventory ? { inventory } : {}) });
  if (!response.ok) return;

  const { files, warnings } = response.value;
  if (warnings.some((d) => d.severity === 'error')) return report({ title: `Nothing written into ${folder}: fix these first`, diagnostics: warnings });
  const wrote =
    files.length === 0
      ? `Nothing written into ${folder}: no group names a namespace and no pod of the inventory has one`
      : `Wrote ${files.length} NetworkPolicy ${files.length === 1 ? 'file' : 'files'}: ${files.join(', ')}`;
  report({ title: warnings.length > 0 ? `${wrote}. What NetworkPolicy cannot say:` : wrote, diagnostics: warnings });
}

async function importFrom(from: NetworkPolicyOrigin, what: string): Promise<void> {
  const response = await request('kubernetes:import', { from });
  if (!response.ok) return;
  const { policy, diagnostics } = response.value;
  if (!policy) {
    return report({ title: `Not imported: the API server would refuse ${what}; the drawing is unchanged`, diagnostics });
  }
  openUnsavedPolicy(policy);
  if (diagnostics.length > 0) report({ title: `Imported ${what} (${policy.groups.length} groups, ${policy.edges.length} edges), with these notes:`, diagnostics });
}

function report(problem: Omit<FileProblem, 'manyFiles'>): void {
  usePolicyStore.getState().setFileProblem({ ...problem, manyFiles: true });
}

/** One YAML file from the native dialog (a file may hold many policies), or several typed paths in browser mode. */
async function chooseFiles(): Promise<string[]> {
  if (useAppStore.getState().info?.nativeDialogs) {
    const response = await request('dialog:open', { title: 'Import NetworkPolicy YAML', extensions: EXTENSIONS });
    return response.ok && response.value ? [response.value] : [];
  }
  const answer = await useModalStore.getState().askPath({
    title: 'Import NetworkPolicy YAML',
    label: 'NetworkPolicy YAML files on the machine running Microseg (several: separate them with commas)',
    confirmLabel: 'Import',
    defaultPath: '',
    shortcuts: [],
    several: true,
  });
  return (answer ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

async function chooseFolder(policyName: string): Promise<string | null> {
  if (useAppStore.getState().info?.nativeDialogs) {
    const response = await request('dialog:open', { title: 'Export NetworkPolicy into a folder', extensions: [], folder: true });
    return response.ok ? response.value : null;
  }
  // Like new policy files, exports go to the home folder unless the user says otherwise.
  const home = useAppStore.getState().info?.homeDir ?? '';
  const answer = await useModalStore.getState().askPath({
    title: 'Export NetworkPolicy',
    label: 'Folder on the machine running Microseg (made if missing); one NAMESPACE.yaml per namespace is written into it',
    confirmLabel: 'Export',
    defaultPath: `${home}/${policyName.replace(/[^A-Za-z0-9._-]+/g, '-')}-networkpolicy`,
    shortcuts: [],
  });
  const trimmed = answer?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
