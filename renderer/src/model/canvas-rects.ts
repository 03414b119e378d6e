import type { CanvasRect } from './policy-edits';

/* Rectangles on the canvas, in its own coordinates: the few sums the layout, the edge routes and the view share. */

/** Whether two rectangles share some inside (touching borders do not). */
export function overlaps(a: CanvasRect, b: CanvasRect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The smallest rectangle holding both. */
export function union(a: CanvasRect, b: CanvasRect): CanvasRect {
  const [x, y] = [Math.min(a.x, b.x), Math.min(a.y, b.y)];
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** `box` grown by `by` on every side. */
export function grow(box: CanvasRect, by: number): CanvasRect {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}
