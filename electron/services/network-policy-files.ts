import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { NetworkPolicyExport, NetworkPolicyImport } from '@shared/api/contract';
import { hasErrors, type Diagnostic } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { DEFAULT_DENY, exportNetworkPolicies } from '@shared/kubernetes/export';
import { importNetworkPolicies } from '@shared/kubernetes/import';
import { parseNetworkPolicies, type NetworkPolicyParse } from '@shared/kubernetes/network-policy-file';
import type { Policy } from '@shared/policy/model';
import { isNamespaceName } from '@shared/policy/namespace-name';
import { writeFileSetIntoFolder } from './file-set';
import { ioReason } from './io-advice';
import { readTextFile } from './project-files';
import { ServiceError } from './service-error';

/** NetworkPolicy files to a design, named after the first file unless `name` is given. */
export async function importNetworkPolicyFiles(paths: readonly string[], name = designName(paths[0] ?? '')): Promise<NetworkPolicyImport> {
  if (paths.length === 0) throw new ServiceError('bad-request', 'No NetworkPolicy file given; name at least one YAML file.');
  const parsed = await Promise.all(paths.map(async (path) => parseNetworkPolicies((await readTextFile(path)).text, path)));
  // A cluster without NetworkPolicies permits everything, and its design says so. Files that
  // hold none are a mistake (a misspelt kind, the wrong file): their design would permit everything too.
  if (parsed.every((p) => p.policies.length === 0) && !hasErrors(parsed.flatMap((p) => p.diagnostics))) {
    const message = `${paths.join(', ')} hold${paths.length === 1 ? 's' : ''} no NetworkPolicy (every document was skipped: see the warnings), and a design of none would permit everything; nothing imported`;
    return { policy: null, diagnostics: [...parsed.flatMap((p) => p.diagnostics), { code: 'MS610', severity: 'error', message, location: { file: paths[0]! } }] };
  }
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
 * Writes the design as NetworkPolicy YAML into `dir`, one `NAMESPACE.yaml` per namespace, all
 * or nothing: every file is written to a temporary in `dir` first, and only when all of them
 * are there are they renamed over their targets; failing, a `dir` it made is removed again. Nothing is ever written outside `dir` (a
 * symlink there is replaced, not followed). Returns the files and what NetworkPolicy could not
 * say; with an error among those (a namespace that is no namespace name), writes nothing.
 */
export async function exportNetworkPolicyFiles(policy: Policy, inventory: Inventory | undefined, dir: string): Promise<NetworkPolicyExport> {
  const exported = exportNetworkPolicies(policy, inventory);
  // Nothing to write makes no folder either: an empty one left behind looks like an export.
  if (hasErrors(exported.warnings) || exported.files.length === 0) return { files: [], warnings: exported.warnings };
  const { folder, written } = await writeFileSetIntoFolder(dir, (full) => exported.files.map((f) => ({ path: fileInside(full, f.namespace), text: f.yaml })));
  return { files: written, warnings: [...exported.warnings, ...(await staleExportFiles(folder, written))] };
}

/** An export's files are a few kilobytes; a larger `.yaml` in the folder is no export of ours and is not read. */
const EXPORT_FILE_LIMIT = 1024 * 1024;

/**
 * A warning (MS657) for each `NAMESPACE.yaml` of the folder that an earlier export wrote (it
 * holds our default-deny) and this one did not: it is the user's to delete, so it stays, but
 * `kubectl apply -f` on the folder would bring its old policies back.
 */
async function staleExportFiles(dir: string, written: readonly string[]): Promise<Diagnostic[]> {
  const writtenNames = new Set(written.map((path) => basename(path)));
  const stale: Diagnostic[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const namespace = entry.name.slice(0, -'.yaml'.length);
    if (!entry.isFile() || !entry.name.endsWith('.yaml') || writtenNames.has(entry.name) || !isNamespaceName(namespace)) continue;
    const file = join(dir, entry.name);
    let ours: boolean;
    try {
      ours = (await stat(file)).size <= EXPORT_FILE_LIMIT && (await readFile(file, 'utf8')).includes(`name: ${DEFAULT_DENY}\n`);
    } catch (error) {
      // Another user's file, say: it may be an earlier export's all the same, and the export is written by now.
      const why = ioReason(error, 'read', file);
      stale.push({ code: 'MS657', severity: 'warning', message: `${entry.name} could not be read to tell whether an earlier export left it (${why}); check it before applying the folder (kubectl apply -f)`, location: { file } });
      continue;
    }
    if (!ours) continue;
    stale.push({
      code: 'MS657',
      severity: 'warning',
      message: `${entry.name} is from an earlier export: this design has no NetworkPolicy for namespace ${namespace}; delete the file before applying the folder (kubectl apply -f), or its old policies come back`,
      location: { file },
    });
  }
  return stale;
}

/** `dir/NAMESPACE.yaml`, checked to be a file directly in `dir` whatever the namespace holds. */
function fileInside(dir: string, namespace: string): string {
  const path = resolve(dir, `${namespace}.yaml`);
  if (!isNamespaceName(namespace) || dirname(path) !== dir) throw new ServiceError('bad-request', `"${namespace}" is not a namespace name; nothing exported.`);
  return path;
}
