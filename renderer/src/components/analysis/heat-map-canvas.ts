import { cellRgb, LEGEND, redirects, type PictureFooter, type ShownCell } from './heat-map-svg';
import type { MatrixView } from './matrix-view';

// The heat map of a grid too big for SVG (a rectangle and a tooltip per cell: at 1,000 groups a
// million of them, hundreds of megabytes of markup): cells are pixels of one canvas, without
// labels; the panel names the cell under the pointer and explains the one picked.

/** Above this many rows the map is drawn on a canvas. */
export const SVG_ROW_LIMIT = 120;

/** The canvas's side stays about this size: cells shrink as groups grow, to one pixel. */
const SIDE = 2400;

/** Pixels per cell for a grid of `rows` rows. */
export function canvasCellSize(rows: number): number {
  return Math.max(1, Math.min(12, Math.floor(SIDE / Math.max(1, rows))));
}

/** Draws every cell as a block of `size` pixels, a honeypot's cells with a purple centre. */
export function drawCells(context: CanvasRenderingContext2D, view: MatrixView, size: number): void {
  const n = view.names.length;
  const side = n * size;
  const image = context.createImageData(side, side);
  const pixels = image.data;
  // Rows come cell by cell from runs; colours are worked out once per distinct cell.
  const colours = new Map<ShownCell, readonly [number, number, number]>();
  for (let row = 0; row < n; row++) {
    const cells = view.shownRow(row);
    for (let column = 0; column < n; column++) {
      const cell = cells[column]!;
      let rgb = colours.get(cell);
      if (!rgb) colours.set(cell, (rgb = redirects(cell) && size < 3 ? HONEYPOT : cellRgb(cell)));
      for (let dy = 0; dy < size; dy++) {
        let at = ((row * size + dy) * side + column * size) * 4;
        for (let dx = 0; dx < size; dx++, at += 4) {
          pixels[at] = rgb[0];
          pixels[at + 1] = rgb[1];
          pixels[at + 2] = rgb[2];
          pixels[at + 3] = 255;
        }
      }
      // Too small for a dot beside the colour: a redirecting cell is purple all over.
      if (size >= 3 && redirects(cell)) fillBlock(pixels, side, column * size + (size >> 1) - 1, row * size + (size >> 1) - 1, 2, HONEYPOT);
    }
  }
  context.putImageData(image, 0, 0);
}

const HONEYPOT = [112, 72, 232] as const;

function fillBlock(pixels: Uint8ClampedArray, side: number, x: number, y: number, size: number, rgb: readonly [number, number, number]): void {
  for (let dy = 0; dy < size; dy++)
    for (let dx = 0; dx < size; dx++) {
      const at = ((y + dy) * side + x + dx) * 4;
      [pixels[at], pixels[at + 1], pixels[at + 2]] = rgb;
    }
}

/**
 * The picture to export: the map, then the caption, the legend and the note below it, so the
 * file says what it shows on its own, as the SVG's does.
 */
export function heatMapPngUrl(view: MatrixView, { caption, note }: PictureFooter): string {
  const size = canvasCellSize(view.names.length);
  const side = view.names.length * size;
  const line = 18;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(side, 16 + 8 * caption.length, 7 * (note?.length ?? 0), 720) + 16;
  canvas.height = side + 16 + line * (3 + LEGEND.length);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on a canvas, so no PNG can be made.');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  const map = document.createElement('canvas');
  map.width = map.height = side;
  drawCells(map.getContext('2d')!, view, size);
  context.drawImage(map, 8, 8);
  context.font = 'bold 12px sans-serif';
  context.fillStyle = '#000000';
  const footer = side + 16;
  context.fillText(caption, 8, footer + line);
  context.font = '12px sans-serif';
  LEGEND.forEach((entry, i) => {
    const y = footer + line * (i + 2);
    context.fillStyle = entry.fill;
    context.fillRect(8, y - 11, 14, 12);
    context.fillStyle = '#000000';
    context.fillText(entry.text, 28, y);
  });
  if (note) context.fillText(note, 8, footer + line * (LEGEND.length + 2));
  return canvas.toDataURL('image/png');
}
