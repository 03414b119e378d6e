import { overlaps, union } from './canvas-rects';
import type { CanvasRect } from './policy-edits';

// About one group across: a box files under a few cells, and a look along an edge reads a few cells.
const CELL = 256;
// Cell coordinates are kept within this, so two of them fit one exact number as a key.
const CELL_RANGE = 2 ** 20;

/** Boxes on the canvas, and a way to ask which of them lie in an area. */
export interface BoxLookup {
  readonly boxes: readonly CanvasRect[];
  /** A box around all boxes (it may be larger); null when there are none. */
  readonly bounds: CanvasRect | null;
  /** The indices of the boxes that overlap `area` (sharing only an edge does not count), each once, in no set order. */
  overlapping(area: CanvasRect): number[];
}

/**
 * The groups' boxes filed by the square cells of the canvas they cover, so that asking which
 * boxes lie in a small area reads the boxes near it, not all of them: the canvas asks that
 * for every edge, on every move, at thousands of groups.
 */
export class BoxIndex implements BoxLookup {
  private readonly cells = new Map<number, number[]>();
  // Which query last returned each box, so a box filed under several cells is returned once.
  private readonly lastSeen: Uint32Array;
  private query = 0;
  readonly bounds: CanvasRect | null = null;

  constructor(readonly boxes: readonly CanvasRect[]) {
    this.lastSeen = new Uint32Array(boxes.length);
    let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
    boxes.forEach((box, i) => {
      [left, top] = [Math.min(left, box.x), Math.min(top, box.y)];
      [right, bottom] = [Math.max(right, box.x + box.width), Math.max(bottom, box.y + box.height)];
      for (const key of this.keysOver(box)) {
        const cell = this.cells.get(key);
        if (cell) cell.push(i);
        else this.cells.set(key, [i]);
      }
    });
    if (boxes.length > 0) this.bounds = { x: left, y: top, width: right - left, height: bottom - top };
  }

  overlapping(area: CanvasRect): number[] {
    const found: number[] = [];
    const stamp = ++this.query;
    const take = (i: number): void => {
      if (this.lastSeen[i] !== stamp && overlaps(this.boxes[i]!, area)) found.push(i);
      this.lastSeen[i] = stamp;
    };
    // An area wider than the drawing (a long edge across it) reads the filled cells, not every cell it covers.
    const [left, top, right, bottom] = cellSpan(area);
    if ((right - left + 1) * (bottom - top + 1) > this.cells.size) {
      for (const cell of this.cells.values()) cell.forEach(take);
    } else {
      for (let cx = left; cx <= right; cx++) {
        for (let cy = top; cy <= bottom; cy++) this.cells.get(key(cx, cy))?.forEach(take);
      }
    }
    return found;
  }

  private *keysOver(box: CanvasRect): Generator<number> {
    const [left, top, right, bottom] = cellSpan(box);
    for (let cx = left; cx <= right; cx++) for (let cy = top; cy <= bottom; cy++) yield key(cx, cy);
  }
}

/**
 * The boxes of an index with a few of them in new places, looked up through that index: what a
 * drag changes costs as many boxes as it moves, not an index of all of them again.
 */
export class MovedBoxes implements BoxLookup {
  readonly boxes: readonly CanvasRect[];
  readonly bounds: CanvasRect | null;

  constructor(
    private readonly base: BoxLookup,
    private readonly moved: ReadonlyMap<number, CanvasRect>,
  ) {
    const boxes = base.boxes.slice();
    for (const [i, box] of moved) boxes[i] = box;
    this.boxes = boxes;
    this.bounds = [...moved.values()].reduce<CanvasRect | null>(
      (all, box) => (all ? union(all, box) : box),
      base.bounds,
    );
  }

  overlapping(area: CanvasRect): number[] {
    const found = this.base.overlapping(area).filter((i) => !this.moved.has(i));
    for (const [i, box] of this.moved) if (overlaps(box, area)) found.push(i);
    return found;
  }
}

function cellSpan(area: CanvasRect): [number, number, number, number] {
  return [area.x, area.y, area.x + area.width, area.y + area.height].map((v) =>
    Math.max(-CELL_RANGE, Math.min(CELL_RANGE, Math.floor(v / CELL))),
  ) as [number, number, number, number];
}

function key(cx: number, cy: number): number {
  return (cx + CELL_RANGE) * (2 * CELL_RANGE + 1) + (cy + CELL_RANGE);
}
