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
