import type { Group } from '@shared/policy/model';
import { BoxIndex } from './box-index';
import { edgeFans, type Fan } from './edge-fan';
import { PlacedGroups, routeEdge, type PlacedGroup, type RoutedEnds } from './edge-route';
import { autoPosition, GROUP_SIZE, type CanvasRect } from './policy-edits';

/** An edge of the policy, or one drawn over it (see RoutedEnds), with the id its way round is kept under. */
export type RoutedEdge = RoutedEnds & { id: string };

/** Every edge's way round, and where each edge's drawing lies, to find the edges a moved group may change. */
export interface EdgeRoutes {
  /** By edge id, the height of its way round (see routeEdge); edges drawn as the plain curve are not in it. */
  detours: ReadonlyMap<string, number>;
  groups: PlacedGroups;
  /** By edge id, where each edge sharing its two groups with others is drawn among them (see edgeFans). */
  fans: ReadonlyMap<string, Fan>;
  /** The part of the canvas whose groups decide how each edge is drawn (see EdgeRoute); `drawnIds[i]` is the edge of box i. */
  drawn: BoxIndex;
  drawnIds: readonly string[];
}

/**
 * The groups' boxes to route the edges among: where each is drawn, at the size the canvas measured
 * (`measured`, by name). None while not one of them is measured: the canvas draws no edge before it
 * has measured its groups, and it measures a drawing just opened all at once, so routing on the
 * sizes guessed before was a second routing of every edge, thrown away (100 ms at 250 groups and
 * 1,000 edges).
 */
export function placedAsDrawn(
  groups: readonly Group[],
  measured: Readonly<Record<string, { width: number; height: number }>>,
): PlacedGroup[] {
  if (!groups.some((group) => measured[group.name])) return [];
  return groups.map((group, index) => ({
    name: group.name,
    box: {
      ...(group.position ?? autoPosition(index, groups.length)),
      ...(measured[group.name] ?? GROUP_SIZE),
    },
  }));
}

/** How every edge is drawn among `groups` (see routeEdge). Deterministic. */
export function routeEdges(groups: readonly PlacedGroup[], edges: readonly RoutedEdge[]): EdgeRoutes {
  const placed = PlacedGroups.of(groups);
  const fans = edgeFans(edges);
  const detours = new Map<string, number>();
  const areas: CanvasRect[] = [];
  const drawnIds: string[] = [];
  for (const edge of edges) {
    const route = routeEdge(placed, edge, fans.get(edge.id));
    if (!route) continue;
    if (route.detour !== null) detours.set(edge.id, route.detour);
    areas.push(route.area);
    drawnIds.push(edge.id);
  }
  return { detours, groups: placed, fans, drawn: new BoxIndex(areas), drawnIds };
}

/** By edge id, the height of each edge's way round among `groups` (see routeEdge). */
export function edgeDetours(groups: readonly PlacedGroup[], edges: readonly RoutedEdge[]): ReadonlyMap<string, number> {
  return routeEdges(groups, edges).detours;
}

/**
 * The ways round once the groups in `moved` are in their new boxes, `base` being how the edges
 * were drawn before: only the edges whose area (see EdgeRoute) holds where those groups were or
 * now are (their own edges among them) are routed again. A drag asks this on every frame; the
 * other edges and groups cost nothing. Gives the same as routeEdges on the groups so placed.
 */
export function rerouteMoved(
  base: EdgeRoutes,
  edges: readonly RoutedEdge[],
  moved: ReadonlyMap<string, CanvasRect>,
): ReadonlyMap<string, number> {
  const placed = base.groups.withMoved(moved);
  const again = new Set<string>();
  // An edge's drawing reaches into its two groups' boxes, so this finds the moved groups' own edges too.
  for (const name of moved.keys()) {
    for (const box of [base.groups.box(name), placed.box(name)]) {
      if (box) for (const i of base.drawn.overlapping(box)) again.add(base.drawnIds[i]!);
    }
  }

  const detours = new Map(base.detours);
  for (const edge of edges) {
    if (!again.has(edge.id)) continue;
    const detour = routeEdge(placed, edge, base.fans.get(edge.id))?.detour ?? null;
    if (detour === null) detours.delete(edge.id);
    else detours.set(edge.id, detour);
  }
  return detours;
}
