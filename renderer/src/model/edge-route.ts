import type { Edge } from '@shared/policy/model';
import { BoxIndex } from './box-index';
import { formatServiceList } from './drafts';
import type { CanvasRect } from './policy-edits';

/** A point on the canvas, in its own coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** A group's name and its box on the canvas as drawn (place and measured size). */
export interface PlacedGroup {
  name: string;
  box: CanvasRect;
}

/** An edge label's size: 11px monospace with 8px padding each side (canvas.css); a diagnostic badge may follow it. */
export const EDGE_LABEL = { charWidth: 7, padding: 40, height: 26 } as const;

const ROUTE = {
  // A curve this close to a group reads as running behind it.
  touch: 6,
  // A detour keeps this far from every group: half an edge label (26 px) plus a little air.
  clearance: 24,
  // A detour leaves its source and enters its target straight for this long before it turns:
  // past the clearance, so its turns stay in the gap between columns.
  leg: 40,
  corner: 10,
  // The curve is checked as this many straight pieces; at 400 px between columns each is 25 px.
  pieces: 16,
  // How far above and below the straight way a free way round is first looked for.
  firstReach: 400,
} as const;
// Edges leave a group by the handle on its right and enter by the one on its left (GroupNode),
// whose middle is on the border; React Flow starts and ends the edge at the handle's outer side.
const HANDLE_HALF = 5;

/** How wide an edge's label is drawn, from its services and action. */
export function labelWidth(edge: Pick<Edge, 'services' | 'action'>): number {
  const text = formatServiceList(edge.services) || 'no service yet';
  const action = edge.action === 'allow' ? '' : `${edge.action} `;
  return (action.length + text.length) * EDGE_LABEL.charWidth + EDGE_LABEL.padding;
}

/**
 * The height of the horizontal way round for each edge whose plain curve, or its label at the
 * curve's middle, would lie on a group other than its two ends, by edge id; edges that are clear,
 * loops, and edges for which no way round is found (the plain curve stays) are not in it. Looks
 * only at groups near each edge (a grid index), so it stays fast at thousands of groups.
 * Deterministic.
 */
export function edgeDetours(
  groups: readonly PlacedGroup[],
  edges: readonly Pick<Edge, 'id' | 'from' | 'to' | 'services' | 'action'>[],
): Map<string, number> {
  const index = new BoxIndex(groups.map((g) => g.box));
  const position = new Map(groups.map((g, i) => [g.name, i]));
  const detours = new Map<string, number>();
  for (const edge of edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    const source = sourceHandle(index.boxes[from]!);
    const target = targetHandle(index.boxes[to]!);
    const width = labelWidth(edge);
    const ends = [from, to];
    const middle = { x: (source.x + target.x) / 2, y: (source.y + target.y) / 2 };
    if (!curveBlocked(source, target, index, ends) && !labelBlocked(middle, width, index, ends)) continue;
    const y = detourHeight(source, target, width, index, ends);
    if (y !== null) detours.set(edge.id, y);
  }
  return detours;
}

/** The four points of the curve React Flow draws from a right-side handle to a left-side one (its default bezier edge). */
export function curveControls(source: Point, target: Point): [Point, Point, Point, Point] {
  const distance = target.x - source.x;
  // React Flow's own rule: half the distance forward, a loop that grows slowly backward.
  const pull = distance >= 0 ? distance / 2 : 0.25 * 25 * Math.sqrt(-distance);
  return [source, { x: source.x + pull, y: source.y }, { x: target.x - pull, y: target.y }, target];
}

/** The corners of the way round at height `y`: out of the source, along `y`, into the target. */
export function detourPoints(source: Point, target: Point, y: number): Point[] {
  const out = source.x + ROUTE.leg;
  const into = target.x - ROUTE.leg;
  return [source, { x: out, y: source.y }, { x: out, y }, { x: into, y }, { x: into, y: target.y }, target];
}

/** Where the label of an edge drawn round at height `y` goes: the middle of its long run. */
export function detourLabel(source: Point, target: Point, y: number): Point {
  return { x: (source.x + target.x) / 2, y };
}

/** An SVG path through `points` with straight runs and rounded corners. */
export function roundedPath(points: readonly Point[]): string {
  const corners = points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y);
  const turns = corners.filter(
    (p, i) => i === 0 || i === corners.length - 1 || !inLine(corners[i - 1]!, p, corners[i + 1]!),
  );
  const first = turns[0]!;
  let path = `M ${first.x} ${first.y}`;
  for (let i = 1; i < turns.length - 1; i++) {
    const [before, at, after] = [turns[i - 1]!, turns[i]!, turns[i + 1]!];
    const radius = Math.min(ROUTE.corner, distance(before, at) / 2, distance(at, after) / 2);
    const enter = toward(at, before, radius);
    const leave = toward(at, after, radius);
    path += ` L ${enter.x} ${enter.y} Q ${at.x} ${at.y} ${leave.x} ${leave.y}`;
  }
  const last = turns[turns.length - 1]!;
  return turns.length > 1 ? `${path} L ${last.x} ${last.y}` : path;
}

/** Whether the straight piece from `a` to `b` passes through the inside of `box` (running along its border does not count). */
export function crosses(a: Point, b: Point, box: CanvasRect): boolean {
  let enter = 0;
  let leave = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q > 0;
    const t = q / p;
    if (p < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
    return enter < leave;
  };
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return (
    clip(-dx, a.x - box.x) &&
    clip(dx, box.x + box.width - a.x) &&
    clip(-dy, a.y - box.y) &&
    clip(dy, box.y + box.height - a.y)
  );
}

function sourceHandle(box: CanvasRect): Point {
  return { x: box.x + box.width + HANDLE_HALF, y: box.y + box.height / 2 };
}

function targetHandle(box: CanvasRect): Point {
  return { x: box.x - HANDLE_HALF, y: box.y + box.height / 2 };
}

/** Whether the plain curve runs behind a group other than its ends. */
function curveBlocked(source: Point, target: Point, index: BoxIndex, ends: readonly number[]): boolean {
  const controls = curveControls(source, target);
  // The curve stays within its control points' box: most edges have no group there at all.
  const near = index.overlapping(grow(spanOf(controls), ROUTE.touch)).filter((i) => !ends.includes(i));
  if (near.length === 0) return false;
  const boxes = near.map((i) => grow(index.boxes[i]!, ROUTE.touch));
  let before = source;
  for (let piece = 1; piece <= ROUTE.pieces; piece++) {
    const at = onCurve(controls, piece / ROUTE.pieces);
    if (boxes.some((box) => crosses(before, at, box))) return true;
    before = at;
  }
  return false;
}

function labelBlocked(middle: Point, width: number, index: BoxIndex, ends: readonly number[]): boolean {
  const box = { x: middle.x - width / 2, y: middle.y - EDGE_LABEL.height / 2, width, height: EDGE_LABEL.height };
  return index.overlapping(box).some((i) => !ends.includes(i));
}

/**
 * The height nearest the straight way between the ends at which the way round is clear of every
 * group by the clearance, its own two included; null when there is none (the search widens
 * until it has looked past every group).
 */
function detourHeight(
  source: Point,
  target: Point,
  labelWidth: number,
  index: BoxIndex,
  ends: readonly number[],
): number | null {
  const [, out, , into] = detourPoints(source, target, 0);
  const left = Math.min(out!.x, into!.x);
  const right = Math.max(out!.x, into!.x);
  const wanted = (source.y + target.y) / 2;
  const all = index.bounds;
  if (!all) return null;
  for (let reach: number = ROUTE.firstReach; ; reach *= 4) {
    const band = { x: left, y: wanted - reach, width: right - left, height: 2 * reach };
    const blocked = index.overlapping(grow(band, ROUTE.clearance)).map((i) => grow(index.boxes[i]!, ROUTE.clearance));
    const heights = [wanted, ...blocked.flatMap((b) => [b.y, b.y + b.height])]
      .filter((y) => Math.abs(y - wanted) <= reach)
      .sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b);
    for (const y of heights) {
      if (blocked.some((b) => b.y < y && y < b.y + b.height)) continue;
      if (
        clearAt(source, target, y, index, ends) &&
        !labelBlocked(detourLabel(source, target, y), labelWidth, index, ends)
      )
        return y;
    }
    if (wanted - reach < all.y - ROUTE.clearance && wanted + reach > all.y + all.height + ROUTE.clearance) return null;
  }
}

/** Whether the way round at height `y` keeps clear of every group: its legs by the clearance, its short stubs at the ends of all but its own two. */
function clearAt(source: Point, target: Point, y: number, index: BoxIndex, ends: readonly number[]): boolean {
  const points = detourPoints(source, target, y);
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const stub = i === 1 || i === points.length - 1;
    const margin = stub ? ROUTE.touch : ROUTE.clearance;
    const near = index.overlapping(grow(spanOf([a, b]), margin)).filter((j) => !stub || !ends.includes(j));
    if (near.some((j) => crosses(a, b, grow(index.boxes[j]!, margin)))) return false;
  }
  return true;
}

function onCurve([p0, p1, p2, p3]: readonly [Point, Point, Point, Point], t: number): Point {
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

function spanOf(points: readonly Point[]): CanvasRect {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x, y] = [Math.min(...xs), Math.min(...ys)];
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function grow(box: CanvasRect, by: number): CanvasRect {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** Whether `b` lies on the way straight on from `a` to `c` (not where the way turns back). */
function inLine(a: Point, b: Point, c: Point): boolean {
  const [ux, uy, vx, vy] = [b.x - a.x, b.y - a.y, c.x - b.x, c.y - b.y];
  return ux * vy === uy * vx && ux * vx + uy * vy > 0;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

function toward(from: Point, to: Point, by: number): Point {
  const length = distance(from, to);
  return { x: from.x + ((to.x - from.x) * by) / length, y: from.y + ((to.y - from.y) * by) / length };
}
