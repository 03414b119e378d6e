import type { Diagnostic } from '../diagnostics';
import { parseLocatedYamlStream, schemaDiagnostics, type LocatedDocument } from '../yaml-document';
import { networkPolicySchema, type NetworkPolicy } from './network-policy';
import { validateNetworkPolicy } from './network-policy-validate';
import { appendAll } from '../arrays';
import { quotedName } from '../text';

export interface NetworkPolicyParse {
  policies: NetworkPolicy[];
  diagnostics: Diagnostic[];
}

/**
 * Reads NetworkPolicy YAML: one document, several (`---`), or a `kind: List` (what `kubectl
 * get -o yaml` prints). Objects of other kinds are skipped with a warning; a policy the API
 * server would refuse is left out with an error at its file, line and column. Pure and
 * deterministic.
 */
export function parseNetworkPolicies(text: string, file: string): NetworkPolicyParse {
  const parsed = parseLocatedYamlStream(text, file, 'MS601');
  if (!parsed.ok) return { policies: [], diagnostics: parsed.diagnostics };

  const policies: NetworkPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parsed.value) {
    const value = doc.value;
    if (value == null) continue;
    const items = isList(value) ? value.items.map((item, i) => ({ item, prefix: `items.${i}` })) : [{ item: value, prefix: '' }];
    for (const { item, prefix } of items) {
      const read = readObject(item, within(doc, prefix));
      appendAll(diagnostics, read.diagnostics);
      if (read.policy) policies.push(read.policy);
    }
  }
  return { policies, diagnostics };
}

/**
 * Reads the NetworkPolicies a cluster returned (the items of a list, which carry no kind or
 * apiVersion of their own) with the same checks as files. There are no lines to point at, so
 * each diagnostic's file is `origin` and the policy (`ctx networkpolicy shop/web`) and its path
 * the field. Pure and deterministic.
 */
export function readNetworkPolicyObjects(items: readonly unknown[], origin: string): NetworkPolicyParse {
  const policies: NetworkPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    const object: Record<string, unknown> = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...(item as Record<string, unknown>) };
    const metadata = (object.metadata ?? {}) as { namespace?: unknown; name?: unknown };
    const text = (value: unknown, otherwise: string): string => (typeof value === 'string' ? value : otherwise);
    const file = `${origin} networkpolicy ${text(metadata.namespace, 'default')}/${text(metadata.name, '')}`;
    const read = readObject(object, { locate: (path) => ({ file, path }) });
    appendAll(diagnostics, read.diagnostics);
    if (read.policy) policies.push(read.policy);
  }
  return { policies, diagnostics };
}

/** Why a document of another kind is skipped; one that differs from NetworkPolicy in case only is most likely meant as one. */
function skippedKind(kind: string | undefined): string {
  if (kind === undefined) return 'skipped: a document without a kind, not a NetworkPolicy';
  if (kind.toLowerCase() === 'networkpolicy') return `skipped: its kind is ${quotedName(kind)}; write kind: NetworkPolicy, capitals as here, for it to be read as one`;
  return `skipped: its kind is ${quotedName(kind)}, not NetworkPolicy`;
}

function readObject(item: unknown, doc: Pick<LocatedDocument, 'locate'>): { policy: NetworkPolicy | null; diagnostics: Diagnostic[] } {
  const kind = typeof item === 'object' && item !== null && 'kind' in item ? String(item.kind) : undefined;
  if (kind !== 'NetworkPolicy') {
    return { policy: null, diagnostics: [{ code: 'MS608', severity: 'warning', message: skippedKind(kind), location: doc.locate('kind') }] };
  }
  const checked = networkPolicySchema.safeParse(item, { reportInput: true });
  if (!checked.success) return { policy: null, diagnostics: schemaDiagnostics(checked.error, doc, 'MS602') };

  const diagnostics: Diagnostic[] = [];
  const start = doc.locate('');
  const policy = validateNetworkPolicy(checked.data, { file: start.file ?? '', line: start.line }, (code, path, message) => {
    const name = `${checked.data.metadata.namespace ?? 'default'}/${checked.data.metadata.name}`;
    diagnostics.push({ code, severity: 'error', message: `NetworkPolicy ${name}: ${message}`, location: doc.locate(path) });
  });
  return { policy, diagnostics };
}

/** A document whose paths start below `prefix` (an item of a List). */
function within(doc: LocatedDocument, prefix: string): LocatedDocument {
  if (prefix === '') return doc;
  return { doc: doc.doc, value: doc.value, locate: (path, at) => ({ ...doc.locate(path === '' ? prefix : `${prefix}.${path}`, at), path }) };
}

function isList(value: unknown): value is { items: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; items?: unknown };
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}
