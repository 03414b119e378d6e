import type { Diagnostic } from '../diagnostics';
import { parseLocatedYamlStream, schemaDiagnostics, type LocatedDocument } from '../yaml-document';
import { networkPolicySchema, type NetworkPolicy } from './network-policy';
import { validateNetworkPolicy } from './network-policy-validate';

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
    const value: unknown = doc.doc.toJS();
    if (value == null) continue;
    const items = isList(value) ? value.items.map((item, i) => ({ item, prefix: `items.${i}` })) : [{ item: value, prefix: '' }];
    for (const { item, prefix } of items) {
      const read = readObject(item, within(doc, prefix));
      diagnostics.push(...read.diagnostics);
      if (read.policy) policies.push(read.policy);
    }
  }
  return { policies, diagnostics };
}

function readObject(item: unknown, doc: LocatedDocument): { policy: NetworkPolicy | null; diagnostics: Diagnostic[] } {
  const kind = typeof item === 'object' && item !== null && 'kind' in item ? String(item.kind) : undefined;
  if (kind !== 'NetworkPolicy') {
    const message = `skipped: a ${kind ?? 'document without a kind'}, not a NetworkPolicy`;
    return { policy: null, diagnostics: [{ code: 'MS608', severity: 'warning', message, location: doc.locate('kind') }] };
  }
  const checked = networkPolicySchema.safeParse(item);
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
  return { doc: doc.doc, locate: (path) => ({ ...doc.locate(path === '' ? prefix : `${prefix}.${path}`), path }) };
}

function isList(value: unknown): value is { items: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; items?: unknown };
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}
