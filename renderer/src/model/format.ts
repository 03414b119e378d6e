import type { Diagnostic } from '@shared/diagnostics';
import type { Selector } from '@shared/policy/model';

/** A selector in one line, as the canvas shows it: `tier=web · namespaces team=ops · image nginx:* · 10.0.0.0/8`. */
export function formatSelector(selector: Selector): string {
  const parts: string[] = [];
  if (selector.labels !== undefined) parts.push(selector.labels === '' ? 'every workload' : selector.labels);
  if (selector.namespaceLabels !== undefined) parts.push(selector.namespaceLabels === '' ? 'any namespace' : `namespaces ${selector.namespaceLabels}`);
  if (selector.image) parts.push(`image ${selector.image}`);
  if (selector.namespace) parts.push(`namespace ${selector.namespace}`);
  if (selector.host) parts.push(`host ${selector.host}`);
  for (const cidr of selector.cidrs ?? []) parts.push(cidr);
  // Without its carve-outs, `0.0.0.0/0` would read as every address, private ones included.
  if ((selector.except ?? []).length > 0) parts.push(`except ${selector.except!.join(', ')}`);
  if (parts.length > 0 && (selector.exclude ?? []).length > 0) parts.push(`minus ${selector.exclude!.length} exclusion${selector.exclude!.length === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' · ') : 'selects nothing';
}

/** An address block of a group as written: one of its `cidrs`, or one of the `except` blocks carved out of them. */
export interface WrittenBlock {
  text: string;
  carvedOut: boolean;
  /** Its place in its list: the same block may be written twice. */
  index: number;
}

/**
 * A group's address blocks as the user wrote them, the `except` blocks after the others. Not
 * the blocks membership derives: `fd00::/64` less `fd00::1/128` is 64 blocks nobody wrote.
 */
export function writtenBlocks(selector: Selector): WrittenBlock[] {
  const listed = (list: string[] | undefined, carvedOut: boolean): WrittenBlock[] => (list ?? []).map((text, index) => ({ text, carvedOut, index }));
  return [...listed(selector.cidrs, false), ...listed(selector.except, true)];
}

/** `2 address blocks`, `1 address block, 1 except`: a group's blocks as written, or null without any. */
export function writtenBlockCount(selector: Selector): string | null {
  const blocks = (selector.cidrs ?? []).length;
  const except = (selector.except ?? []).length;
  if (blocks === 0 && except === 0) return null;
  return except > 0 ? `${countOf(blocks, 'address block')}, ${except} except` : countOf(blocks, 'address block');
}

/** A count and its noun, singular for one: `1 edge`, `2 edges`, `0 address blocks`. */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/** `file:12:5`, `12:5`, a document path, or a canvas element: whatever the diagnostic knows. */
export function formatLocation(d: Diagnostic): string {
  const loc = d.location;
  if (!loc) return '';
  const position = loc.line ? `${loc.line}${loc.column ? `:${loc.column}` : ''}` : '';
  const place = [loc.file, position].filter(Boolean).join(':');
  const element = loc.element ? `${loc.element.kind} ${loc.element.id}` : '';
  return [place, element || loc.path].filter(Boolean).join(' · ');
}

/** The worst severity in a list, for badge colours; null when the list is empty. */
export function worstSeverity(diagnostics: readonly Diagnostic[]): Diagnostic['severity'] | null {
  if (diagnostics.some((d) => d.severity === 'error')) return 'error';
  if (diagnostics.some((d) => d.severity === 'warning')) return 'warning';
  return diagnostics.length > 0 ? 'info' : null;
}
