import { labelSize, type PlacedGroup } from './edge-route';
import { rerouteMoved, routeEdges, type EdgeRoutes, type RoutedEdge } from './edge-routes';
import type { CanvasRect } from './policy-edits';

/**
 * An edge as the router needs it: its ends and its label's size, nothing of the policy's
 * services or the impact's text. Routed as the edge it comes from (see routingEnds).
 */
export type EdgeEnds = Pick<RoutedEdge, 'id' | 'from' | 'to'> & { label: { width: number; height: number } };

/** The groups' boxes as drawn and the edges among them: what every way round is worked out from. */
export interface RoutingLayout {
  groups: readonly PlacedGroup[];
  edges: readonly EdgeEnds[];
}

/**
 * A question to a routing session: a new layout when it changed since the session's last
 * question (null keeps the one it has), and where the groups held in a drag are now.
 */
export interface RoutingQuestion {
  layout: RoutingLayout | null;
  moved: readonly (readonly [name: string, box: CanvasRect])[];
}

/** `edge` reduced to what routing reads; its label's size taken from its services and action, or as given. */
export function routingEnds(edge: RoutedEdge): EdgeEnds {
  return { id: edge.id, from: edge.from, to: edge.to, label: labelSize(edge) };
}

/**
 * Text that is the same for two edges exactly when they are routed alike on the same groups:
 * an edge is drawn as routed only while its key is that of the layout the ways round came from.
 */
export function routingKey({ id, from, to, label }: EdgeEnds): string {
  return JSON.stringify([id, from, to, label.width, label.height]);
}

/**
 * Routes the edges of one canvas (see routeEdges), keeping the last layout it was given, so that
 * each frame of a drag sends only the held groups' boxes and reroutes only the edges near them
 * (see rerouteMoved). The edge-routes worker holds one; where no worker can start, the page does.
 */
export class RoutingSession {
  private base: { routes: EdgeRoutes; edges: readonly EdgeEnds[] } | null = null;

  /**
   * By edge id, the height of each edge's way round, the groups in `moved` being in their new
   * boxes. Deterministic: the same as routeEdges on the layout, then rerouteMoved with `moved`.
   */
  answer({ layout, moved }: RoutingQuestion): ReadonlyMap<string, number> {
    if (layout) this.base = { routes: routeEdges(layout.groups, layout.edges), edges: layout.edges };
    if (!this.base) {
      throw new Error(
        'The edge router was asked where groups are held before it was given a layout: send the layout first',
      );
    }
    if (moved.length === 0) return this.base.routes.detours;
    return rerouteMoved(this.base.routes, this.base.edges, new Map(moved));
  }
}
