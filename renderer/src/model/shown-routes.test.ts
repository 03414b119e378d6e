import { describe, expect, it } from 'vitest';
import type { RoutingLayout } from './routing-session';
import { ShownRoutes } from './shown-routes';

// Each edge reads its own way round, so a drag's answers redraw only the edges they change: an
// answer that changes nothing must not wake any edge, nor the canvas.

const layout: RoutingLayout = { groups: [], edges: [] };

describe('the ways round shown', () => {
  it('tells its listeners of a changed way round or a new layout, and of nothing else', () => {
    const routes = new ShownRoutes();
    let heard = 0;
    routes.subscribe(() => heard++);

    routes.show({ layout, detours: new Map([['a', 40]]) });
    expect([heard, routes.detour('a'), routes.detour('b'), routes.layout()]).toEqual([1, 40, null, layout]);

    routes.show({ layout, detours: new Map([['a', 40]]) });
    expect(heard).toBe(1);
    routes.show({ layout, detours: new Map([['a', 60]]) });
    expect([heard, routes.detour('a')]).toEqual([2, 60]);
    routes.show({ layout: { ...layout }, detours: new Map([['a', 60]]) });
    expect(heard).toBe(3);
    routes.show(null);
    expect([heard, routes.detour('a'), routes.layout()]).toEqual([4, null, null]);
  });

  it('stops telling a listener once it unsubscribed', () => {
    const routes = new ShownRoutes();
    let heard = 0;
    const stop = routes.subscribe(() => heard++);
    stop();
    routes.show({ layout, detours: new Map() });
    expect(heard).toBe(0);
  });
});
