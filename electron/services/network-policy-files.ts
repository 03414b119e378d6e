import { mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { NetworkPolicyExport, NetworkPolicyImport } from '@shared/api/contract';
import { hasErrors } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { exportNetworkPolicies } from '@shared/kubernetes/export';
import { importNetworkPolicies } from '@shared/kubernetes/import';
import { parseNetworkPolicies, type NetworkPolicyParse } from '@shared/kubernetes/network-policy-file';
import type { Policy } from '@shared/policy/model';
import { readTextFile, writeTextFileAtomic } from './project-files';
import { ServiceError } from './service-error';

/** NetworkPolicy files to a design, named after the first file unless `name` is given. */
export async function importNetworkPolicyFiles(paths: readonly string[], name = designName(paths[0] ?? '')): Promise<NetworkPolicyImport> {
  if (paths.length === 0) throw new ServiceError('bad-request', 'No NetworkPolicy file given; name at least one YAML file.');
  const parsed = await Promise.all(paths.map(async (path) => parseNetworkPolicies((await readTextFile(path)).text, path)));
  return designFromNetworkPolicies(parsed, name);
}

/** Read policies (from files or a cluster) to a design: all or nothing, so a refused policy never leaves a partial picture. */
export function designFromNetworkPolicies(parsed: readonly NetworkPolicyParse[], name: string): NetworkPolicyImport {
  const diagnostics = parsed.flatMap((p) => p.diagnostics);
  if (hasErrors(diagnostics)) return { policy: null, diagnostics };
  const imported = importNetworkPolicies(parsed.flatMap((p) => p.policies), name);
  return { policy: imported.policy, diagnostics: [...diagnostics, ...imported.diagnostics] };
}

function designName(path: string): string {
  return basename(path, extname(path)) || 'network-policies';
}

/**
 * Writes the design as NetworkPolicy YAML into `dir`, one `NAMESPACE.yaml` per namespace, each
 * atomically; returns the files and what NetworkPolicy could not say.
 */
export async function exportNetworkPolicyFiles(policy: Policy, inventory: Inventory | undefined, dir: string): Promise<NetworkPolicyExport> {
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
