import type { RoutingLayout } from './routing-session';

/**
 * The ways round a canvas draws now, which each edge reads for itself (see useShownDetour): an
 * answer from the edge router redraws only the edges whose way round it changes. Handed to React
 * Flow in every edge's data, a new way round made a new edge object, and React Flow rebuilt its
 * lookups of all 1,000 edges for each answer of a drag, once more per frame than the move itself.
 */
export class ShownRoutes {
  private shown: { layout: RoutingLayout; detours: ReadonlyMap<string, number> } | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The layout the ways round shown were worked out for; null before the first answer. */
  readonly layout = (): RoutingLayout | null => this.shown?.layout ?? null;

  /** The height of the way round shown for edge `id`; null for its plain curve. */
  detour(id: string): number | null {
    return this.shown?.detours.get(id) ?? null;
  }

  /** Shows new ways round; the listeners hear of it only when a way round or the layout changed. */
  show(routed: { layout: RoutingLayout; detours: ReadonlyMap<string, number> } | null): void {
    const before = this.shown;
    if (before === routed) return;
    if (before && routed && before.layout === routed.layout && sameDetours(before.detours, routed.detours)) return;
    this.shown = routed && { layout: routed.layout, detours: routed.detours };
    for (const listener of this.listeners) listener();
  }
}

function sameDetours(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, y] of a) if (b.get(id) !== y) return false;
  return true;
}
