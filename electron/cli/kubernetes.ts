import { basename, extname } from 'node:path';
import { compilePolicy } from '@shared/compiler/compile';
import { hasErrors, locatedIn, type Diagnostic } from '@shared/diagnostics';
import { parsePolicyFile, serializePolicy } from '@shared/policy/policy-file';
import { exportNetworkPolicyFiles, importNetworkPolicyFiles } from '../services/network-policy-files';
import { FileError, writeTextFileAtomic } from '../services/project-files';
import { ServiceError } from '../services/service-error';
import { CliFailure, EXIT, loadInventory, loadPolicy, wrongUsage } from './inputs';

// `microseg import k8s` and `microseg export k8s`: NetworkPolicy YAML in and out, through the
// same services the app uses.

/** What to print: diagnostics (to stderr, unless JSON carries them) and the summary. */
export interface KubernetesResult {
  text: string;
  code: number;
  diagnostics: Diagnostic[];
}

export interface KubernetesOptions {
  inventory?: string;
  output?: string;
  json: boolean;
}

/** Imports NetworkPolicy files, checks the design compiles for the inventory, writes it atomically. */
export async function importKubernetes(files: readonly string[], options: KubernetesOptions): Promise<KubernetesResult> {
  if (files.length === 0) throw wrongUsage('import k8s needs at least one NetworkPolicy YAML file');
  if (!options.output) throw wrongUsage('import k8s needs -o POLICY, the policy file to write');
  const inventory = await loadInventory(options.inventory);
  const name = basename(options.output, extname(options.output));
  const imported = await service(() => importNetworkPolicyFiles(files, name), { read: 'NetworkPolicy file' });
  if (!imported.policy) {
    const none = imported.diagnostics.some((d) => d.code === 'MS610');
    throw new CliFailure(EXIT.inputErrors, `${files.join(', ')}: ${none ? 'no NetworkPolicy to import' : 'the API server would refuse these NetworkPolicies'}; nothing written`, imported.diagnostics);
  }

  const compiled = compilePolicy(imported.policy, inventory);
  if (hasErrors(compiled.diagnostics)) throw new CliFailure(EXIT.inputErrors, `the imported design does not compile for ${options.inventory ?? ''}; nothing written`, [...imported.diagnostics, ...compiled.diagnostics]);
  const text = serializePolicy(imported.policy);
  const { path } = await service(() => writeTextFileAtomic(options.output!, text), { write: 'policy' });
  // The compile's warnings name paths of the policy (groups.3): placed in the file just written, they read file:line:col.
  const written = parsePolicyFile(text, path).locate;
  const diagnostics = [...imported.diagnostics, ...(written ? locatedIn(compiled.diagnostics, written) : compiled.diagnostics)];
  const summary = { policy: path, groups: imported.policy.groups.length, edges: imported.policy.edges.length, flows: compiled.flowCount, hosts: compiled.hosts.length, diagnostics };
  if (options.json) return { text: JSON.stringify(summary, null, 2), code: EXIT.ok, diagnostics: [] };
  return { text: `${path}: ${summary.groups} groups, ${summary.edges} edges; ${summary.flows} flows on ${summary.hosts} hosts for ${options.inventory ?? ''}`, code: EXIT.ok, diagnostics };
}

/** Exports a policy file as NetworkPolicy YAML per namespace and lists what could not be said. */
export async function exportKubernetes(policyPath: string, options: KubernetesOptions): Promise<KubernetesResult> {
  if (!policyPath) throw wrongUsage('export k8s needs the policy file to export');
  if (!options.output) throw wrongUsage('export k8s needs -o DIR, the folder for one YAML file per namespace');
  const { policy, locate } = await loadPolicy(policyPath);
  const inventory = options.inventory ? await loadInventory(options.inventory) : undefined;
  const exported = await service(() => exportNetworkPolicyFiles(policy, inventory, options.output!));
  // The export names groups and edges by their path in the policy: located, they read file:line:col.
  const warnings = locatedIn(exported.warnings, locate);
  if (hasErrors(warnings)) throw new CliFailure(EXIT.inputErrors, `${policyPath}: not exported; nothing written into ${options.output}`, warnings);
  if (options.json) return { text: JSON.stringify({ ...exported, warnings }, null, 2), code: EXIT.ok, diagnostics: [] };
  const lines = exported.files.map((f) => `wrote ${f}`);
  if (exported.files.length === 0) lines.push('no namespace to write: name namespaces in groups, or give --inventory with pods');
  return { text: lines.join('\n'), code: EXIT.ok, diagnostics: warnings };
}

/**
 * A service failure (an unreadable or unwritable file) is the user's to fix: exit 2 with its
 * message, naming the file by its role (`role`, for the file read or written) as the other inputs are named.
 */
async function service<T>(run: () => Promise<T>, role: Partial<Record<'read' | 'write', string>> = {}): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const named = error instanceof FileError ? role[error.verb] : undefined;
    if (error instanceof FileError && named !== undefined) throw new CliFailure(EXIT.usage, `cannot ${error.verb} ${named} ${error.path}: ${error.reason}`);
    if (error instanceof ServiceError) throw new CliFailure(EXIT.usage, error.message);
    throw error;
  }
}
