import dagre from '@dagrejs/dagre';
import type { CanvasPosition, Edge, Policy } from '@shared/policy/model';
import { layersOf, type Link } from './arrange-layers';
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
// Dagre's ranker that keeps the layers given on the nodes (its typings do not list it).
const GIVEN_RANKS = 'none';

/**
 * Places the groups by their edges: layered left to right in the direction connections are
 * opened (web → app → db), groups without edges on a grid below. Edge labels are drawn at the
 * middle of their edge, so the gap between layers is wider than the widest label, and a group
 * that a longer edge's label would sit on is moved down out of its way; drawings whose edges chain
 * groups deeper than MAX_LAYERS are folded into that many columns. Deterministic: the same
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

/**
 * The linked groups' boxes: layered by layersOf, then ordered within their layers and placed by
 * dagre, in file order so the result does not depend on anything else. Dagre sees only the links
 * between neighbouring layers: each longer one would cost it a node per layer it spans (in a
 * drawing of random links, some 80,000 for 250 groups, and minutes to lay out).
 */
function layered(
  policy: Policy,
  linked: ReadonlySet<string>,
  loopRoom: ReadonlyMap<string, number>,
  sizeOf: (name: string) => GroupSize,
  rankGap: number,
): Map<string, CanvasRect> {
  const names = policy.groups.map((g) => g.name).filter((name) => linked.has(name));
  const links = linksOf(policy.edges, linked);
  const layers = layersOf(names, links);

  const graph = new dagre.graphlib.Graph<
    object,
    GroupSize & Partial<CanvasPosition> & { rank: number },
    { weight: number }
  >();
  // Dagre keeps a rank for edge labels between two of groups, half the gap each: a group's rank is twice its layer.
  graph.setGraph({
    rankdir: 'LR',
    nodesep: SPACE.groupGap,
    ranksep: rankGap,
    marginx: 0,
    marginy: 0,
    ranker: GIVEN_RANKS,
  });
  // A loop's label needs room above its group, so the group is laid out that much taller.
  const roomAbove = (name: string): number => loopRoom.get(name) ?? 0;
  for (const name of names) {
    graph.setNode(name, {
      width: sizeOf(name).width,
      height: sizeOf(name).height + roomAbove(name),
      rank: 2 * layers.get(name)!,
    });
  }
  for (const { from, to, weight } of links) {
    const [left, right] = layers.get(from)! < layers.get(to)! ? [from, to] : [to, from];
    if (layers.get(right)! - layers.get(left)! === 1)
      graph.setEdge(left, right, { weight: (graph.edge(left, right)?.weight ?? 0) + weight });
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

/** The edges between two different linked groups, one link per ordered pair weighing as many edges as it stands for. */
function linksOf(edges: readonly Edge[], linked: ReadonlySet<string>): Link[] {
  const links = new Map<string, Link>();
  for (const { from, to } of edges) {
    if (from === to || !linked.has(from) || !linked.has(to)) continue;
    const key = JSON.stringify([from, to]);
    const link = links.get(key);
    if (link) link.weight++;
    else links.set(key, { from, to, weight: 1 });
  }
  return [...links.values()];
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
