import { describe, expect, it } from 'vitest';
import { crowdedDrawing } from '../testing/crowded-drawing';
import { routeEdges } from './edge-routes';
import type { CanvasRect } from './policy-edits';
import { RoutingSession, routingEnds, routingKey, type RoutingLayout } from './routing-session';

// The canvas routes its edges in a worker, through a session that gets the edges' ends and label
// sizes only, and the held groups' boxes on each frame of a drag: its ways round must be those of
// routing the policy's own edges among the groups where they are drawn.

const drawing = crowdedDrawing(120);
const layout: RoutingLayout = { groups: drawing.groups, edges: drawing.edges.map(routingEnds) };

/** The box of group `name` moved by `dx`, `dy`. */
function movedBy(name: string, dx: number, dy: number): { box: CanvasRect } {
  const { box } = drawing.groups.find((g) => g.name === name)!;
  return { box: { ...box, x: box.x + dx, y: box.y + dy } };
}

describe('a routing session', () => {
  it('routes the layout as the edges themselves are routed: the same ways round, fans and label sizes included', () => {
    const direct = routeEdges(drawing.groups, drawing.edges).detours;
    expect(direct.size).toBeGreaterThan(100);
    expect(new Map(new RoutingSession().answer({ layout, moved: [] }))).toEqual(new Map(direct));
  });

  it('gives, for groups held in a drag, the ways round of routing every edge on the groups so placed', () => {
    const session = new RoutingSession();
    session.answer({ layout, moved: [] });
    const base = routeEdges(drawing.groups, drawing.edges);
    let changed = 0;
    for (const [name, dx, dy] of [
      ['g013', 400, 80],
      ['g040', -300, 200],
      ['g077', 0, -150],
      ['g118', 900, 0],
    ] as const) {
      const { box } = movedBy(name, dx, dy);
      const placed = drawing.groups.map((g) => (g.name === name ? { name, box } : g));
      const direct = new Map(routeEdges(placed, drawing.edges).detours);
      const answer = new Map(session.answer({ layout: null, moved: [[name, box]] }));
      expect(answer, `${name} moved by ${dx},${dy}`).toEqual(direct);
      if (!sameEntries(answer, base.detours)) changed++;
    }
    // The moves change ways round, so the comparison shows something.
    expect(changed).toBeGreaterThan(1);
  });

  it('refuses a drag before it has a layout, saying to send one', () => {
    expect(() => new RoutingSession().answer({ layout: null, moved: [] })).toThrow(/send the layout first/);
  });
});

describe('an edge as routed', () => {
  it('keeps its ends and the size of the label it is drawn with', () => {
    const [policyEdge, impactEdge] = [drawing.edges[1]!, drawing.edges.find((e) => e.id === 'impact:0')!];
    expect(routingEnds(policyEdge)).toEqual({
      id: 'e1',
      from: 'g001',
      to: 'g009',
      label: { width: 8 * 7 + 40, height: 26 },
    });
    expect(routingEnds(impactEdge)).toEqual({
      id: 'impact:0',
      from: 'g000',
      to: 'g001',
      label: { width: 90, height: 18 },
    });
  });

  it('has a key that changes with its ends or its label, and with nothing else', () => {
    const ends = routingEnds(drawing.edges[0]!);
    expect(routingKey({ ...ends })).toBe(routingKey(ends));
    for (const other of [
      { ...ends, to: 'g002' },
      { ...ends, from: 'g002' },
      { ...ends, id: 'e1' },
      { ...ends, label: { width: 104, height: 26 } },
    ]) {
      expect(routingKey(other)).not.toBe(routingKey(ends));
    }
  });
});

function sameEntries(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}
