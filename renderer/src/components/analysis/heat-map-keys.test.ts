import { describe, expect, it } from 'vitest';
import { cellAfterKey } from './heat-map-keys';

describe('moving through the heat map with the keyboard', () => {
  it('starts at the first cell, whichever key moves first', () => {
    expect(cellAfterKey(null, 'ArrowRight', 3)).toEqual({ row: 0, column: 0 });
    expect(cellAfterKey(null, 'Enter', 3)).toEqual({ row: 0, column: 0 });
  });

  it('moves one cell per arrow and stops at the edges', () => {
    expect(cellAfterKey({ row: 1, column: 1 }, 'ArrowRight', 3)).toEqual({ row: 1, column: 2 });
    expect(cellAfterKey({ row: 1, column: 1 }, 'ArrowDown', 3)).toEqual({ row: 2, column: 1 });
    expect(cellAfterKey({ row: 0, column: 0 }, 'ArrowUp', 3)).toEqual({ row: 0, column: 0 });
    expect(cellAfterKey({ row: 2, column: 2 }, 'ArrowRight', 3)).toEqual({ row: 2, column: 2 });
    expect(cellAfterKey({ row: 2, column: 0 }, 'Home', 3)).toEqual({ row: 2, column: 0 });
    expect(cellAfterKey({ row: 2, column: 0 }, 'End', 3)).toEqual({ row: 2, column: 2 });
  });

  it('leaves other keys (Tab, letters) and an empty map to the page', () => {
    expect(cellAfterKey({ row: 1, column: 1 }, 'Tab', 3)).toBeNull();
    expect(cellAfterKey(null, 'a', 3)).toBeNull();
    expect(cellAfterKey(null, 'ArrowDown', 0)).toBeNull();
  });
});
