import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '@shared/diagnostics';
import { hasErrors } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { exportNetworkPolicies } from '@shared/kubernetes/export';
import { importNetworkPolicies } from '@shared/kubernetes/import';
import { parseNetworkPolicies } from '@shared/kubernetes/network-policy-file';
import type { Policy } from '@shared/policy/model';
import { readTextFile, writeTextFileAtomic } from './project-files';
import { ServiceError } from './service-error';

/** NetworkPolicy files to a design: null when any policy would be refused (diagnostics say where and why). */
export async function importNetworkPolicyFiles(paths: readonly string[], name: string): Promise<{ policy: Policy | null; diagnostics: Diagnostic[] }> {
  if (paths.length === 0) throw new ServiceError('bad-request', 'No NetworkPolicy file given; name at least one YAML file.');
  const parsed = await Promise.all(paths.map(async (path) => parseNetworkPolicies((await readTextFile(path)).text, path)));
  const diagnostics = parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(diagnostics)) return { policy: null, diagnostics };
  const imported = importNetworkPolicies(parsed.flatMap((p) => p.policies), name);
  return { policy: imported.policy, diagnostics: [...diagnostics, ...imported.diagnostics] };
}

/**
 * Writes the design as NetworkPolicy YAML into `dir`, one `NAMESPACE.yaml` per namespace, each
 * atomically; returns the files and what NetworkPolicy could not say.
 */
export async function exportNetworkPolicyFiles(policy: Policy, inventory: Inventory | undefined, dir: string): Promise<{ files: string[]; warnings: Diagnostic[] }> {
  const exported = exportNetworkPolicies(policy, inventory);
  const full = resolve(dir);
  try {
    await mkdir(full, { recursive: true });
  } catch (error) {
    throw new ServiceError('bad-request', `Cannot create the folder ${full}: ${(error as Error).message}`);
  }
  const files: string[] = [];
  for (const f of exported.files) files.push((await writeTextFileAtomic(join(full, `${f.namespace}.yaml`), f.yaml)).path);
  return { files, warnings: exported.warnings };
}
