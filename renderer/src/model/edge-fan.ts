import { EDGE_LABEL, labelSize } from './edge-route';
import type { RoutedEdge } from './edge-routes';

/**
 * Where an edge is drawn among the other edges between the same two groups, either way: each
 * of them a step further down, so no label lies on another. A lone edge has no fan.
 */
export interface Fan {
  /** How far below the pair's middle (above, when negative) this edge's label and curve are drawn. */
  offset: number;
  /** How far from the middle the pair's outermost edge is drawn: the same for every edge of the pair. */
  spread: number;
  /** The widest label among the pair's edges, so they all look for their way round with the same room. */
  width: number;
}

/** How far apart the labels of one pair's edges are drawn: a label's height and a little air. */
export const FAN_STEP = EDGE_LABEL.height + 6;

/**
 * By edge id, the fan of each edge that shares its two groups with another (A to B and B to A
 * alike; a group's loops to itself among themselves). Deterministic: the order is that of the
 * edge ids, not of the file, so adding, removing or reordering other edges moves no one's place
 * in its pair but for the pair's own edges.
 */
export function edgeFans(edges: readonly RoutedEdge[]): ReadonlyMap<string, Fan> {
  const pairs = new Map<string, RoutedEdge[]>();
  for (const edge of edges) {
    const key = JSON.stringify(edge.from < edge.to ? [edge.from, edge.to] : [edge.to, edge.from]);
    const pair = pairs.get(key);
    if (pair) pair.push(edge);
    else pairs.set(key, [edge]);
  }

  const fans = new Map<string, Fan>();
  for (const pair of pairs.values()) {
    if (pair.length < 2) continue;
    pair.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const spread = ((pair.length - 1) / 2) * FAN_STEP;
    const width = Math.max(...pair.map((e) => labelSize(e).width));
    pair.forEach((edge, i) => fans.set(edge.id, { offset: i * FAN_STEP - spread, spread, width }));
  }
  return fans;
}
