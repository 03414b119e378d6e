import { formatServices, isEmptyServiceSet } from '@shared/analysis/service-set';
import type { ImpactEntry } from '@shared/analysis/impact';
import { EDGE_LABEL, type LabelSize } from './edge-route';
import type { RoutedEdge } from './edge-routes';

/** The impact label's place and size (canvas.css `.impact-label`: 11px text, 4px padding and a border each side, 6px between parts). */
export const IMPACT_LABEL = {
  // Below the point an edge's label goes, so a policy edge's label between the same groups stays readable.
  drop: 14,
  height: 18,
  padding: 10,
  gap: 6,
} as const;

/** A group pair the impact under study concerns, as an edge drawn over the policy's own. */
export type ImpactOverlayEdge = RoutedEdge & {
  /** `tcp/22` style text, empty when nothing is newly permitted. */
  permitted: string;
  blocked: string;
  /** Newly sent to a honeypot. */
  redirected: string;
  label: LabelSize;
};

/**
 * The impact's entries between groups on the canvas as overlay edges, each with its label's size,
 * so they are routed round the groups as the policy's edges are. Pairs with a workload in no group
 * are left out: they cannot be drawn, and the Impact tab lists them.
 */
export function impactOverlayEdges(
  entries: readonly ImpactEntry[],
  groupNames: ReadonlySet<string>,
): ImpactOverlayEdge[] {
  return entries
    .filter((e) => groupNames.has(e.from) && groupNames.has(e.to))
    .map((e) => {
      const permitted = isEmptyServiceSet(e.newlyPermitted) ? '' : formatServices(e.newlyPermitted);
      const blocked = isEmptyServiceSet(e.newlyBlocked) ? '' : formatServices(e.newlyBlocked);
      const redirected = isEmptyServiceSet(e.newlyRedirected) ? '' : formatServices(e.newlyRedirected);
      return {
        id: `impact:${e.from}→${e.to}`,
        from: e.from,
        to: e.to,
        permitted,
        blocked,
        redirected,
        label: labelSize([permitted, blocked, redirected]),
      };
    });
}

/**
 * The box the label needs clear round the route's label point: it is drawn `drop` below that
 * point, so the box reaches as far above it as the label does below. Each part has a one-character sign.
 */
function labelSize(parts: readonly string[]): LabelSize {
  const shown = parts.filter((p) => p !== '');
  const characters = shown.reduce((sum, p) => sum + 1 + p.length, 0);
  const width =
    characters * EDGE_LABEL.charWidth + IMPACT_LABEL.padding + IMPACT_LABEL.gap * Math.max(0, shown.length - 1);
  return { width, height: 2 * (IMPACT_LABEL.drop + IMPACT_LABEL.height / 2) };
}
