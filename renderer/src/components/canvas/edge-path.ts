import { getBezierPath, type Position } from '@xyflow/react';
import type { Fan } from '../../model/edge-fan';
import { curveControls, detourLabel, detourPoints, roundedPath } from '../../model/edge-route';

// How high a group's loop to itself rises; its label sits at three quarters of that (arrange.ts leaves the room).
const LOOP_LIFT = 110;

/** Where React Flow puts an edge's ends, as it hands them to an edge component. */
export interface EdgeEnds {
  source: string;
  target: string;
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
  sourcePosition: Position;
  targetPosition: Position;
}

/**
 * An edge's SVG path and its label's point: a loop for a group's edge to itself, the way round
 * at height `detour` (see routeEdge) when it has one, else React Flow's plain curve, which
 * routeEdge models. Policy edges and the impact drawn over them share it, so both go round alike.
 * An edge with a `fan` (see edgeFans) is bent away from the others between its two groups.
 */
export function edgePath(ends: EdgeEnds, detour: number | null, fan?: Fan): [string, number, number] {
  if (ends.source === ends.target) return loopPath(ends, fan ? fan.offset + fan.spread : 0);
  const source = { x: ends.sourceX, y: ends.sourceY };
  const target = { x: ends.targetX, y: ends.targetY };
  if (detour !== null) {
    const label = detourLabel(source, target, detour);
    return [roundedPath(detourPoints(source, target, detour)), label.x, label.y];
  }
  if (!fan) {
    const [path, labelX, labelY] = getBezierPath(ends);
    return [path, labelX, labelY];
  }
  const [, c1, c2] = curveControls(source, target, fan.offset);
  const path = `M ${source.x},${source.y} C ${c1.x},${c1.y} ${c2.x},${c2.y} ${target.x},${target.y}`;
  return [path, (source.x + target.x) / 2, (source.y + target.y) / 2 + fan.offset];
}

/** A loop above the group; `above` lifts it and its label further, for each loop before it on the group. */
function loopPath({ sourceX, sourceY, targetX, targetY }: EdgeEnds, above: number): [string, number, number] {
  const lift = LOOP_LIFT + above / 0.75;
  const path = `M ${sourceX} ${sourceY} C ${sourceX + 90} ${sourceY - lift}, ${targetX - 90} ${targetY - lift}, ${targetX} ${targetY}`;
  return [path, (sourceX + targetX) / 2, Math.min(sourceY, targetY) - lift * 0.75];
}
