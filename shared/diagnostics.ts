import { printable } from './text';

/** Where a diagnostic points: a place in a file, or an element on the canvas. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path into the document, e.g. `edges.2.services.0`. */
  path?: string;
  /** Canvas element the problem belongs to: a group name or an edge id. */
  element?: { kind: 'group' | 'edge'; id: string };
  /** The workload of the inventory the problem is about, by its id (`Workload.id`). */
  workload?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A user mistake, reported as data. `code` is stable across releases so docs and
 * scripts can rely on it; `message` says what to do about it.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  location?: SourceLocation;
}

/** True when any diagnostic is an error, i.e. the input must not be used. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * `file:line:col: severity CODE message`, the form compilers and editors understand. Always
 * one line: control characters of the file, message or path (a name read from a file) are
 * escaped, never printed.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const loc = d.location;
  const where = loc?.file
    ? `${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : ''}: `
    : '';
  // A shape error already starts with its path (`groups.0.name: name must be text`): once is enough.
  const path = loc?.path && !d.message.startsWith(`${loc.path}: `) ? ` (at ${loc.path})` : '';
  return printable(`${where}${d.severity} ${d.code}: ${d.message}${path}`);
}

/**
 * The diagnostics with a line and column for each that names a path but no line (a compile's
 * lint names paths into the policy), found by `locate` (PolicyParse.locate).
 */
export function locatedIn(diagnostics: readonly Diagnostic[], locate: (path: string) => SourceLocation): Diagnostic[] {
  return diagnostics.map((d) => (d.location?.path !== undefined && d.location.line === undefined ? { ...d, location: { ...d.location, ...locate(d.location.path) } } : d));
}

/** How many diagnostics of one file are shown: a file wrong on every line still fits a screen. */
export const MAX_DIAGNOSTICS_PER_FILE = 50;

/**
 * The first `max` diagnostics, then one more that counts those left out (so a pipeline still
 * sees the failure, and a person knows there is more to fix). Unchanged when there are `max`
 * or fewer. The count takes the code of the first one left out, and its file.
 */
export function capped(diagnostics: readonly Diagnostic[], max = MAX_DIAGNOSTICS_PER_FILE): Diagnostic[] {
  if (diagnostics.length <= max) return [...diagnostics];
  const rest = diagnostics.slice(max);
  const first = rest[0]!;
  const errors = rest.filter((d) => d.severity === 'error').length;
  const what = errors === rest.length ? 'errors' : errors === 0 ? 'warnings' : 'errors and warnings';
  const file = first.location?.file;
  return [
    ...diagnostics.slice(0, max),
    {
      code: first.code,
      severity: errors > 0 ? 'error' : first.severity,
      message: `and ${rest.length.toLocaleString('en-US')} more ${what} ${file ? 'in this file ' : ''}not shown (the first ${max} are); fix these and read it again`,
      ...(file ? { location: { file } } : {}),
    },
  ];
}

/**
 * The diagnostics in order of their place: line, then column (those without a line, or a
 * column, first); stable, so those of one place keep their order.
 */
export function byLine(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
}
