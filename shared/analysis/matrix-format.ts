import type { MatrixCell, ReachabilityMatrix } from './matrix';
import type { CellPlace, CheckedExample } from './matrix-example';
import { examplePair, forEachCellOfRow, forEachGridCell, MemberPairCounter, type CellServices } from './matrix-grid';
import { formatServices, isEmptyServiceSet, listServices, type ServiceSet } from './service-set';
import { leftOutNames, leftOutNote } from './infrastructure-passes';

// The matrix for the command line. 5,000 groups make 25 million ordered pairs, so the text and
// the CSV come as lines to write one after another, never as one string.

/** A cell that permits or redirects something, named, for the text and the JSON. */
export interface OpenCell extends MatrixCell {
  from: string;
  to: string;
}

/**
 * The matrix as lines a terminal shows: one per group pair that permits anything, with the
 * services every member pair may open and those only some may; closed pairs are left out and
 * counted at the end, followed by the infrastructure traffic no cell shows, if any.
 */
export function* matrixTextLines(matrix: ReachabilityMatrix): Generator<string> {
  const lines: string[] = [];
  forEachGridCell(matrix.grid, (row, column, services) => {
    if (!opens(services)) return;
    const parts: string[] = [];
    if (!isEmptyServiceSet(services.always)) parts.push(formatServices(services.always));
    if (!isEmptyServiceSet(services.sometimes)) parts.push(`some pairs only: ${formatServices(services.sometimes)}`);
    if (!isEmptyServiceSet(services.redirected)) parts.push(`redirected: ${formatServices(services.redirected)}`);
    lines.push(`${matrix.groups[row]} → ${matrix.groups[column]}: ${parts.join('; ')}`);
  });
  yield* lines;
  const all = matrix.groups.length ** 2;
  // Counts grouped by thousands, as replay writes them: 39,211 of 40,000.
  yield `${count(matrix.groups.length)} groups; ${count(all - lines.length)} of ${count(all)} ordered pairs permit nothing.`;
  const note = leftOutNote(matrix.leftOut);
  if (note) yield note;
}

/**
 * One row per ordered group pair, for spreadsheets: `from,to,always,sometimes,redirected,pairs`;
 * the header, then the rows of one source group at a time, as one chunk of lines each. Only
 * rows, so a spreadsheet reads it as it is: the caller says apart what no cell shows (leftOutNote).
 */
export function* matrixCsvChunks(matrix: ReachabilityMatrix): Generator<string> {
  yield 'from,to,always,sometimes,redirected,pairs';
  const pairs = new MemberPairCounter(matrix.members);
  const texts = new Map<CellServices | null, string>();
  const textOf = (services: CellServices | null): string => {
    let text = texts.get(services);
    if (text === undefined) {
      // Run by run, as the CSV always listed them, for scripts that split a cell; the text says `tcp except 5432`.
      const shown = (s: ServiceSet): string => csvField(isEmptyServiceSet(s) ? '' : listServices(s));
      texts.set(services, (text = services ? `${shown(services.always)},${shown(services.sometimes)},${shown(services.redirected)}` : ',,'));
    }
    return text;
  };
  const names = matrix.groups.map(csvField);
  for (let row = 0; row < names.length; row++) {
    const lines: string[] = [];
    forEachCellOfRow(matrix.grid, row, (column, services) => lines.push(`${names[row]},${names[column]},${textOf(services)},${services ? pairs.count(row, column) : 0}`));
    yield lines.join('\n');
  }
}

/**
 * Finds the examples of a list of cells at once (checkedExamples with the tables' verdict
 * engine); without it, a cell's example is its first member pair, which need not open a service
 * only some pairs open.
 */
export type ExampleFinder = (cells: readonly CellPlace[]) => (CheckedExample | undefined)[];

/** The cells with member pairs that permit or redirect anything, row by row, in full. */
export function openCells(matrix: ReachabilityMatrix, findExamples?: ExampleFinder): OpenCell[] {
  const places: CellPlace[] = [];
  forEachGridCell(matrix.grid, (row, column, services) => {
    if (opens(services)) places.push({ row, column, services });
  });
  const examples = findExamples ? findExamples(places) : places.map((p) => examplePair(matrix.members, p.row, p.column));
  const pairs = new MemberPairCounter(matrix.members);
  return places.map(({ row, column, services }, i) => {
    const example = examples[i];
    return { from: matrix.groups[row]!, to: matrix.groups[column]!, ...services, pairs: pairs.count(row, column), outsidePairs: pairs.outside(row, column), ...(example ? { example } : {}) };
  });
}

/**
 * The matrix as `--json` prints it: the groups, every cell that permits or redirects anything
 * (the others permit nothing), the workload grid of a small inventory, and the infrastructure
 * traffic no cell shows.
 */
export function matrixJson(matrix: ReachabilityMatrix, findExamples?: ExampleFinder): object {
  const open = openCells(matrix, findExamples);
  return {
    groups: matrix.groups,
    cells: open,
    closedPairs: matrix.groups.length ** 2 - open.length,
    ...(matrix.workloads ? { workloads: matrix.workloads } : {}),
    infrastructureNotShown: leftOutNames(matrix.leftOut),
    stats: matrix.stats,
  };
}

/** Whether a cell has member pairs and permits or redirects anything. */
function opens(services: CellServices | null): services is CellServices {
  return services !== null && !(isEmptyServiceSet(services.always) && isEmptyServiceSet(services.sometimes) && isEmptyServiceSet(services.redirected));
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
