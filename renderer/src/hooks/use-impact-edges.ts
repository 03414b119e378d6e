import { formatServices, isEmptyServiceSet } from '@shared/analysis/service-set';
import type { Group } from '@shared/policy/model';
import { MarkerType } from '@xyflow/react';
import { useMemo } from 'react';
import type { ImpactFlowEdge } from '../components/canvas/ImpactEdge';
import { useAnalysisStore } from '../stores/analysis-store';
import { useAboutDrawing } from './use-about-drawing';

const MARKER = { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#868e96' } as const;

/** The impact under study as extra canvas edges between the groups it concerns; none when hidden or outdated. */
export function useImpactEdges(groups: readonly Group[]): ImpactFlowEdge[] {
  const result = useAnalysisStore((s) => s.impact);
  const show = useAnalysisStore((s) => s.showImpactOnCanvas);
  // An impact worked out for another drawing or inventory would mislead: it disappears once either changes,
  // as the Impact tab marks it outdated.
  const current = useAboutDrawing(result?.input);
  const impact = result && current ? result.impact : null;
  return useMemo(() => {
    if (!impact || !show) return [];
    const names = new Set(groups.map((g) => g.name));
    // Pairs of workloads in no group cannot be drawn; the Impact tab lists them.
    return impact.entries
      .filter((e) => names.has(e.from) && names.has(e.to))
      .map((e) => ({
        id: `impact:${e.from}→${e.to}`,
        type: 'impact' as const,
        source: e.from,
        target: e.to,
        markerEnd: MARKER,
        selectable: false,
        deletable: false,
        focusable: false,
        data: {
          permitted: isEmptyServiceSet(e.newlyPermitted) ? '' : formatServices(e.newlyPermitted),
          blocked: isEmptyServiceSet(e.newlyBlocked) ? '' : formatServices(e.newlyBlocked),
          redirected: isEmptyServiceSet(e.newlyRedirected) ? '' : formatServices(e.newlyRedirected),
        },
      }));
  }, [impact, show, groups]);
}
