import { emptyPolicy, type CanvasPosition, type Edge, type Group, type Policy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { arrangedPositions, labelBox, withGroupsPlaced, type GroupSize } from './arrange';
import { overlaps } from './canvas-rects';
import { edgeFans } from './edge-fan';
import type { CanvasRect } from './policy-edits';
import { GROUP_SIZE } from './policy-edits';

const group = (name: string): Group => ({ name, selector: { labels: `tier=${name}` } });
const edge = (from: string, to: string, port = 8080): Edge => ({
  id: `${from}-to-${to}-${port}`,
  from,
  to,
  services: [{ protocol: 'tcp', ports: { from: port, to: port } }],
  action: 'allow',
});
const policyOf = (names: string[], edges: Edge[]): Policy => ({ ...emptyPolicy('t'), groups: names.map(group), edges });

/** The groups' boxes as the canvas would draw them, given the sizes the layout was told. */
function boxesOf(policy: Policy, sizes: ReadonlyMap<string, GroupSize> = new Map()): Map<string, CanvasRect> {
  const places = arrangedPositions(policy, sizes);
  return new Map([...places].map(([name, p]) => [name, { ...p, ...(sizes.get(name) ?? GROUP_SIZE) }]));
}

function expectNoOverlaps(boxes: Map<string, CanvasRect>): void {
  const all = [...boxes];
  for (const [i, [a, boxA]] of all.entries()) {
    for (const [b, boxB] of all.slice(i + 1)) expect(overlaps(boxA, boxB), `${a} and ${b} overlap`).toBe(false);
  }
}

function expectLabelsClear(policy: Policy, boxes: Map<string, CanvasRect>): void {
  const fans = edgeFans(policy.edges);
  for (const e of policy.edges) {
    const label = labelBox(e, boxes.get(e.from)!, boxes.get(e.to)!, fans.get(e.id));
    for (const [name, box] of boxes) {
      if (name !== e.from && name !== e.to) expect(overlaps(label, box), `${e.id}'s label lies on ${name}`).toBe(false);
    }
  }
}

// A small random-looking but fixed estate: tiers of groups, each opening connections to later tiers.
function tiered(count: number): Policy {
  const names = Array.from({ length: count }, (_, i) => `g${i}`);
  const edges: Edge[] = [];
  for (let i = 0; i < count; i++) {
    if (i + 5 < count) edges.push(edge(`g${i}`, `g${i + 5}`));
    if (i % 3 === 0 && i + 11 < count) edges.push(edge(`g${i}`, `g${i + 11}`, 443));
  }
  return policyOf(names, edges);
}

describe('arranging the groups by their edges', () => {
  const threeTier = policyOf(['db', 'web', 'app'], [edge('web', 'app'), edge('app', 'db', 5432)]);

  it('lays groups out left to right in the direction connections are opened', () => {
    const boxes = boxesOf(threeTier);
    const [web, app, db] = ['web', 'app', 'db'].map((n) => boxes.get(n)!);
    expect(web!.x + web!.width).toBeLessThan(app!.x);
    expect(app!.x + app!.width).toBeLessThan(db!.x);
    expectLabelsClear(threeTier, boxes);
  });

  it('keeps the label of an edge that skips a layer off the group in between', () => {
    const policy = policyOf(
      ['web', 'app', 'db'],
      [edge('web', 'app'), edge('app', 'db', 5432), edge('web', 'db', 5432)],
    );
    const boxes = boxesOf(policy);
    expect(boxes.get('web')!.x).toBeLessThan(boxes.get('app')!.x);
    expect(boxes.get('app')!.x).toBeLessThan(boxes.get('db')!.x);
    expectLabelsClear(policy, boxes);
    expectNoOverlaps(boxes);
  });

  it('keeps every label of several edges that skip a layer together off the group in between', () => {
    const skipping = [edge('web', 'db', 5432), edge('web', 'db', 5433), edge('web', 'db', 5434)];
    const policy = policyOf(['web', 'app', 'db'], [edge('web', 'app'), edge('app', 'db', 5432), ...skipping]);
    const boxes = boxesOf(policy);
    expectLabelsClear(policy, boxes);
    expectNoOverlaps(boxes);
  });

  it('leaves room above a group for the labels of all its loops', () => {
    const loops = [4431, 4432, 4433, 4434].map((port) => edge('e', 'e', port));
    const policy = policyOf(['a', 'b', 'c', 'd', 'e'], loops);
    expectLabelsClear(policy, boxesOf(policy));
  });

  it('gives the same whole-number places for the same policy, whatever the places before', () => {
    const policy = tiered(60);
    const first = arrangedPositions(policy);
    const moved = { ...policy, groups: policy.groups.map((g, i) => ({ ...g, position: { x: i * 7, y: -i } })) };
    expect(arrangedPositions(moved)).toEqual(first);
    expect(arrangedPositions(policy)).toEqual(first);
    for (const { x, y } of first.values()) {
      expect(Number.isInteger(x) && Number.isInteger(y)).toBe(true);
    }
  });

  it('puts each edge source left of its target, no two groups on each other and no label on another group', () => {
    const policy = tiered(60);
    const boxes = boxesOf(policy);
    for (const e of policy.edges) {
      expect(boxes.get(e.from)!.x + GROUP_SIZE.width, e.id).toBeLessThan(boxes.get(e.to)!.x);
    }
    expectNoOverlaps(boxes);
    expectLabelsClear(policy, boxes);
  });

  it('uses the measured sizes of groups, so tall groups do not overlap either', () => {
    const policy = tiered(30);
    const sizes = new Map(policy.groups.map((g, i) => [g.name, { width: 230, height: 120 + (i % 4) * 60 }]));
    const boxes = boxesOf(policy, sizes);
    expectNoOverlaps(boxes);
    expectLabelsClear(policy, boxes);
  });

  it('places groups without edges, or with only an edge to themselves, apart from the linked ones', () => {
    const policy = policyOf(['lonely', 'web', 'self', 'app'], [edge('web', 'app'), edge('self', 'self', 22)]);
    const boxes = boxesOf(policy);
    expect(boxes.size).toBe(4);
    expectNoOverlaps(boxes);
    expectLabelsClear(policy, boxes);
    const linkedBottom = Math.max(boxes.get('web')!.y, boxes.get('app')!.y) + GROUP_SIZE.height;
    expect(boxes.get('lonely')!.y).toBeGreaterThan(linkedBottom);
  });

  it('keeps room above a group for the label of its edge to itself when another group is linked above', () => {
    const policy = policyOf(
      ['a', 'b', 'c', 'd'],
      [edge('a', 'c'), edge('b', 'd'), edge('b', 'b', 22), edge('d', 'd', 22)],
    );
    const boxes = boxesOf(policy);
    expectNoOverlaps(boxes);
    expectLabelsClear(policy, boxes);
  });

  it('lays out a cycle, and an edge to a group that is not there is left alone', () => {
    const policy = policyOf(['a', 'b', 'c'], [edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('a', 'ghost')]);
    const boxes = boxesOf(policy);
    expect([...boxes.keys()].sort()).toEqual(['a', 'b', 'c']);
    expectNoOverlaps(boxes);
  });

  it('an empty policy has no places', () => {
    expect(arrangedPositions(emptyPolicy('t')).size).toBe(0);
  });
});

describe('placing the groups', () => {
  it('moves only the groups it is given places for', () => {
    const policy = policyOf(['a', 'b'], []);
    const places = new Map<string, CanvasPosition>([['a', { x: 10, y: 20 }]]);
    const placed = withGroupsPlaced(policy, places);
    expect(placed.groups.map((g) => g.position)).toEqual([{ x: 10, y: 20 }, undefined]);
    expect(policy.groups[0]!.position).toBeUndefined();
  });
});
