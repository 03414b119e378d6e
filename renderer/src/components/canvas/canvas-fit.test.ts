import { describe, expect, it } from 'vitest';
import { drawingFitsView } from './canvas-fit';

const group = (x: number, y: number): { x: number; y: number; width: number; height: number } => ({ x, y, width: 230, height: 120 });

describe('drawingFitsView', () => {
  it('fits a drawing whose extent, times the zoom, is within the view', () => {
    // 1,230 × 620 canvas units at 0.5 is 615 × 310 pixels.
    expect(drawingFitsView([group(0, 0), group(1000, 500)], { width: 800, height: 600 }, 0.5)).toBe(true);
  });

  it('does not fit one too wide or too high, wherever it starts', () => {
    const wide = [group(-5000, 0), group(5000, 0)];
    expect(drawingFitsView(wide, { width: 1440, height: 900 }, 0.2)).toBe(false);
    const high = [group(300, -4000), group(300, 2000)];
    expect(drawingFitsView(high, { width: 1440, height: 900 }, 0.2)).toBe(false);
  });

  it('counts the sizes of the groups, not only where they start', () => {
    // Starts 1,000 apart (200 px at 0.2) but ends 1,230 apart: 246 px.
    expect(drawingFitsView([group(0, 0), group(1000, 0)], { width: 240, height: 900 }, 0.2)).toBe(false);
    expect(drawingFitsView([group(0, 0), group(1000, 0)], { width: 246, height: 900 }, 0.2)).toBe(true);
  });

  it('fits an empty drawing', () => {
    expect(drawingFitsView([], { width: 100, height: 100 }, 0.2)).toBe(true);
  });
});
