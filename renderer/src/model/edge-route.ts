import type { Edge } from '@shared/policy/model';
import { BoxIndex, MovedBoxes, type BoxLookup } from './box-index';
import { grow, union } from './canvas-rects';
import { formatServiceList } from './drafts';
import type { Fan } from './edge-fan';
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

/** The box a label must find clear, centred on the point the route gives the label. */
export interface LabelSize {
  width: number;
  height: number;
}

/**
 * An edge to draw among the groups: one of the policy (its label shows its services and action),
 * or one drawn over them, such as the impact under study, whose label size its drawer knows.
 */
export type RoutedEnds = Pick<Edge, 'from' | 'to'> & (Pick<Edge, 'services' | 'action'> | { label: LabelSize });

/** The size of the label `edge` is drawn with. */
export function labelSize(edge: RoutedEnds): LabelSize {
  return 'label' in edge ? edge.label : { width: labelWidth(edge), height: EDGE_LABEL.height };
}

/** The groups' boxes as drawn, indexed by place (see BoxIndex) and by name. */
export class PlacedGroups {
  private constructor(
    readonly index: BoxLookup,
    private readonly byName: ReadonlyMap<string, number>,
  ) {}

  static of(groups: readonly PlacedGroup[]): PlacedGroups {
    return new PlacedGroups(new BoxIndex(groups.map((g) => g.box)), new Map(groups.map((g, i) => [g.name, i])));
  }

  /** These groups with the named ones in new boxes; costs as many groups as it moves. */
  withMoved(moved: ReadonlyMap<string, CanvasRect>): PlacedGroups {
    const byIndex = new Map<number, CanvasRect>();
    for (const [name, box] of moved) {
      const i = this.byName.get(name);
      if (i !== undefined) byIndex.set(i, box);
    }
    return new PlacedGroups(new MovedBoxes(this.index, byIndex), this.byName);
  }

  box(name: string): CanvasRect | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.index.boxes[i];
  }

  position(name: string): number | undefined {
    return this.byName.get(name);
  }
}

/**
 * How an edge is drawn among the groups, and the part of the canvas whose groups decide it: its
 * drawing with the clearance, and for a way round every height nearer the straight way it was found past.
 */
export interface EdgeRoute {
  /** The height of its way round; null when its plain curve and label are clear, or no way round was found. */
  detour: number | null;
  area: CanvasRect;
}

/**
 * How `edge` is drawn: round the groups when its plain curve, or its label at the curve's middle,
 * would lie on a group other than its two ends, or when the curve turns back behind its own two.
 * With a `fan`, its curve and label are drawn that far from the pair's middle, and on the way
 * round its pair keeps together, each edge that far from the height the pair goes round at.
 * Null for a loop or an edge to a missing group. Looks only at groups near the edge, so it stays
 * fast at thousands of groups. Deterministic.
 */
export function routeEdge(groups: PlacedGroups, edge: RoutedEnds, fan?: Fan): EdgeRoute | null {
  const from = groups.position(edge.from);
  const to = groups.position(edge.to);
  if (from === undefined || to === undefined || from === to) return null;
  const { index } = groups;
  const source = sourceHandle(index.boxes[from]!);
  const target = targetHandle(index.boxes[to]!);
  const size = labelSize(edge);
  const ends = [from, to];
  const offset = fan?.offset ?? 0;
  const controls = curveControls(source, target, offset);
  const middle = { x: (source.x + target.x) / 2, y: (source.y + target.y) / 2 + offset };
  const label = labelAt(middle, size);
  const plain = grow(union(spanOf(controls), label), ROUTE.touch);

  // One look around the curve and its label: most edges, between columns, have no other group near.
  // A curve that turns back (its target's handle left of its source's) may run behind its own two.
  const forward = target.x >= source.x;
  if (forward && index.overlapping(plain).every((i) => ends.includes(i))) return { detour: null, area: plain };
  if (!curveBlocked(controls, index, ends) && !labelBlocked(middle, size, index, ends))
    return { detour: null, area: plain };
  const pair = fan
    ? { width: Math.max(fan.width, size.width), height: size.height + 2 * fan.spread, spread: fan.spread }
    : { ...size, spread: 0 };
  const height = detourHeight(source, target, pair, index, ends);
  // A group moved anywhere the search looked may change the way round (see rerouteMoved).
  if (height === null)
    return { detour: height, area: union(plain, grow(index.bounds!, ROUTE.clearance + pair.spread)) };
  return { detour: height + offset, area: union(plain, searchedArea(source, target, height, pair)) };
}

/**
 * The part of the canvas whose groups decided that the way round goes at `height`: every height
 * nearer the straight way was looked at, with its legs and its pair's label, and refused for a
 * group there. It holds the edge's own way round and label, `label.spread` from the pair's.
 */
function searchedArea(source: Point, target: Point, height: number, label: LabelSize & { spread: number }): CanvasRect {
  const wanted = (source.y + target.y) / 2;
  const reach = Math.abs(height - wanted);
  const [above, below] = [wanted - reach, wanted + reach].map((y) =>
    union(spanOf(detourPoints(source, target, y)), labelAt(detourLabel(source, target, y), label)),
  );
  return grow(union(above!, below!), ROUTE.clearance + label.spread);
}

/**
 * The four points of the curve React Flow draws from a right-side handle to a left-side one (its
 * default bezier edge); with an `offset`, bent so that its middle lies that far below (or above).
 */
export function curveControls(source: Point, target: Point, offset = 0): [Point, Point, Point, Point] {
  const distance = target.x - source.x;
  // React Flow's own rule: half the distance forward, a loop that grows slowly backward.
  const pull = distance >= 0 ? distance / 2 : 0.25 * 25 * Math.sqrt(-distance);
  // A cubic curve's middle moves by three quarters of what both inner control points move.
  const bend = offset / 0.75;
  return [source, { x: source.x + pull, y: source.y + bend }, { x: target.x - pull, y: target.y + bend }, target];
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

/**
 * Whether the plain curve runs behind a group: one other than its ends, or its own two, which
 * a curve that turns back crosses when they are level (its handles lie just outside them).
 */
function curveBlocked(
  controls: readonly [Point, Point, Point, Point],
  index: BoxLookup,
  ends: readonly number[],
): boolean {
  // The curve stays within its control points' box: most edges have no group there at all.
  const near = index.overlapping(grow(spanOf(controls), ROUTE.touch));
  if (near.length === 0) return false;
  const boxes = near.map((i) => (ends.includes(i) ? index.boxes[i]! : grow(index.boxes[i]!, ROUTE.touch)));
  let before = controls[0];
  for (let piece = 1; piece <= ROUTE.pieces; piece++) {
    const at = onCurve(controls, piece / ROUTE.pieces);
    if (boxes.some((box) => crosses(before, at, box))) return true;
    before = at;
  }
  return false;
}

function labelAt(middle: Point, { width, height }: LabelSize): CanvasRect {
  return { x: middle.x - width / 2, y: middle.y - height / 2, width, height };
}

function labelBlocked(middle: Point, size: LabelSize, index: BoxLookup, ends: readonly number[]): boolean {
  return index.overlapping(labelAt(middle, size)).some((i) => !ends.includes(i));
}

/**
 * The height nearest the straight way between the ends at which the way round is clear of every
 * group by the clearance, its own two included; null when there is none (the search widens
 * until it has looked past every group). With a `spread`, every height within that of it is clear
 * too, for the edges of a pair that go round beside it; `label` is the room their labels take.
 */
function detourHeight(
  source: Point,
  target: Point,
  label: LabelSize & { spread: number },
  index: BoxLookup,
  ends: readonly number[],
): number | null {
  const keep = ROUTE.clearance + label.spread;
  const [, out, , into] = detourPoints(source, target, 0);
  const left = Math.min(out!.x, into!.x);
  const right = Math.max(out!.x, into!.x);
  const wanted = (source.y + target.y) / 2;
  const all = index.bounds;
  if (!all) return null;
  for (let reach: number = ROUTE.firstReach; ; reach *= 4) {
    const band = { x: left, y: wanted - reach, width: right - left, height: 2 * reach };
    // The heights the long run cannot take in the band: groups' spans with the clearance, merged.
    const spans = index
      .overlapping(grow(band, keep))
      .map((i) => [index.boxes[i]!.y - keep, index.boxes[i]!.y + index.boxes[i]!.height + keep] as const)
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [top, bottom] of spans) {
      const last = merged[merged.length - 1];
      if (last && top < last[1]) last[1] = Math.max(last[1], bottom);
      else merged.push([top, bottom]);
    }
    // Free: the straight way's height unless a span holds it, and the edges of the spans.
    const heights = merged.some(([top, bottom]) => top < wanted && wanted < bottom) ? [] : [wanted];
    for (const [top, bottom] of merged) heights.push(top, bottom);
    const near = heights
      .filter((y) => Math.abs(y - wanted) <= reach)
      .sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b);
    for (const y of near) {
      if (
        legsClear(source, target, y, index, ends) &&
        !labelBlocked(detourLabel(source, target, y), label, index, ends)
      )
        return y;
    }
    if (wanted - reach < all.y - keep && wanted + reach > all.y + all.height + keep) return null;
  }
}

/**
 * Whether the way round at height `y`, whose long run is known to be clear, keeps clear of every
 * group: its legs up or down by the clearance, its short straight pieces at the ends of all but its own two.
 */
function legsClear(source: Point, target: Point, y: number, index: BoxLookup, ends: readonly number[]): boolean {
  const [start, out, outAtY, intoAtY, into, end] = detourPoints(source, target, y) as [
    Point,
    Point,
    Point,
    Point,
    Point,
    Point,
  ];
  const pieces: [Point, Point, number][] = [
    [start, out, ROUTE.touch],
    [out, outAtY, ROUTE.clearance],
    [intoAtY, into, ROUTE.clearance],
    [into, end, ROUTE.touch],
  ];
  return pieces.every(([a, b, margin]) => {
    const near = index.overlapping(grow(spanOf([a, b]), margin));
    return !near.some(
      (j) => !(margin === ROUTE.touch && ends.includes(j)) && crosses(a, b, grow(index.boxes[j]!, margin)),
    );
  });
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
