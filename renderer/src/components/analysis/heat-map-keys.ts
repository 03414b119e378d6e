import type { KeyboardEvent } from 'react';

export interface PickedCell {
  row: number;
  column: number;
}

/**
 * The cell a key moves the pick to on a map of `size` rows and columns: the arrows one cell,
 * Home and End to the row's ends; the first of them (or Enter) picks the first cell. Null for
 * a key the map leaves to the page (Tab, letters), so the keyboard reaches every cell a
 * pointer does.
 */
export function cellAfterKey(picked: PickedCell | null, key: string, size: number): PickedCell | null {
  if (size === 0 || !MOVES.has(key)) return null;
  if (!picked) return { row: 0, column: 0 };
  const last = size - 1;
  const clamp = (n: number): number => Math.min(Math.max(n, 0), last);
  const { row, column } = picked;
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(row - 1), column };
    case 'ArrowDown':
      return { row: clamp(row + 1), column };
    case 'ArrowLeft':
      return { row, column: clamp(column - 1) };
    case 'ArrowRight':
      return { row, column: clamp(column + 1) };
    case 'Home':
      return { row, column: 0 };
    case 'End':
      return { row, column: last };
    default:
      return picked;
  }
}

const MOVES = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'Enter']);

/** The map's key handler: moves the pick, and keeps the arrows from scrolling the map as well. */
export function onHeatMapKey(picked: PickedCell | null, size: number, pick: (cell: PickedCell) => void): (event: KeyboardEvent) => void {
  return (event) => {
    const next = cellAfterKey(picked, event.key, size);
    if (!next) return;
    event.preventDefault();
    pick(next);
  };
}
