import type { CanvasPosition, Policy } from '@shared/policy/model';
import type { Dimensions } from '@xyflow/react';
import { useMemo } from 'react';
import { edgeDetours } from '../model/edge-route';
import { autoPosition, GROUP_SIZE } from '../model/policy-edits';

/**
 * For each edge that would run behind a group, the height of its way round (see edgeDetours),
 * worked out from where the groups are drawn now: held ones where the drag has them, so an edge
 * moves out of the way while a group is dragged over it, not only once it is let go. Nothing of
 * it is kept in the policy file.
 */
export function useEdgeDetours(
  policy: Pick<Policy, 'groups' | 'edges'>,
  measured: Readonly<Record<string, Dimensions>>,
  held: ReadonlyMap<string, CanvasPosition>,
): ReadonlyMap<string, number> {
  const { groups, edges } = policy;
  return useMemo(() => {
    const placed = groups.map((group, index) => ({
      name: group.name,
      box: {
        ...(held.get(group.name) ?? group.position ?? autoPosition(index, groups.length)),
        ...(measured[group.name] ?? GROUP_SIZE),
      },
    }));
    return edgeDetours(placed, edges);
  }, [groups, edges, measured, held]);
}
