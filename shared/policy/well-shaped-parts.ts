import type { Diagnostic } from '../diagnostics';
import { POLICY_API_VERSION } from './model';
import { defaultsSchema, edgeSchema, groupSchema, infrastructureSchema, metadataSchema, type PolicyFile } from './policy-schema';

/**
 * The parts of a policy file whose shape is right, when the whole is not, so that one run
 * reports the errors of meaning (an edge to an unknown group, a bad block) beside the errors of
 * shape, not a round later. Each section, group and edge is read on its own; one whose shape
 * is wrong is kept as a stand-in, so the others keep their indices (the paths diagnostics
 * name), and a stand-in group keeps its name, so edges to it are not called unknown.
 */
export interface WellShapedParts {
  file: PolicyFile;
  /**
   * Whether a diagnostic of meaning found on `file` holds for the file as written: not when it
   * is about a stand-in (it would echo the shape error, or guess), nor an unknown group when a
   * group's name could not be read (an edge may name it).
   */
  sound(diagnostic: Diagnostic): boolean;
}

/** The well-shaped parts of a document that is a mapping; null for any other document. */
export function wellShapedParts(document: unknown): WellShapedParts | null {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return null;
  const value = document as Record<string, unknown>;
  const malformed = new Set<string>();
  let groupNamesKnown = true;

  const section = <T>(key: string, schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } }, standIn: T): T => {
    const read = schema.safeParse(value[key]);
    if (read.success) return read.data;
    malformed.add(key);
    return standIn;
  };
  const list = <T>(key: string, schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } }, standIn: (raw: unknown) => T): T[] => {
    const raw = value[key];
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      malformed.add(key);
      return [];
    }
    return raw.map((item, i) => {
      const read = schema.safeParse(item);
      if (read.success) return read.data;
      malformed.add(`${key}.${i}`);
      return standIn(item);
    });
  };

  const groups = list('groups', groupSchema, (raw) => {
    const name = textField(raw, 'name');
    if (name === undefined) groupNamesKnown = false;
    return { name: name ?? '', selector: {} };
  });
  if (malformed.has('groups')) groupNamesKnown = false;
  const file: PolicyFile = {
    apiVersion: POLICY_API_VERSION,
    kind: 'Policy',
    metadata: section('metadata', metadataSchema, { name: 'policy', revision: 0 }),
    defaults: section('defaults', defaultsSchema, { withinGroup: 'allow', betweenGroups: 'drop' }),
    infrastructure: section('infrastructure', infrastructureSchema, undefined),
    groups,
    // A stand-in edge keeps its id, so a later edge of that id is still a duplicate.
    edges: list('edges', edgeSchema, (raw) => ({ id: textField(raw, 'id') ?? '', from: '', to: '', services: [], action: 'allow' as const })),
  };

  const sound = (d: Diagnostic): boolean => {
    if (d.code === 'MS112' && !groupNamesKnown) return false;
    // A part is a section (`defaults`) or one entry of a list (`groups.2`), or the list as a whole.
    const [section = '', index] = (d.location?.path ?? '').split('.');
    return !malformed.has(section) && !malformed.has(`${section}.${index}`);
  };
  return { file, sound };
}

/** A field of a mapping when it is text, which is all a stand-in needs of it. */
function textField(raw: unknown, key: string): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const field = (raw as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
