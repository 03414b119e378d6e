import dagre from '@dagrejs/dagre';
import type { CanvasPosition, Edge, Policy } from '@shared/policy/model';
import { overlaps } from './canvas-rects';
import { edgeFans, FAN_STEP, type Fan } from './edge-fan';
import { EDGE_LABEL, labelWidth } from './edge-route';
import { GROUP_SIZE, type CanvasRect } from './policy-edits';

/** A group's size on the canvas, as React Flow measured it. */
export interface GroupSize {
  width: number;
  height: number;
}

const SPACE = { left: 60, top: 60, groupGap: 60, minRankGap: 160, labelMargin: 20 } as const;
// A group's edge to itself is a loop above the group, its label 82 px above the middle (edge-path's loopPath);
// each further loop on the group is drawn a FAN_STEP higher.
const LOOP = { room: 50, labelLift: 82.5 } as const;
// Moving a group out from under a long edge's label can put another label on a group; give up after this many rounds.
const CLEARING_ROUNDS = 20;

/**
 * Places the groups by their edges: layered left to right in the direction connections are
 * opened (web → app → db), groups without edges on a grid below. Edge labels are drawn at the
 * middle of their edge, so the gap between layers is wider than the widest label, and a group
 * that a longer edge's label would sit on is moved down out of its way. Deterministic: the same
 * policy and sizes give the same places, whole numbers. Groups not in `sizes` count as GROUP_SIZE.
 */
export function arrangedPositions(
  policy: Policy,
  sizes: ReadonlyMap<string, GroupSize> = new Map(),
): Map<string, CanvasPosition> {
  const sizeOf = (name: string): GroupSize => sizes.get(name) ?? GROUP_SIZE;
  const names = new Set(policy.groups.map((g) => g.name));
  const edges = policy.edges.filter((e) => names.has(e.from) && names.has(e.to));
  const fans = edgeFans(edges);
  const loopRoom = new Map<string, number>();
  for (const { from, to } of edges) {
    if (from === to) loopRoom.set(from, loopRoom.has(from) ? loopRoom.get(from)! + FAN_STEP : LOOP.room);
  }
  const linked = new Set(edges.filter((e) => e.from !== e.to).flatMap((e) => [e.from, e.to]));
  const rankGap = Math.max(SPACE.minRankGap, Math.max(0, ...edges.map(labelWidth)) + 2 * SPACE.labelMargin);

  const boxes = layered(policy, linked, loopRoom, sizeOf, rankGap);
  clearLabels(boxes, edges, fans);
  const bottom = Math.max(SPACE.top - SPACE.groupGap, ...[...boxes.values()].map((b) => b.y + b.height));
  const loose = policy.groups.filter((g) => !linked.has(g.name)).map((g) => g.name);
  gridBelow(boxes, loose, sizeOf, loopRoom, bottom + SPACE.groupGap);

  return new Map(
    policy.groups.map((g) => [g.name, { x: Math.round(boxes.get(g.name)!.x), y: Math.round(boxes.get(g.name)!.y) }]),
  );
}

/** The policy with every group at its place in `positions`; groups it does not name stay where they are. */
export function withGroupsPlaced(policy: Policy, positions: ReadonlyMap<string, CanvasPosition>): Policy {
  return {
    ...policy,
    groups: policy.groups.map((g) => (positions.has(g.name) ? { ...g, position: positions.get(g.name)! } : g)),
  };
}

/**
 * The box of an edge's label where the canvas draws it on the plain curve: halfway between its
 * ends' handles, or its `fan`'s offset from there when other edges join the same two groups.
 * (Where that box or the curve would lie on another group, the canvas draws the edge round the
 * groups, its label on the way round: see routeEdge.)
 */
export function labelBox(edge: Edge, from: CanvasRect, to: CanvasRect, fan?: Fan): CanvasRect {
  const width = labelWidth(edge);
  const middle =
    edge.from === edge.to
      ? {
          x: from.x + from.width / 2,
          y: from.y + from.height / 2 - LOOP.labelLift - (fan ? fan.offset + fan.spread : 0),
        }
      : {
          x: (from.x + from.width + to.x) / 2,
          y: (from.y + from.height / 2 + to.y + to.height / 2) / 2 + (fan?.offset ?? 0),
        };
  return { x: middle.x - width / 2, y: middle.y - EDGE_LABEL.height / 2, width, height: EDGE_LABEL.height };
}

/** The linked groups' boxes as dagre layers them, in file order so the result does not depend on anything else. */
function layered(
  policy: Policy,
  linked: ReadonlySet<string>,
  loopRoom: ReadonlyMap<string, number>,
  sizeOf: (name: string) => GroupSize,
  rankGap: number,
): Map<string, CanvasRect> {
  const graph = new dagre.graphlib.Graph<object, GroupSize & Partial<CanvasPosition>, { weight: number }>();
  graph.setGraph({ rankdir: 'LR', nodesep: SPACE.groupGap, ranksep: rankGap, marginx: 0, marginy: 0 });
  // A loop's label needs room above its group, so the group is laid out that much taller.
  const roomAbove = (name: string): number => loopRoom.get(name) ?? 0;
  for (const { name } of policy.groups) {
    if (linked.has(name))
      graph.setNode(name, { width: sizeOf(name).width, height: sizeOf(name).height + roomAbove(name) });
  }
  // Several edges between two groups pull them together harder, as one edge of that weight.
  for (const { from, to } of policy.edges) {
    if (from !== to && linked.has(from) && linked.has(to))
      graph.setEdge(from, to, { weight: (graph.edge(from, to)?.weight ?? 0) + 1 });
  }
  dagre.layout(graph);

  const boxes = new Map<string, CanvasRect>();
  for (const name of graph.nodes()) {
    const { x = 0, y = 0, width, height } = graph.node(name);
    boxes.set(name, {
      x: SPACE.left + x - width / 2,
      y: SPACE.top + y - height / 2 + roomAbove(name),
      ...sizeOf(name),
    });
  }
  return boxes;
}

/**
 * An edge that spans an even number of layers has its label in the middle layer's column, where
 * it may fall on a group: that group, and those below it in its column, move down below the label.
 */
function clearLabels(boxes: Map<string, CanvasRect>, edges: readonly Edge[], fans: ReadonlyMap<string, Fan>): void {
  const byMiddle = new Map<number, CanvasRect[]>();
  for (const box of boxes.values()) {
    const middle = Math.round(box.x + box.width / 2);
    const column = byMiddle.get(middle);
    if (column) column.push(box);
    else byMiddle.set(middle, [box]);
  }
  // Most labels lie in the gaps between columns: the columns' spans rule those out without a look at their groups.
  const columns = [...byMiddle.values()].map((column) => ({
    left: Math.min(...column.map((b) => b.x)),
    right: Math.max(...column.map((b) => b.x + b.width)),
    boxes: column,
  }));

  for (let round = 0; round < CLEARING_ROUNDS; round++) {
    let moved = false;
    for (const edge of edges) {
      const from = boxes.get(edge.from);
      const to = boxes.get(edge.to);
      if (!from || !to) continue;
      const label = labelBox(edge, from, to, fans.get(edge.id));
      for (const column of columns) {
        if (label.x >= column.right || label.x + label.width <= column.left) continue;
        const blocking = column.boxes.find((b) => b !== from && b !== to && overlaps(label, b));
        if (!blocking) continue;
        const shift = label.y + label.height + SPACE.labelMargin - blocking.y;
        const top = blocking.y;
        for (const box of column.boxes) if (box.y >= top) box.y += shift;
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/** Groups without edges, in file order on a grid about as wide as tall, from `top` down. */
function gridBelow(
  boxes: Map<string, CanvasRect>,
  names: readonly string[],
  sizeOf: (name: string) => GroupSize,
  loopRoom: ReadonlyMap<string, number>,
  top: number,
): void {
  const columns = Math.max(4, Math.ceil(Math.sqrt(names.length)));
  const cellWidth = Math.max(GROUP_SIZE.width, ...names.map((n) => sizeOf(n).width)) + SPACE.groupGap;
  let rowTop = top;
  for (let start = 0; start < names.length; start += columns) {
    const row = names.slice(start, start + columns);
    const above = Math.max(0, ...row.map((n) => loopRoom.get(n) ?? 0));
    row.forEach((name, i) => boxes.set(name, { x: SPACE.left + i * cellWidth, y: rowTop + above, ...sizeOf(name) }));
    rowTop += above + Math.max(...row.map((n) => sizeOf(n).height)) + SPACE.groupGap;
  }
}
