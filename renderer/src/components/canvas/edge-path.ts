import { getBezierPath, type Position } from '@xyflow/react';
import { detourLabel, detourPoints, roundedPath } from '../../model/edge-route';

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
 */
export function edgePath(ends: EdgeEnds, detour: number | null): [string, number, number] {
  if (ends.source === ends.target) return loopPath(ends);
  if (detour === null) {
    const [path, labelX, labelY] = getBezierPath(ends);
    return [path, labelX, labelY];
  }
  const source = { x: ends.sourceX, y: ends.sourceY };
  const target = { x: ends.targetX, y: ends.targetY };
  const label = detourLabel(source, target, detour);
  return [roundedPath(detourPoints(source, target, detour)), label.x, label.y];
}

function loopPath({ sourceX, sourceY, targetX, targetY }: EdgeEnds): [string, number, number] {
  const lift = 110;
  const path = `M ${sourceX} ${sourceY} C ${sourceX + 90} ${sourceY - lift}, ${targetX - 90} ${targetY - lift}, ${targetX} ${targetY}`;
  return [path, (sourceX + targetX) / 2, Math.min(sourceY, targetY) - lift * 0.75];
}
