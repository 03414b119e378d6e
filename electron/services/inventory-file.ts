import { extname } from 'node:path';
import { parse, type CsvError } from 'csv-parse/sync';
import { byLine, capped, type Diagnostic } from '@shared/diagnostics';
import { headerDiagnostics, inventoryFromRows, parseInventoryFile, type InventoryParse, type InventoryRow } from '@shared/inventory/static-file';
import { CSV_READING, lfBreaks, quoteInCellProblem, recordLinesWithText, RecordReports, recordStartLine } from './csv-lines';

/**
 * Reads a static inventory in either format: YAML (`kind: Inventory`) or CSV with a header
 * row (name, host, addresses, labels, …). Malformed CSV is reported with its line.
 */
export function parseInventoryText(text: string, file: string, readAt: string): InventoryParse {
  const csv = extname(file).toLowerCase() === '.csv';
  const misnamed = otherFormat(text, file, csv);
  if (misnamed) return { inventory: null, diagnostics: [misnamed] };
  if (!csv) {
    const parsed = parseInventoryFile(text, file, readAt);
    return { inventory: parsed.inventory, diagnostics: capped(parsed.diagnostics) };
  }

  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  let columns: string[] | undefined;
  // A column named twice would keep only its last cell of each row, unseen.
  const repeated = new Set<string>();
  const header = (names: string[]): string[] => {
    columns = names;
    names.forEach((name, i) => names.indexOf(name) !== i && repeated.add(name));
    return names;
  };
  // A row CSV cannot read (too many or too few cells) is reported and the others still read, so
  // every error of the file shows at once; only one it cannot read past (an unclosed quote) stops it.
  const unreadable: Diagnostic[] = [];
  const reports = new RecordReports(unreadable);
  const syntaxError = (error: Error & { lines?: number }): Diagnostic => ({ code: 'MS308', severity: 'error', message: `CSV syntax: ${error.message}`, location: { file, line: error.lines } });
  try {
    // See csv-lines.ts: rows are placed where they start.
    records = parse(lfBreaks(text), {
      ...CSV_READING,
      columns: header,
      on_skip: (error, raw) => {
        if (error) reports.add(unreadableRow(error, raw, file, columns ?? []), error.code === 'CSV_QUOTE_NOT_CLOSED');
      },
    });
  } catch (error) {
    return { inventory: null, diagnostics: capped([...unreadable, syntaxError(error as Error)]) };
  }
  // A file with no header is no inventory, as an empty YAML file is none: most likely the wrong or a truncated file.
  if (!columns) return { inventory: null, diagnostics: [{ code: 'MS306', severity: 'error', message: NO_HEADER, location: { file, line: 1 } }] };
  // The header is the first line that is neither blank nor a comment.
  const headerLine = text.split(/\r?\n/).findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#')) + 1;
  if (repeated.size > 0) {
    const diagnostics: Diagnostic[] = [...repeated].map((name) => ({ code: 'MS305', severity: 'error', message: `column "${name}" is named twice in the header; name each column once`, location: { file, line: headerLine, path: name } }));
    return { inventory: null, diagnostics };
  }
  const rows: InventoryRow[] = records.map(({ record, info, raw }) => ({ line: recordStartLine(info.lines, raw), cells: record }));
  const parsed = inventoryFromRows(rows, file, readAt);
  const wrongHeader = headerDiagnostics(columns, file, headerLine);
  if (unreadable.length === 0 && wrongHeader.length === 0) return { inventory: parsed.inventory, diagnostics: capped(parsed.diagnostics) };
  return { inventory: null, diagnostics: capped(byLine([...wrongHeader, ...unreadable, ...parsed.diagnostics])) };
}

/**
 * A row CSV cannot read, at the line it starts on (the parser names the line it stopped on). An
 * unclosed quote takes the rest of the file into one cell, so the line it stopped on is the
 * last one: the quote is named where it opens, with the lines it swallowed.
 */
function unreadableRow(error: CsvError & { lines?: number; record?: unknown }, raw: string | undefined, file: string, columns: readonly string[]): Diagnostic {
  const line = error.lines === undefined || raw === undefined ? error.lines : recordStartLine(error.lines, raw);
  if (error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' && Array.isArray(error.record)) {
    return { code: 'MS308', severity: 'error', message: cellCountMismatch(error.record.length, columns), location: { file, line } };
  }
  const quote = quoteInCellProblem(error);
  if (quote) return { code: 'MS308', severity: 'error', message: `CSV syntax: ${quote}`, location: { file, line } };
  if (error.code !== 'CSV_QUOTE_NOT_CLOSED' || raw === undefined) return { code: 'MS308', severity: 'error', message: `CSV syntax: ${error.message}`, location: { file, line } };
  const after = recordLinesWithText(raw) - 1;
  const swallowed = after === 0 ? 'the rest of the line' : `the rest of the file (${after === 1 ? 'the line' : `the ${after.toLocaleString('en-US')} lines`} after this one)`;
  return { code: 'MS308', severity: 'error', message: `CSV syntax: a quote opened on this line is never closed, so ${swallowed} was read as one cell; close the quote`, location: { file, line } };
}

/** A row with more or fewer cells than the header has columns, and the likely fix of each. */
function cellCountMismatch(cells: number, columns: readonly string[]): string {
  const counted = `this row has ${cells} cell${cells === 1 ? '' : 's'}, but the header row names ${columns.length} column${columns.length === 1 ? '' : 's'} (${columns.join(', ')})`;
  return cells < columns.length
    ? `${counted}; give every row a cell for each column, an empty one where there is nothing to say (web-1,host-a,,)`
    : `${counted}; separate addresses and labels with ";" (tier=web;env=prod), not commas, quote a cell that holds a comma ("a,b"), or add the column to the header`;
}

const NO_HEADER = 'the file has no header row (it is empty, or holds only comments and blank lines); a CSV inventory starts with one, such as name,host,addresses,labels';

/**
 * The file name decides the format (`.csv`, else YAML). A file plainly in the other one would
 * fail far from the cause (a CSV read as YAML is "not a mapping"; YAML read as CSV has a header
 * of unknown columns), so its first line is looked at and the name is said to be the fault.
 */
function otherFormat(text: string, file: string, csv: boolean): Diagnostic | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const index = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const first = lines[index]?.trim() ?? '';
  const location = { file, line: index + 1 };
  if (csv && /^(apiVersion|kind|workloads)\s*:/.test(first)) {
    return { code: 'MS308', severity: 'error', message: `this is YAML (${first.split(':')[0]}: …), but a file named .csv is read as CSV; name it .yaml`, location };
  }
  // A CSV header: column names only, commas between them, `name` among them.
  if (!csv && /^[A-Za-z]+(\s*,\s*[A-Za-z]*)+$/.test(first) && first.split(',').some((c) => c.trim() === 'name')) {
    return { code: 'MS302', severity: 'error', message: `this is CSV (a header row ${first}), but only a file named .csv is read as CSV; name it .csv`, location };
  }
  return undefined;
}
