import { useCallback, useSyncExternalStore } from 'react';
import type { ShownRoutes } from '../model/shown-routes';

/** The height of edge `id`'s way round as `routes` shows it now (null: its plain curve); redraws the edge only when it changes. */
export function useShownDetour(routes: ShownRoutes | undefined, id: string): number | null {
  const detour = useCallback(() => routes?.detour(id) ?? null, [routes, id]);
  return useSyncExternalStore(routes?.subscribe ?? NEVER_CHANGES, detour);
}

function NEVER_CHANGES(): () => void {
  return () => {};
}
