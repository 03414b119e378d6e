import type { ImpactEntry } from '@shared/analysis/impact';
import { NO_SERVICES, serviceSetOf } from '@shared/analysis/service-set';
import { describe, expect, it } from 'vitest';
import { overlaps } from './canvas-rects';
import { crosses, detourLabel, detourPoints, EDGE_LABEL, type PlacedGroup } from './edge-route';
import { edgeDetours } from './edge-routes';
import { IMPACT_LABEL, impactOverlayEdges } from './impact-overlay';

const at = (name: string, x: number, y: number, height = 120): PlacedGroup => ({
  name,
  box: { x, y, width: 230, height },
});

const entry = (from: string, to: string, port: number): ImpactEntry => ({
  from,
  to,
  pairs: 1,
  example: { from: `${from}-1`, to: `${to}-1` },
  newlyPermitted: serviceSetOf({ tcp: [[port, port]] }),
  newlyBlocked: NO_SERVICES,
  newlyRedirected: NO_SERVICES,
  noLongerRedirected: NO_SERVICES,
  honeypotChanged: [],
});

/** The overlay edge web → db among `groups`, drawn as the canvas draws it; fails when it runs behind a third group. */
function expectOverlayGoesRound(groups: PlacedGroup[]): void {
  const [overlay] = impactOverlayEdges([entry('web', 'db', 5432)], new Set(groups.map((g) => g.name)));
  const y = edgeDetours(groups, [overlay!]).get(overlay!.id);
  expect(y, 'a way round').toBeDefined();

  const box = (name: string): PlacedGroup['box'] => groups.find((g) => g.name === name)!.box;
  const source = { x: box('web').x + box('web').width + 5, y: box('web').y + box('web').height / 2 };
  const target = { x: box('db').x - 5, y: box('db').y + box('db').height / 2 };
  const points = detourPoints(source, target, y!);
  const point = detourLabel(source, target, y!);
  const width = (1 + 'tcp/5432'.length) * EDGE_LABEL.charWidth + IMPACT_LABEL.padding;
  const label = {
    x: point.x - width / 2,
    y: point.y + IMPACT_LABEL.drop - IMPACT_LABEL.height / 2,
    width,
    height: IMPACT_LABEL.height,
  };
  for (const { name, box: other } of groups.filter((g) => g.name !== 'web' && g.name !== 'db')) {
    points.slice(1).forEach((p, i) => expect(crosses(points[i]!, p, other), `runs behind ${name}`).toBe(false));
    expect(overlaps(label, other), `label on ${name}`).toBe(false);
  }
}

describe('the impact drawn over the policy', () => {
  it('goes round a group between its two groups, as the policy edge between them does', () => {
    expectOverlayGoesRound([at('web', 0, 0), at('app', 390, 20), at('db', 780, 0)]);
  });

  it('goes round a group its label, drawn below the point a policy edge label takes, would lie on', () => {
    // The straight way runs at 60, clear of app by 16 px: a policy edge's label (13 px each side) is clear too.
    const groups = [at('web', 0, 0), at('app', 390, 76), at('db', 780, 0)];
    const policyEdge = { id: 'web-to-db', from: 'web', to: 'db', services: [], action: 'allow' as const };
    expect(edgeDetours(groups, [policyEdge]).size).toBe(0);
    expectOverlayGoesRound(groups);
  });

  it('leaves out the pairs with a side in no group, which the canvas cannot draw', () => {
    const edges = impactOverlayEdges(
      [entry('web', '(no group) x', 80), entry('web', 'db', 80)],
      new Set(['web', 'db']),
    );
    expect(edges.map((e) => [e.id, e.permitted, e.blocked])).toEqual([['impact:web→db', 'tcp/80', '']]);
  });
});
