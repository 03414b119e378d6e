import type { Diagnostic, Severity } from '@shared/diagnostics';

/** Where in a text a diagnostic is underlined: 1-based lines and columns, the end column excluded. */
export interface DiagnosticRange {
  line: number;
  column: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/**
 * One range per diagnostic, for an editor's markers. A diagnostic points at one place; the
 * underline runs from there over the word it starts (a key, a value, `tcp/99999`) so it can be
 * seen. Places past the end of the text or a line are pulled back onto it, and a diagnostic
 * with no line marks the first, so none is ever dropped.
 */
export function diagnosticRanges(diagnostics: readonly Diagnostic[], text: string): DiagnosticRange[] {
  const lines = text.split(/\r?\n/);
  return diagnostics.map((d) => {
    const line = clamp(d.location?.line ?? 1, 1, lines.length);
    const content = lines[line - 1] ?? '';
    const column = clamp(d.location?.column ?? 1, 1, content.length + 1);
    return { line, column, endColumn: wordEnd(content, column), severity: d.severity, code: d.code, message: d.message };
  });
}

/** The column after the run of non-blank characters at `column`; at least one character wide. */
function wordEnd(content: string, column: number): number {
  let end = column - 1;
  while (end < content.length && !/\s/.test(content[end]!)) end++;
  return Math.max(end + 1, column + 1);
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}
