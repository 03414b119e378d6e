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
  const path = loc?.path ? ` (at ${loc.path})` : '';
  return printable(`${where}${d.severity} ${d.code}: ${d.message}${path}`);
}

/**
 * The diagnostics with a line and column for each that names a path but no line (a compile's
 * lint names paths into the policy), found by `locate` (PolicyParse.locate).
 */
export function locatedIn(diagnostics: readonly Diagnostic[], locate: (path: string) => SourceLocation): Diagnostic[] {
  return diagnostics.map((d) => (d.location?.path !== undefined && d.location.line === undefined ? { ...d, location: { ...d.location, ...locate(d.location.path) } } : d));
}
