import type { CanvasPosition, Group } from '@shared/policy/model';
import type { Dimensions } from '@xyflow/react';
import { useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { placedAsDrawn, type RoutedEdge } from '../model/edge-routes';
import { GROUP_SIZE, type CanvasRect } from '../model/policy-edits';
import { RoutingSession, routingEnds, routingKey, type RoutingLayout } from '../model/routing-session';
import { ShownRoutes } from '../model/shown-routes';
import { EdgeRouter, type AskRoutes } from '../workers/edge-router';
import type { EdgeRoutesReply, EdgeRoutesRequest } from '../workers/edge-routes.worker';
import EdgeRoutesWorker from '../workers/edge-routes.worker?worker';
import { WorkerCaller } from '../workers/worker-caller';

/** The ways round of a canvas's edges, and which edges they were worked out for. */
export interface EdgeDetours {
  /** The ways round shown now, which each edge reads for itself (useShownDetour); the same object for the canvas's life. */
  routes: ShownRoutes;
  /** The ids of the edges routed as they are now (ends and label): the canvas draws only these. */
  routed: ReadonlySet<string>;
}

const NOTHING_HELD: ReadonlyMap<string, CanvasRect> = new Map();

/**
 * For each edge that would run behind a group, the height of its way round (see routeEdge),
 * worked out from where the groups are drawn now: held ones where the drag has them, so an edge
 * moves out of the way while a group is dragged over it, not only once it is let go. Nothing of
 * it is kept in the policy file. `edges` are the policy's, or those drawn over them (the impact
 * under study), which go round the groups the same way.
 *
 * The routing runs in a worker (see EdgeRouter), so the page draws a dragged group at once and its
 * edges follow when their ways round come; an edge new or changed since the last answer is left
 * out of `routed` until then, so a drawing just opened shows its groups at once and its edges as
 * soon as they are routed.
 */
export function useEdgeDetours(
  groups: readonly Group[],
  edges: readonly RoutedEdge[],
  measured: Readonly<Record<string, Dimensions>>,
  held: ReadonlyMap<string, CanvasPosition>,
): EdgeDetours {
  const ends = useMemo(() => edges.map(routingEnds), [edges]);
  const layout = useMemo<RoutingLayout | null>(() => {
    const placed = placedAsDrawn(groups, measured);
    return placed.length === 0 ? null : { groups: placed, edges: ends };
  }, [groups, measured, ends]);
  const moved = useMemo(
    () =>
      held.size === 0
        ? NOTHING_HELD
        : new Map([...held].map(([name, at]) => [name, { ...at, ...(measured[name] ?? GROUP_SIZE) }])),
    [held, measured],
  );

  const [routes] = useState(() => new ShownRoutes());
  const router = useRef<EdgeRouter | null>(null);
  useLayoutEffect(() => {
    const worker = new WorkerCaller<EdgeRoutesRequest, EdgeRoutesReply>(
      () => new EdgeRoutesWorker(),
      'Routing the edges',
    );
    const ask: AskRoutes = async (question) => (await worker.ask(question)).detours;
    const started = new EdgeRouter(ask, routeOnPage, (routed) => routes.show(routed));
    router.current = started;
    return () => {
      started.close();
      worker.close();
    };
  }, [routes]);
  useLayoutEffect(() => router.current?.want(layout, moved), [layout, moved]);

  // Only a new layout's answer redraws the canvas (edges may join); a drag's answers redraw their edges alone.
  const shownLayout = useSyncExternalStore(routes.subscribe, routes.layout);
  const keys = useMemo(() => new Set(shownLayout?.edges.map(routingKey)), [shownLayout]);
  const routed = useMemo(() => new Set(ends.filter((e) => keys.has(routingKey(e))).map((e) => e.id)), [ends, keys]);
  return useMemo(() => ({ routes, routed }), [routes, routed]);
}

function routeOnPage(): AskRoutes {
  const session = new RoutingSession();
  return (question) => session.answer(question);
}
