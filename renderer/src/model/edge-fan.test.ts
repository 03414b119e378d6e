import type { Edge } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { overlaps } from './canvas-rects';
import { edgeFans, FAN_STEP } from './edge-fan';
import {
  crosses,
  curveControls,
  detourLabel,
  detourPoints,
  EDGE_LABEL,
  labelWidth,
  type PlacedGroup,
  type Point,
} from './edge-route';
import { rerouteMoved, routeEdges } from './edge-routes';
import type { CanvasRect } from './policy-edits';

const at = (name: string, x: number, y: number): PlacedGroup => ({ name, box: { x, y, width: 230, height: 120 } });
const edge = (id: string, from: string, to: string, action: Edge['action'] = 'allow'): Edge => ({
  id,
  from,
  to,
  services: [{ protocol: 'tcp', ports: { from: 443, to: 443 } }],
  action,
});

/** Each edge's line in short pieces and its label's box, as the canvas draws them (edge-path.ts). */
function drawn(groups: PlacedGroup[], edges: Edge[]): Map<string, { points: Point[]; label: CanvasRect }> {
  const { detours, fans } = routeEdges(groups, edges);
  const box = (name: string): CanvasRect => groups.find((g) => g.name === name)!.box;
  return new Map(
    edges.map((e) => {
      const source = { x: box(e.from).x + box(e.from).width + 5, y: box(e.from).y + box(e.from).height / 2 };
      const target = { x: box(e.to).x - 5, y: box(e.to).y + box(e.to).height / 2 };
      const y = detours.get(e.id);
      const [p0, p1, p2, p3] = curveControls(source, target, fans.get(e.id)?.offset);
      const points =
        y !== undefined
          ? detourPoints(source, target, y)
          : Array.from({ length: 65 }, (_, i) => {
              const [t, u] = [i / 64, 1 - i / 64];
              const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t] as const;
              return {
                x: w[0] * p0.x + w[1] * p1.x + w[2] * p2.x + w[3] * p3.x,
                y: w[0] * p0.y + w[1] * p1.y + w[2] * p2.y + w[3] * p3.y,
              };
            });
      const middle = y !== undefined ? detourLabel(source, target, y) : points[32]!;
      const width = labelWidth(e);
      const label = { x: middle.x - width / 2, y: middle.y - EDGE_LABEL.height / 2, width, height: EDGE_LABEL.height };
      return [e.id, { points, label }];
    }),
  );
}

/** No label lies on another, none on a group but its own two, and no line runs behind any group. */
function expectAllSeen(groups: PlacedGroup[], edges: Edge[]): void {
  const lines = [...drawn(groups, edges)];
  for (const [i, [id, { points, label }]] of lines.entries()) {
    for (const [other, line] of lines.slice(i + 1)) {
      expect(overlaps(label, line.label), `${id}'s label lies on ${other}'s`).toBe(false);
    }
    const { from, to } = edges.find((e) => e.id === id)!;
    for (const { name, box } of groups) {
      if (name !== from && name !== to) expect(overlaps(label, box), `${id}'s label lies on ${name}`).toBe(false);
      const behind = points.slice(1).some((p, j) => crosses(points[j]!, p, box));
      expect(behind, `${id} runs behind ${name}`).toBe(false);
    }
  }
}

describe('the edges between the same two groups', () => {
  it('are fanned out a label apart in the order of their ids, whatever order the file has them in', () => {
    const fans = edgeFans([
      edge('c', 'db', 'frontend', 'deny'),
      edge('a', 'db', 'frontend'),
      edge('b', 'db', 'frontend'),
    ]);
    expect(['a', 'b', 'c'].map((id) => fans.get(id)?.offset)).toEqual([-FAN_STEP, 0, FAN_STEP]);
    expect(fans.get('a')).toEqual({
      offset: -FAN_STEP,
      spread: FAN_STEP,
      width: labelWidth(edge('c', 'db', 'frontend', 'deny')),
    });
  });

  it('share one fan whichever way they go; a lone edge has none', () => {
    const fans = edgeFans([edge('there', 'web', 'db'), edge('back', 'db', 'web'), edge('on', 'db', 'app')]);
    expect(fans.get('back')?.offset).toBe(-FAN_STEP / 2);
    expect(fans.get('there')?.offset).toBe(FAN_STEP / 2);
    expect(fans.has('on')).toBe(false);
  });

  it('are told apart by both names whole, whatever characters the names hold', () => {
    expect(edgeFans([edge('x', 'a\nb', 'c'), edge('y', 'a', 'b\nc')]).size).toBe(0);
  });

  it('are each drawn apart between level groups, either way, or going round a group between', () => {
    const level = [at('web', 0, 0), at('db', 390, 0)];
    expectAllSeen(level, [edge('a', 'web', 'db'), edge('b', 'web', 'db'), edge('c', 'web', 'db', 'deny')]);
    expectAllSeen(level, [edge('a', 'db', 'web'), edge('b', 'db', 'web'), edge('c', 'db', 'web', 'deny')]);
    expectAllSeen(level, [edge('a', 'web', 'db'), edge('b', 'db', 'web'), edge('c', 'web', 'db', 'deny')]);
    const row = [at('web', 0, 0), at('app', 390, 20), at('db', 780, 0)];
    expectAllSeen(row, [edge('a', 'web', 'db'), edge('b', 'web', 'db'), edge('c', 'web', 'db', 'deny')]);
  });

  it("are drawn apart on the plain grid, the file order of the tester's policy (db after frontend, edges db to frontend)", () => {
    const grid = [at('frontend', 60, 60), at('db', 360, 60)];
    expectAllSeen(grid, [
      edge('a', 'db', 'frontend'),
      edge('b', 'db', 'frontend'),
      edge('c', 'db', 'frontend', 'deny'),
    ]);
  });

  it('go round together again as a group is dragged, as routing them all anew would', () => {
    const row = [at('web', 0, 0), at('app', 390, 20), at('db', 780, 0)];
    const edges = [edge('a', 'web', 'db'), edge('b', 'web', 'db'), edge('c', 'db', 'web', 'deny')];
    const base = routeEdges(row, edges);
    for (const y of [-60, 40, 300]) {
      const box = { ...row[1]!.box, y };
      const moved = row.map((g) => (g.name === 'app' ? { ...g, box } : g));
      expect(new Map(rerouteMoved(base, edges, new Map([['app', box]]))), `app at ${y}`).toEqual(
        new Map(routeEdges(moved, edges).detours),
      );
      expectAllSeen(moved, edges);
    }
  });
});
