/**
 * How the canvas fits the drawing into view, alike on opening, after Arrange and by the Fit
 * button: some air round the groups, and a lone group never blown up past full size.
 */
export const CANVAS_FIT = { padding: 0.2, maxZoom: 1 } as const;

/** The same fit, gliding there rather than jumping. */
export const CANVAS_FIT_GLIDE = { ...CANVAS_FIT, duration: 250 } as const;

/**
 * The zoom below which edge labels are not drawn: their 11 px text is then under 5.5 px on
 * screen, and with hundreds of edges in view the labels lie over each other.
 */
export const LABEL_ZOOM = 0.5;

/** A group's place and size on the canvas, in the canvas's own units. */
export interface DrawnRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Whether every group, seen at `zoom`, fits into a view of `view` pixels at once. False tells the
 * user that a fit at the smallest zoom shows only part of the drawing. No groups always fit.
 */
export function drawingFitsView(groups: Iterable<DrawnRect>, view: { width: number; height: number }, zoom: number): boolean {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const g of groups) {
    left = Math.min(left, g.x);
    top = Math.min(top, g.y);
    right = Math.max(right, g.x + g.width);
    bottom = Math.max(bottom, g.y + g.height);
  }
  if (left === Infinity) return true;
  return (right - left) * zoom <= view.width && (bottom - top) * zoom <= view.height;
}
