import type { Diagnostic } from '@shared/diagnostics';
import type { Edge as PolicyEdge } from '@shared/policy/model';
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { JSX } from 'react';
import { formatServiceList } from '../../model/drafts';
import { detourLabel, detourPoints, roundedPath } from '../../model/edge-route';
import { useCanvasStore } from '../../stores/canvas-store';
import { DiagnosticBadge } from './DiagnosticBadge';
import { EdgeLabel } from './EdgeLabelLayer';

export interface ServiceEdgeData extends Record<string, unknown> {
  edge: PolicyEdge;
  diagnostics: Diagnostic[];
  /** The height of the way round the groups this edge's curve would run behind (useEdgeDetours); null when the curve is clear. */
  detour: number | null;
}

export type ServiceFlowEdge = Edge<ServiceEdgeData, 'service'>;

/**
 * An edge, labelled with its services and (unless it allows) its action; a group's edge to itself
 * is drawn as a loop, and one that would run behind other groups goes round them, its label on the way round.
 */
export function ServiceEdge(props: EdgeProps<ServiceFlowEdge>): JSX.Element {
  const { id, data, markerEnd, selected } = props;
  const select = useCanvasStore((s) => s.select);
  const detour = data?.detour ?? null;
  const [path, labelX, labelY] =
    props.source === props.target
      ? loopPath(props)
      : detour !== null
        ? detourPath(props, detour)
        : getBezierPath(props);
  const services = data ? formatServiceList(data.edge.services) : '';
  const action = data?.edge.action ?? 'allow';

  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`action-${action}`} />
      <EdgeLabel>
        <div
          className={`edge-label action-${action} nodrag nopan${selected ? ' selected' : ''}${services === '' ? ' empty' : ''}`}
          data-testid="edge-label"
          data-edge={id}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          onClick={() => select({ kind: 'edge', id })}
        >
          {action !== 'allow' ? <span className="edge-action">{action}</span> : null}
          <span>{services === '' ? 'no service yet' : services}</span>
          <DiagnosticBadge diagnostics={data?.diagnostics ?? []} />
        </div>
      </EdgeLabel>
    </>
  );
}

function detourPath(
  { sourceX, sourceY, targetX, targetY }: EdgeProps<ServiceFlowEdge>,
  y: number,
): [string, number, number] {
  const [source, target] = [
    { x: sourceX, y: sourceY },
    { x: targetX, y: targetY },
  ];
  const label = detourLabel(source, target, y);
  return [roundedPath(detourPoints(source, target, y)), label.x, label.y];
}

function loopPath({ sourceX, sourceY, targetX, targetY }: EdgeProps<ServiceFlowEdge>): [string, number, number] {
  const lift = 110;
  const path = `M ${sourceX} ${sourceY} C ${sourceX + 90} ${sourceY - lift}, ${targetX - 90} ${targetY - lift}, ${targetX} ${targetY}`;
  return [path, (sourceX + targetX) / 2, Math.min(sourceY, targetY) - lift * 0.75];
}
