import type { CanvasPosition, Group } from '@shared/policy/model';
import { MarkerType, type Dimensions } from '@xyflow/react';
import { useMemo } from 'react';
import type { ImpactFlowEdge } from '../components/canvas/ImpactEdge';
import { edgeFans } from '../model/edge-fan';
import { impactOverlayEdges } from '../model/impact-overlay';
import { useAnalysisStore } from '../stores/analysis-store';
import { useAboutDrawing } from './use-about-drawing';
import { useEdgeDetours } from './use-edge-detours';

const MARKER = { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#868e96' } as const;

/**
 * The impact under study as extra canvas edges between the groups it concerns, routed round the
 * groups in their way as the policy's edges are (see useEdgeDetours), each once routed; none when hidden or outdated.
 */
export function useImpactEdges(
  groups: readonly Group[],
  measured: Readonly<Record<string, Dimensions>>,
  held: ReadonlyMap<string, CanvasPosition>,
): ImpactFlowEdge[] {
  const result = useAnalysisStore((s) => s.impact);
  const show = useAnalysisStore((s) => s.showImpactOnCanvas);
  // An impact worked out for another drawing or inventory would mislead: it disappears once either changes,
  // as the Impact tab marks it outdated.
  const current = useAboutDrawing(result?.input);
  const impact = result && current ? result.impact : null;
  const overlay = useMemo(
    () => (impact && show ? impactOverlayEdges(impact.entries, new Set(groups.map((g) => g.name))) : []),
    [impact, show, groups],
  );
  const { routes, routed } = useEdgeDetours(groups, overlay, measured, held);
  const fans = useMemo(() => edgeFans(overlay), [overlay]);
  return useMemo(
    () =>
      overlay
        .filter(({ id }) => routed.has(id))
        .map(({ id, from, to, permitted, blocked, redirected }) => ({
          id,
          type: 'impact' as const,
          source: from,
          target: to,
          markerEnd: MARKER,
          selectable: false,
          deletable: false,
          focusable: false,
          data: { permitted, blocked, redirected, routes, fan: fans.get(id) },
        })),
    [overlay, routes, routed, fans],
  );
}
