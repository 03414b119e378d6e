import type { Diagnostic } from '@shared/diagnostics';
import type { Edge as PolicyEdge } from '@shared/policy/model';
import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import type { JSX } from 'react';
import { useShownDetour } from '../../hooks/use-shown-detour';
import { formatServiceList } from '../../model/drafts';
import type { Fan } from '../../model/edge-fan';
import type { ShownRoutes } from '../../model/shown-routes';
import { useCanvasStore } from '../../stores/canvas-store';
import { DiagnosticBadge } from './DiagnosticBadge';
import { edgePath } from './edge-path';
import { EdgeLabel } from './EdgeLabelLayer';

export interface ServiceEdgeData extends Record<string, unknown> {
  edge: PolicyEdge;
  diagnostics: Diagnostic[];
  /** The ways round the groups shown now (useEdgeDetours), this edge's among them; the same object for every edge. */
  routes: ShownRoutes;
  /** Where it is drawn among the other edges between its two groups (edgeFans); none when it is the only one. */
  fan?: Fan;
}

export type ServiceFlowEdge = Edge<ServiceEdgeData, 'service'>;

/**
 * An edge, labelled with its services and (unless it allows) its action; a group's edge to itself
 * is drawn as a loop, and one that would run behind other groups goes round them, its label on the way round.
 */
export function ServiceEdge(props: EdgeProps<ServiceFlowEdge>): JSX.Element {
  const { id, data, markerEnd, selected } = props;
  const select = useCanvasStore((s) => s.select);
  const detour = useShownDetour(data?.routes, id);
  const [path, labelX, labelY] = edgePath(props, detour, data?.fan);
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
