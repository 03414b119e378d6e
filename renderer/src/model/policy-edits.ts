import type { CanvasPosition, Edge, Group, Policy } from '@shared/policy/model';
import { sameData } from './same-data';

/*
 * Pure, immutable edits of a policy. Every function returns a new policy and leaves its input
 * alone, so stores can compare by identity and React re-renders only what changed.
 */

const GRID = { x: 300, y: 230, columns: 4, left: 60, top: 60 } as const;

/**
 * Where a group without a saved position is drawn: a grid in file order, four columns wide
 * unless the policy's `count` groups would make it much taller than wide. Then the grid keeps
 * about the canvas's landscape shape, so fitting the view still leaves the groups readable
 * (60 groups in four columns were 15 rows, out of view even at the smallest zoom).
 */
export function autoPosition(index: number, count = 0): CanvasPosition {
  const columns = Math.max(GRID.columns, Math.ceil(Math.sqrt((count * 1.5 * GRID.y) / GRID.x)));
  return {
    x: GRID.left + (index % columns) * GRID.x,
    y: GRID.top + Math.floor(index / columns) * GRID.y,
  };
}

/** The size a group is taken to have before the canvas has measured it (it is 230 wide). */
export const GROUP_SIZE = { width: 230, height: 120 } as const;

/** A part of the canvas, in its own coordinates. */
export interface CanvasRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The free spot closest to `wanted` (usually the middle of the view) on a grid of node-sized
 * cells, so a new group appears where the user looks and never on top of another. Given the
 * `view`, the closest free spot wholly inside it wins over any closer spot partly outside.
 */
export function freePosition(policy: Policy, wanted: CanvasPosition = autoPosition(0), view?: CanvasRect): CanvasPosition {
  const taken = policy.groups.map((g, i) => g.position ?? autoPosition(i, policy.groups.length));
  const isFree = (c: CanvasPosition): boolean =>
    !taken.some((p) => Math.abs(p.x - c.x) < GRID.x * 0.85 && Math.abs(p.y - c.y) < GRID.y * 0.85);
  const inView = (c: CanvasPosition): boolean =>
    view !== undefined &&
    c.x >= view.x &&
    c.y >= view.y &&
    c.x + GROUP_SIZE.width <= view.x + view.width &&
    c.y + GROUP_SIZE.height <= view.y + view.height;
  let nearest: CanvasPosition | undefined;
  for (let ring = 0; ring < 50; ring++) {
    const cells: CanvasPosition[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) cells.push({ x: wanted.x + dx * GRID.x, y: wanted.y + dy * GRID.y });
      }
    }
    // Policies read left to right (web → app → db), so a free cell beside wins over one below.
    // Among equals, to the right: edges then run left to right, in drawing order.
    const distance = (c: CanvasPosition): number => Math.hypot(c.x - wanted.x, (c.y - wanted.y) * 1.5) + (c.x < wanted.x ? 1 : 0);
    const free = cells.filter(isFree).sort((a, b) => distance(a) - distance(b));
    nearest ??= free[0];
    const shown = free.find(inView);
    if (shown) return { x: Math.round(shown.x), y: Math.round(shown.y) };
    // Past the view's edge no spot can be in it: the nearest free one, which the canvas then shows.
    if (nearest && !(view && ring * Math.min(GRID.x, GRID.y) <= Math.max(view.width, view.height))) break;
  }
  if (nearest) return { x: Math.round(nearest.x), y: Math.round(nearest.y) };
  return autoPosition(policy.groups.length, policy.groups.length + 1);
}

/** `<from>-to-<to>`, then `-2`, `-3`… when taken; ids stay stable once given. */
export function nextEdgeId(policy: Policy, from: string, to: string): string {
  const base = `${from}-to-${to}`;
  const taken = new Set(policy.edges.map((e) => e.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

export function withGroupAdded(policy: Policy, group: Group): Policy {
  return { ...policy, groups: [...policy.groups, group] };
}

/** Replaces a group; a rename follows through to every edge that names it. */
export function withGroupReplaced(policy: Policy, name: string, group: Group): Policy {
  // An inspector's Apply with nothing changed gives the same policy: no undo step, nothing unsaved.
  const before = policy.groups.find((g) => g.name === name);
  if (before && sameData(before, group)) return policy;
  const rename = (end: string): string => (end === name ? group.name : end);
  return {
    ...policy,
    groups: policy.groups.map((g) => (g.name === name ? group : g)),
    edges:
      name === group.name
        ? policy.edges
        : policy.edges.map((e) => ({ ...e, from: rename(e.from), to: rename(e.to) })),
  };
}

/** Removes a group and the edges that start or end at it, which would otherwise dangle. */
export function withGroupRemoved(policy: Policy, name: string): Policy {
  return {
    ...policy,
    groups: policy.groups.filter((g) => g.name !== name),
    edges: policy.edges.filter((e) => e.from !== name && e.to !== name),
  };
}

/** Moves a group; the same policy when it is there already, so a click is no edit. */
export function withGroupMoved(policy: Policy, name: string, position: CanvasPosition): Policy {
  const group = policy.groups.find((g) => g.name === name);
  if (!group || (group.position?.x === position.x && group.position.y === position.y)) return policy;
  return { ...policy, groups: policy.groups.map((g) => (g.name === name ? { ...g, position } : g)) };
}

export function withEdgeAdded(policy: Policy, edge: Edge): Policy {
  return { ...policy, edges: [...policy.edges, edge] };
}

export function withEdgeReplaced(policy: Policy, id: string, edge: Edge): Policy {
  const before = policy.edges.find((e) => e.id === id);
  if (before && sameData(before, edge)) return policy;
  return { ...policy, edges: policy.edges.map((e) => (e.id === id ? edge : e)) };
}

/** Removes an edge; the same policy when there is no such edge (a group's removal took it already). */
export function withEdgeRemoved(policy: Policy, id: string): Policy {
  if (!policy.edges.some((e) => e.id === id)) return policy;
  return { ...policy, edges: policy.edges.filter((e) => e.id !== id) };
}
