import type { CanvasPosition, Group } from '@shared/policy/model';
import type { Dimensions } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { placedAsDrawn, rerouteMoved, routeEdges, type RoutedEdge } from '../model/edge-routes';
import { GROUP_SIZE } from '../model/policy-edits';

/**
 * For each edge that would run behind a group, the height of its way round (see routeEdge),
 * worked out from where the groups are drawn now: held ones where the drag has them, so an edge
 * moves out of the way while a group is dragged over it, not only once it is let go. Nothing of
 * it is kept in the policy file. While a drag goes on, only the edges near the held groups are
 * routed again, and the same map comes back while no way round changes. `edges` are the policy's,
 * or those drawn over them (the impact under study), which go round the groups the same way.
 */
export function useEdgeDetours(
  groups: readonly Group[],
  edges: readonly RoutedEdge[],
  measured: Readonly<Record<string, Dimensions>>,
  held: ReadonlyMap<string, CanvasPosition>,
): ReadonlyMap<string, number> {
  const base = useMemo(() => routeEdges(placedAsDrawn(groups, measured), edges), [groups, edges, measured]);
  const now = useMemo(() => {
    if (held.size === 0) return base.detours;
    const moved = new Map([...held].map(([name, at]) => [name, { ...at, ...(measured[name] ?? GROUP_SIZE) }]));
    return rerouteMoved(base, edges, moved);
  }, [base, edges, measured, held]);
  // A new map with the same ways round would have every edge handed to React Flow anew.
  const [kept, setKept] = useState({ from: now, detours: now });
  if (kept.from === now) return kept.detours;
  const detours = sameDetours(kept.detours, now) ? kept.detours : now;
  setKept({ from: now, detours });
  return detours;
}

function sameDetours(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, y] of a) if (b.get(id) !== y) return false;
  return true;
}
