import type { ReachabilityMatrix } from './matrix';
import { formatServices, isEmptyServiceSet } from './service-set';

/**
 * The matrix as lines a terminal shows: one line per group pair that permits anything, with
 * the services every member pair may open and those only some may; closed pairs are left out
 * and counted at the end.
 */
export function formatMatrixText(matrix: ReachabilityMatrix): string {
  const lines: string[] = [];
  let closed = 0;
  matrix.groups.forEach((from, i) =>
    matrix.groups.forEach((to, j) => {
      const cell = matrix.cells[i]![j]!;
      const parts: string[] = [];
      if (!isEmptyServiceSet(cell.always)) parts.push(formatServices(cell.always));
      if (!isEmptyServiceSet(cell.sometimes)) parts.push(`some pairs only: ${formatServices(cell.sometimes)}`);
      if (!isEmptyServiceSet(cell.redirected)) parts.push(`redirected: ${formatServices(cell.redirected)}`);
      if (parts.length === 0) closed++;
      else lines.push(`${from} → ${to}: ${parts.join('; ')}`);
    }),
  );
  lines.push(`${matrix.groups.length} groups; ${closed} of ${matrix.groups.length ** 2} ordered pairs permit nothing.`);
  return lines.join('\n') + '\n';
}

/** One row per ordered group pair, for spreadsheets: `from,to,always,sometimes,redirected,pairs`. */
export function formatMatrixCsv(matrix: ReachabilityMatrix): string {
  const rows = [['from', 'to', 'always', 'sometimes', 'redirected', 'pairs']];
  matrix.groups.forEach((from, i) =>
    matrix.groups.forEach((to, j) => {
      const cell = matrix.cells[i]![j]!;
      const text = (s: typeof cell.always): string => (isEmptyServiceSet(s) ? '' : formatServices(s));
      rows.push([from, to, text(cell.always), text(cell.sometimes), text(cell.redirected), String(cell.pairs)]);
    }),
  );
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
