import type { Diagnostic } from '@shared/diagnostics';
import type { Edge as PolicyEdge } from '@shared/policy/model';
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { JSX } from 'react';
import { formatServiceList } from '../../model/drafts';
import { useCanvasStore } from '../../stores/canvas-store';
import { DiagnosticBadge } from './DiagnosticBadge';
import { EdgeLabel } from './EdgeLabelLayer';

export interface ServiceEdgeData extends Record<string, unknown> {
  edge: PolicyEdge;
  diagnostics: Diagnostic[];
}

export type ServiceFlowEdge = Edge<ServiceEdgeData, 'service'>;

/** An edge, labelled with its services and (unless it allows) its action; a group's edge to itself is drawn as a loop. */
export function ServiceEdge(props: EdgeProps<ServiceFlowEdge>): JSX.Element {
  const { id, data, markerEnd, selected } = props;
  const select = useCanvasStore((s) => s.select);
  const [path, labelX, labelY] = props.source === props.target ? loopPath(props) : getBezierPath(props);
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

function loopPath({ sourceX, sourceY, targetX, targetY }: EdgeProps<ServiceFlowEdge>): [string, number, number] {
  const lift = 110;
  const path = `M ${sourceX} ${sourceY} C ${sourceX + 90} ${sourceY - lift}, ${targetX - 90} ${targetY - lift}, ${targetX} ${targetY}`;
  return [path, (sourceX + targetX) / 2, Math.min(sourceY, targetY) - lift * 0.75];
}
