import type { Diagnostic } from '@shared/diagnostics';
import { quotedName } from '@shared/text';

/**
 * Where a CSV record starts. csv-parse reports the line a record ends on (`info.lines`), and
 * counts a CRLF inside a quoted cell as two lines; diagnostics point at the line a record
 * starts on. So texts are parsed with LF line breaks only (`lfBreaks`), with `raw: true`, and
 * a record's start is its end minus the lines its own text spans.
 */

/**
 * How both CSV readers (inventories, connection logs) read: records with their place and raw
 * text (see above), `#` comment lines and blank lines skipped, cells trimmed, a BOM dropped, and
 * a record that cannot be read skipped (reported through `on_skip`) so the others still are.
 */
export const CSV_READING = {
  info: true,
  raw: true,
  skip_empty_lines: true,
  trim: true,
  comment: '#',
  comment_no_infix: true,
  bom: true,
  skip_records_with_error: true,
} as const;

/** The text with every line break written \n (the parser counts a \r\n in a quoted cell twice). */
export function lfBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** The line a record starts on, from the line it ends on and its raw text. */
export function recordStartLine(endLine: number, raw: string): number {
  return endLine - linesOfRecord(raw) + 1;
}

/** The lines of a record's own text that would be records were they not inside it: neither blank nor comments. */
export function recordLinesWithText(raw: string): number {
  const lines = raw.replace(/\n$/, '').split('\n');
  return lines.slice(lines.length - linesOfRecord(raw)).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).length;
}

/**
 * The lines a record's own text spans. Its raw text also holds the blank and comment lines
 * skipped before it, which a record's first line never is (it would have been skipped too).
 */
function linesOfRecord(raw: string): number {
  const lines = raw.replace(/\n$/, '').split('\n');
  let first = 0;
  while (first < lines.length - 1 && (lines[first]!.trim() === '' || lines[first]!.trimStart().startsWith('#'))) first++;
  return lines.length - first;
}

/**
 * Keeps one of the parser's reports about each record it skips, by the line the record starts
 * on. csv-parse reports a record again for each further quote it meets in it (`a"b"c` twice),
 * and one record is one line to fix (and, for a log, one line left out). Of a record's reports,
 * one that the rest of the file went into the record wins (`"w1"x`: a quote closed too early,
 * after which no quote closes): it says what else was lost.
 */
export class RecordReports {
  private lastLine: number | undefined;
  private lastIndex = -1;

  constructor(private readonly into: Diagnostic[]) {}

  add(diagnostic: Diagnostic, takesTheRest: boolean): void {
    const line = diagnostic.location?.line;
    if (line === undefined || line !== this.lastLine) {
      this.lastLine = line;
      this.lastIndex = this.into.push(diagnostic) - 1;
    } else if (takesTheRest) {
      this.into[this.lastIndex] = diagnostic;
    }
  }
}

const QUOTES_DOUBLED = 'write the cell in quotes with each of its quotes doubled ("a""b"), as a spreadsheet saves it';

/** What is wrong with a quote inside a cell and what to write, which csv-parse says in its own terms; undefined for other errors. */
export function quoteInCellProblem(error: { code: string; column?: unknown; field?: unknown }): string | undefined {
  const cell = typeof error.column === 'string' ? `cell ${quotedName(error.column)}` : 'a cell';
  // The text of the cell before the quote, which csv-parse gives as it read it.
  if (error.code === 'INVALID_OPENING_QUOTE' && typeof error.field === 'string') return `${cell} holds a quote after ${quotedName(error.field)}; ${QUOTES_DOUBLED}`;
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE') return `${cell} goes on after its closing quote; ${QUOTES_DOUBLED}`;
  return undefined;
}
