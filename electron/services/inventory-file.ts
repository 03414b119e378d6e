import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Diagnostic } from '@shared/diagnostics';
import { inventoryFromRows, parseInventoryFile, type InventoryParse, type InventoryRow } from '@shared/inventory/static-file';
import { lfBreaks, recordStartLine } from './csv-lines';

/**
 * Reads a static inventory in either format: YAML (`kind: Inventory`) or CSV with a header
 * row (name, host, addresses, labels, …). Malformed CSV is reported with its line.
 */
export function parseInventoryText(text: string, file: string, readAt: string): InventoryParse {
  if (extname(file).toLowerCase() !== '.csv') return parseInventoryFile(text, file, readAt);

  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  // A column named twice would keep only its last cell of each row, unseen.
  const repeated = new Set<string>();
  const header = (names: string[]): string[] => {
    names.forEach((name, i) => names.indexOf(name) !== i && repeated.add(name));
    return names;
  };
  try {
    // See csv-lines.ts: rows are placed where they start.
    records = parse(lfBreaks(text), { columns: header, info: true, raw: true, skip_empty_lines: true, trim: true, comment: '#', comment_no_infix: true, bom: true });
  } catch (error) {
    const e = error as Error & { lines?: number };
    const diagnostic: Diagnostic = { code: 'MS308', severity: 'error', message: `CSV syntax: ${e.message}`, location: { file, line: e.lines } };
    return { inventory: null, diagnostics: [diagnostic] };
  }
  if (repeated.size > 0) {
    // The header is the first line that is neither blank nor a comment.
    const line = text.split(/\r?\n/).findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#')) + 1;
    const diagnostics: Diagnostic[] = [...repeated].map((name) => ({ code: 'MS305', severity: 'error', message: `column "${name}" is named twice in the header; name each column once`, location: { file, line, path: name } }));
    return { inventory: null, diagnostics };
  }
  const rows: InventoryRow[] = records.map(({ record, info, raw }) => ({ line: recordStartLine(info.lines, raw), cells: record }));
  return inventoryFromRows(rows, file, readAt);
}
