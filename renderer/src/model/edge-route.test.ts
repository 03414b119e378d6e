import type { Edge } from '@shared/policy/model';
import { seededRandom } from '@shared/testing/seeded-random';
import { describe, expect, it } from 'vitest';
import { crowdedDrawing } from '../testing/crowded-drawing';
import { BoxIndex } from './box-index';
import { overlaps } from './canvas-rects';
import {
  crosses,
  curveControls,
  detourLabel,
  detourPoints,
  EDGE_LABEL,
  labelWidth,
  roundedPath,
  type PlacedGroup,
  type Point,
} from './edge-route';
import { edgeDetours, rerouteMoved, routeEdges } from './edge-routes';
import type { CanvasRect } from './policy-edits';

const at = (name: string, x: number, y: number, height = 120): PlacedGroup => ({
  name,
  box: { x, y, width: 230, height },
});
const edge = (from: string, to: string): Edge => ({
  id: `${from}-to-${to}`,
  from,
  to,
  services: [{ protocol: 'tcp', ports: { from: 5432, to: 5432 } }],
  action: 'allow',
});

/** The edge's line as the canvas draws it: the way round when there is one, else the plain curve in short pieces. */
function drawnLine(groups: PlacedGroup[], drawn: Edge): { points: Point[]; label: Point } {
  const { id, from, to } = drawn;
  const box = (name: string): CanvasRect => groups.find((g) => g.name === name)!.box;
  const source = { x: box(from).x + box(from).width + 5, y: box(from).y + box(from).height / 2 };
  const target = { x: box(to).x - 5, y: box(to).y + box(to).height / 2 };
  const y = edgeDetours(groups, [drawn]).get(id);
  if (y !== undefined) return { points: detourPoints(source, target, y), label: detourLabel(source, target, y) };
  const [p0, p1, p2, p3] = curveControls(source, target);
  const points = Array.from({ length: 65 }, (_, i) => {
    const t = i / 64;
    const u = 1 - t;
    const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t] as const;
    return {
      x: w[0] * p0.x + w[1] * p1.x + w[2] * p2.x + w[3] * p3.x,
      y: w[0] * p0.y + w[1] * p1.y + w[2] * p2.y + w[3] * p3.y,
    };
  });
  return { points, label: points[32]! };
}

function expectClearOf(groups: PlacedGroup[], from: string, to: string): void {
  const { points, label } = drawnLine(groups, edge(from, to));
  const width = labelWidth(edge(from, to));
  const labelBox = { x: label.x - width / 2, y: label.y - EDGE_LABEL.height / 2, width, height: EDGE_LABEL.height };
  for (const { name, box } of groups.filter((g) => g.name !== from && g.name !== to)) {
    points
      .slice(1)
      .forEach((p, i) => expect(crosses(points[i]!, p, box), `${from} → ${to} runs behind ${name}`).toBe(false));
    expect(overlaps(labelBox, box), `${from} → ${to}'s label on ${name}`).toBe(false);
  }
}

describe('drawing an edge round the groups in its way', () => {
  // Arrange's three columns, 160 px apart; web and db level, app where the straight line runs.
  const row = [at('web', 0, 0), at('app', 390, 20), at('db', 780, 0)];

  it('takes an edge that skips a column round the group between, label and all', () => {
    expect(edgeDetours(row, [edge('web', 'db')]).has('web-to-db')).toBe(true);
    expectClearOf(row, 'web', 'db');
  });

  it('leaves an edge whose curve is clear as the plain curve', () => {
    expect(edgeDetours(row, [edge('web', 'app'), edge('app', 'db'), edge('web', 'web')]).size).toBe(0);
  });

  it('stays clear wherever the group between is dragged, above or below the straight line', () => {
    for (const y of [-90, -40, 0, 40, 70]) {
      const moved = [at('web', 0, 0), at('app', 390, y, 180), at('db', 780, 0)];
      expectClearOf(moved, 'web', 'db');
    }
  });

  it('goes through the nearest gap of a full column, and round several columns at once', () => {
    const column = (x: number, prefix: string): PlacedGroup[] =>
      Array.from({ length: 6 }, (_, i) => at(`${prefix}${i}`, x, -300 + i * 180));
    const groups = [at('web', 0, 0), ...column(390, 'app'), ...column(780, 'cache'), at('db', 1170, 40)];
    expectClearOf(groups, 'web', 'db');
    const y = edgeDetours(groups, [edge('web', 'db')]).get('web-to-db')!;
    // The straight line is near 80; the gaps in both columns are 60 px between 180 px steps.
    expect(Math.abs(y - 80)).toBeLessThan(180);
  });

  it('goes over the whole drawing when no gap is wide enough', () => {
    const wall = Array.from({ length: 8 }, (_, i) => at(`app${i}`, 390, -400 + i * 125));
    const groups = [at('web', 0, 0), ...wall, at('db', 780, 0)];
    expectClearOf(groups, 'web', 'db');
  });

  it('an edge drawn backwards, right to left past a group, goes round it too', () => {
    const groups = [at('db', 0, 0), at('app', 390, 0), at('web', 780, 0)];
    expectClearOf(groups, 'web', 'db');
  });

  it('an edge drawn backwards between two level groups goes round them, not behind its own two', () => {
    // The plain grid before Arrange: the edge from the right group to the left one.
    const groups = [at('frontend', 60, 60), at('db', 360, 60)];
    const { points } = drawnLine(groups, edge('db', 'frontend'));
    for (const { name, box } of groups) {
      const behind = points.slice(1).some((p, i) => crosses(points[i]!, p, box));
      expect(behind, `db → frontend runs behind ${name}`).toBe(false);
    }
    // The same groups' edge the other way, left to right, stays the plain curve.
    expect(edgeDetours(groups, [edge('frontend', 'db')]).size).toBe(0);
  });
});

describe('the pieces of a drawn edge', () => {
  it('a straight piece crosses a box only through its inside, not along its border', () => {
    const box = { x: 0, y: 0, width: 100, height: 50 };
    expect(crosses({ x: -10, y: 25 }, { x: 110, y: 25 }, box)).toBe(true);
    expect(crosses({ x: -10, y: 0 }, { x: 110, y: 0 }, box)).toBe(false);
    expect(crosses({ x: -10, y: -5 }, { x: 5, y: -30 }, box)).toBe(false);
    expect(crosses({ x: 50, y: 60 }, { x: 50, y: 40 }, box)).toBe(true);
  });

  it('rounds the corners of the way round and draws nothing twice', () => {
    const path = roundedPath(detourPoints({ x: 0, y: 0 }, { x: 400, y: 0 }, 100));
    expect(path.startsWith('M 0 0 L 30 0 Q 40 0 40 10')).toBe(true);
    expect(path.endsWith('L 400 0')).toBe(true);
    expect(path.match(/Q/g)).toHaveLength(4);
    expect(roundedPath(detourPoints({ x: 0, y: 0 }, { x: 400, y: 0 }, 0))).toBe('M 0 0 L 400 0');
  });

  it('the index finds the same boxes as looking at every box', () => {
    const boxes = Array.from({ length: 400 }, (_, i) => ({
      x: ((i * 7919) % 5000) - 800,
      y: ((i * 104729) % 4000) - 600,
      width: 230,
      height: 90 + (i % 5) * 30,
    }));
    const index = new BoxIndex(boxes);
    const areas = [
      { x: 0, y: 0, width: 10, height: 10 },
      { x: -2000, y: -2000, width: 9000, height: 9000 },
      { x: 1234, y: -567, width: 300, height: 1800 },
      { x: 255, y: 255, width: 2, height: 2 },
    ];
    for (const area of areas) {
      const everyBox = boxes.flatMap((b, i) => (overlaps(b, area) ? [i] : []));
      expect(index.overlapping(area).sort((a, b) => a - b)).toEqual(everyBox);
    }
  });
});

describe('routing again after a drag', () => {
  it('routes again only near the moved group, and draws every edge as routing all of them would', () => {
    // Five columns of six groups, each opening connections two and three columns on: many ways round.
    const groups = Array.from({ length: 30 }, (_, i) =>
      at(`g${i}`, Math.floor(i / 6) * 390, (i % 6) * 200 + (i % 4) * 15),
    );
    const edges = groups.flatMap((_, i) =>
      [i + 12, i + 19].filter((j) => j < groups.length).map((j) => edge(`g${i}`, `g${j}`)),
    );
    const base = routeEdges(groups, edges);
    expect(base.detours.size).toBeGreaterThan(5);
    let changed = 0;
    for (const [name, dx, dy] of [
      ['g8', 0, -90],
      ['g14', 40, 100],
      ['g15', -200, 30],
      ['g3', 390, 0],
    ] as const) {
      const moved = groups.map((g) =>
        g.name === name ? { ...g, box: { ...g.box, x: g.box.x + dx, y: g.box.y + dy } } : g,
      );
      const all = new Map(routeEdges(moved, edges).detours);
      if (!sameEntries(all, base.detours)) changed++;
      const box = moved.find((g) => g.name === name)!.box;
      expect(new Map(rerouteMoved(base, edges, new Map([[name, box]]))), `${name} moved by ${dx},${dy}`).toEqual(all);
    }
    // The moves change ways round, so the comparison shows something.
    expect(changed).toBeGreaterThan(2);
  });
});

describe('routing again after a drag, among edges that go far round', () => {
  it('finds every edge a moved group changes: one whose nearer heights the group had blocked, or a fanned pair', () => {
    // On the file-order grid, edges from the end of a row go round whole rows, some in fanned
    // pairs. A group dragged out of a height nearer the straight way than the one an edge took
    // frees it, though far from the way round: that edge goes there when all are routed.
    const { groups, edges } = crowdedDrawing(120);
    const base = routeEdges(groups, edges);
    const random = seededRandom(3);
    let changed = 0;
    for (let move = 0; move < 60; move++) {
      const { name, box } = groups[Math.floor(random() * groups.length)]!;
      const dx = Math.round((random() - 0.5) * 1200);
      const dy = Math.round((random() - 0.5) * 800);
      const moved = { ...box, x: box.x + dx, y: box.y + dy };
      const all = new Map(
        routeEdges(
          groups.map((g) => (g.name === name ? { name, box: moved } : g)),
          edges,
        ).detours,
      );
      if (!sameEntries(all, base.detours)) changed++;
      expect(new Map(rerouteMoved(base, edges, new Map([[name, moved]]))), `${name} moved by ${dx},${dy}`).toEqual(all);
    }
    expect(changed).toBeGreaterThan(10);
  });
});

function sameEntries(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}
