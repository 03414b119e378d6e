import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { FAN_STEP, type Fan } from '../../model/edge-fan';
import { curveControls } from '../../model/edge-route';
import { edgePath, type EdgeEnds } from './edge-path';

const ends = (source: string, target: string, sourceX: number, targetX: number): EdgeEnds => ({
  source,
  target,
  sourceX,
  sourceY: 100,
  targetX,
  targetY: 140,
  sourcePosition: Position.Right,
  targetPosition: Position.Left,
});
const fan = (offset: number, spread: number): Fan => ({ offset, spread, width: 90 });

/** The point of a path `M x,y C x,y x,y x,y` halfway along its curve. */
function curveMiddle(path: string): { x: number; y: number } {
  const [p0, p1, p2, p3] = [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
  }));
  return { x: (p0!.x + 3 * p1!.x + 3 * p2!.x + p3!.x) / 8, y: (p0!.y + 3 * p1!.y + 3 * p2!.y + p3!.y) / 8 };
}

describe('drawing an edge of a fan', () => {
  it('puts the label on its bent curve, where routeEdge takes it to be, and draws the bend routeEdge checks', () => {
    for (const [sourceX, targetX] of [
      [300, 700],
      [700, 300],
    ] as const) {
      const [path, x, y] = edgePath(ends('a', 'b', sourceX, targetX), null, fan(FAN_STEP, FAN_STEP));
      expect(curveMiddle(path)).toEqual({ x, y });
      expect({ x, y }).toEqual({ x: (sourceX + targetX) / 2, y: 120 + FAN_STEP });
      const [, c1, c2] = curveControls({ x: sourceX, y: 100 }, { x: targetX, y: 140 }, FAN_STEP);
      expect(path).toBe(`M ${sourceX},100 C ${c1.x},${c1.y} ${c2.x},${c2.y} ${targetX},140`);
    }
  });

  it("stacks a group's loops upwards, a label apart", () => {
    const labels = [0, 1, 2].map(
      (i) => edgePath(ends('a', 'a', 300, 70), null, fan(i * FAN_STEP - FAN_STEP, FAN_STEP))[2],
    );
    expect(labels[0]! - labels[1]!).toBeCloseTo(FAN_STEP);
    expect(labels[1]! - labels[2]!).toBeCloseTo(FAN_STEP);
    expect(labels[0]).toBeCloseTo(edgePath(ends('a', 'a', 300, 70), null)[2]);
  });
});
