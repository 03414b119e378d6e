import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import type { JSX } from 'react';
import { useShownDetour } from '../../hooks/use-shown-detour';
import type { Fan } from '../../model/edge-fan';
import { IMPACT_LABEL } from '../../model/impact-overlay';
import type { ShownRoutes } from '../../model/shown-routes';
import { edgePath } from './edge-path';
import { EdgeLabel } from './EdgeLabelLayer';

export interface ImpactEdgeData extends Record<string, unknown> {
  /** `+tcp/22` style text, empty when nothing is newly permitted. */
  permitted: string;
  blocked: string;
  /** Newly sent to a honeypot. */
  redirected: string;
  /** The ways round the groups shown now (see useImpactEdges), this edge's among them. */
  routes: ShownRoutes;
  /** Where it is drawn among the impact's other edges between its two groups, one each way (edgeFans). */
  fan?: Fan;
}

export type ImpactFlowEdge = Edge<ImpactEdgeData, 'impact'>;

/**
 * A group pair whose connections the change under study alters: green where it newly
 * permits, red where it newly blocks, dashed so it never reads as an edge of the policy. It goes
 * round the groups in its way as the policy's edges do.
 */
export function ImpactEdge(props: EdgeProps<ImpactFlowEdge>): JSX.Element {
  const { id, data, markerEnd } = props;
  const detour = useShownDetour(data?.routes, id);
  const [path, labelX, labelY] = edgePath(props, detour, data?.fan);
  const kinds = [data?.permitted, data?.blocked, data?.redirected].filter(Boolean).length;
  const kind = kinds > 1 || data?.redirected ? 'mixed' : data?.permitted ? 'permitted' : 'blocked';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`impact-edge impact-${kind}`} />
      <EdgeLabel>
        <div className={`impact-label impact-${kind} nodrag nopan`} data-testid="impact-edge" data-impact={kind} style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY + IMPACT_LABEL.drop}px)` }}>
          {data?.permitted ? <span className="impact-permitted">+{data.permitted}</span> : null}
          {data?.blocked ? <span className="impact-blocked">−{data.blocked}</span> : null}
          {data?.redirected ? <span className="impact-redirected">⇢{data.redirected}</span> : null}
        </div>
      </EdgeLabel>
    </>
  );
}
