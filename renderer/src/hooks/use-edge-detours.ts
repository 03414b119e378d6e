import type { CanvasPosition, Group } from '@shared/policy/model';
import type { Dimensions } from '@xyflow/react';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { placedAsDrawn, type RoutedEdge } from '../model/edge-routes';
import { GROUP_SIZE, type CanvasRect } from '../model/policy-edits';
import { RoutingSession, routingEnds, routingKey, type RoutingLayout } from '../model/routing-session';
import { EdgeRouter, type AskRoutes, type Routed } from '../workers/edge-router';
import type { EdgeRoutesReply, EdgeRoutesRequest } from '../workers/edge-routes.worker';
import EdgeRoutesWorker from '../workers/edge-routes.worker?worker';
import { WorkerCaller } from '../workers/worker-caller';

/** The ways round of a canvas's edges, and which edges they were worked out for. */
export interface EdgeDetours {
  /** By edge id, the height of its way round (see routeEdge); edges drawn as the plain curve are not in it. */
  detours: ReadonlyMap<string, number>;
  /** The ids of the edges routed as they are now (ends and label): the canvas draws only these. */
  routed: ReadonlySet<string>;
}

const NOTHING_HELD: ReadonlyMap<string, CanvasRect> = new Map();
const NO_DETOURS: EdgeDetours = { detours: new Map(), routed: new Set() };

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
 * soon as they are routed. The same map comes back while no way round changes.
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

  const [shown, setShown] = useState<Pick<Routed, 'layout' | 'detours'> | null>(null);
  const router = useRef<EdgeRouter | null>(null);
  useLayoutEffect(() => {
    const worker = new WorkerCaller<EdgeRoutesRequest, EdgeRoutesReply>(
      () => new EdgeRoutesWorker(),
      'Routing the edges',
    );
    const started = new EdgeRouter(
      async (question) => (await worker.ask(question)).detours,
      routeOnPage,
      (routed) => setShown((before) => keptDetours(before, routed)),
    );
    router.current = started;
    return () => {
      started.close();
      worker.close();
    };
  }, []);
  useLayoutEffect(() => router.current?.want(layout, moved), [layout, moved]);

  const keys = useMemo(() => new Set(shown?.layout.edges.map(routingKey)), [shown?.layout]);
  const routed = useMemo(() => new Set(ends.filter((e) => keys.has(routingKey(e))).map((e) => e.id)), [ends, keys]);
  return useMemo(() => (shown ? { detours: shown.detours, routed } : NO_DETOURS), [shown, routed]);
}

function routeOnPage(): AskRoutes {
  const session = new RoutingSession();
  return (question) => session.answer(question);
}

/**
 * What to show after `routed`: the same as `before` when nothing drawn changes, and its map
 * when the ways round are the same: a new map would have every edge handed to React Flow anew.
 */
function keptDetours(
  before: Pick<Routed, 'layout' | 'detours'> | null,
  routed: Routed | null,
): Pick<Routed, 'layout' | 'detours'> | null {
  if (!routed || !before) return routed && { layout: routed.layout, detours: routed.detours };
  const same = sameDetours(before.detours, routed.detours);
  if (same && before.layout === routed.layout) return before;
  return { layout: routed.layout, detours: same ? before.detours : routed.detours };
}

function sameDetours(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, y] of a) if (b.get(id) !== y) return false;
  return true;
}
