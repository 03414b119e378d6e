import type { MatrixCell, ReachabilityMatrix } from '../matrix';
import { groupCellAt } from '../matrix-grid';

/** Every group cell in full, `cells[i][j]` from `groups[i]` to `groups[j]`: for tests, whose matrices are small. */
export function allGroupCells(matrix: ReachabilityMatrix): MatrixCell[][] {
  return matrix.groups.map((_, i) => matrix.groups.map((__, j) => groupCellAt(matrix.grid, matrix.members, i, j)));
}
