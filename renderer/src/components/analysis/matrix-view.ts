import type { MatrixCell, ReachabilityMatrix } from '@shared/analysis/matrix';
import { EXAMPLE_TRACE_LIMIT, pairsToTry, type NamedPair } from '@shared/analysis/matrix-example';
import { cellServicesAt, forEachCellOfRow, groupCellAt } from '@shared/analysis/matrix-grid';
import type { ShownCell } from './heat-map-svg';

/**
 * The grid the panel shows: the groups (or, for a small inventory, the workloads), narrowed to
 * the names a filter keeps. Cells are read when drawn or picked, never all made as objects:
 * 5,000 groups make 25 million.
 */
export interface MatrixView {
  names: string[];
  /** What cell (row, column) shows, for its colour and tooltip. */
  shown: (row: number, column: number) => ShownCell;
  /** A whole row's cells, for drawing it: as `shown`, faster than asking cell by cell. */
  shownRow: (row: number) => ShownCell[];
  /** Cell (row, column) in full: services, member pairs, an example pair. */
  cell: (row: number, column: number) => MatrixCell;
  /** Group cells only: member pairs of cell (row, column) to trace for an example, spread over both groups' members and bounded. */
  pairsToTry?: (row: number, column: number) => NamedPair[];
}

export function matrixView(matrix: ReachabilityMatrix, level: 'groups' | 'workloads', filter: string): MatrixView {
  const all = level === 'workloads' && matrix.workloads ? matrix.workloads.names : matrix.groups;
  const wanted = filter.trim().toLowerCase();
  const kept = all.flatMap((name, i) => (wanted === '' || name.toLowerCase().includes(wanted) ? [i] : []));
  const names = kept.map((i) => all[i]!);

  if (level === 'workloads' && matrix.workloads) {
    const cells = matrix.workloads.cells;
    const shown = (row: number, column: number): ShownCell => {
      const cell = cells[kept[row]!]![kept[column]!]!;
      return cell.pairs === 0 ? null : cell;
    };
    return { names, shown, shownRow: (row) => kept.map((_, column) => shown(row, column)), cell: (row, column) => cells[kept[row]!]![kept[column]!]! };
  }

  const { grid, members } = matrix;
  return {
    names,
    shown: (row, column) => cellServicesAt(grid, kept[row]!, kept[column]!),
    shownRow: (row) => {
      const whole: ShownCell[] = [];
      forEachCellOfRow(grid, kept[row]!, (_, services) => whole.push(services));
      return kept.length === all.length ? whole : kept.map((column) => whole[column]!);
    },
    cell: (row, column) => groupCellAt(grid, members, kept[row]!, kept[column]!),
    pairsToTry: (row, column) => pairsToTry(members, kept[row]!, kept[column]!, EXAMPLE_TRACE_LIMIT),
  };
}
