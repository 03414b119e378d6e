import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// Only the groups and edges in view stay in the page (at 5,000 groups, keeping every one made
// showing the canvas again take a second). The others still count: the drawing is fitted on
// opening, and an edge to a group out of view is drawn from that group's side.

// Nothing is near the origin, where the view starts: no group is drawn before the fit. Fitted at
// the smallest zoom, the view holds the middle group only.
const POLICY = `apiVersion: microseg.dev/v1
kind: Policy
metadata: { name: wide, revision: 1 }
defaults: { withinGroup: allow, betweenGroups: drop }
groups:
  - { name: west, selector: { labels: tier=web }, canvas: { x: 5000, y: 5000 } }
  - { name: middle, selector: { labels: tier=app }, canvas: { x: 25000, y: 5000 } }
  - { name: east, selector: { labels: tier=db }, canvas: { x: 45000, y: 5000 } }
edges:
  - { id: west-to-middle, from: west, to: middle, services: [tcp/8080], action: allow }
`;

test('a policy wider than the view is fitted, and an edge from a group out of view is drawn from its side', async ({ designer, host }) => {
  const file = join(host.home, 'wide.yaml');
  writeFileSync(file, POLICY);
  await designer.open(host.url);
  await designer.openFile(file);

  await expect(designer.group('middle')).toBeInViewport();
  await expect(designer.group('west')).toHaveCount(0);
  await expect(designer.group('east')).toHaveCount(0);

  // The edge starts at west's right side, though west is not in the page.
  const start = /^M\s*([-\d.]+)[ ,]([-\d.]+)/.exec((await designer.edgeLine('west-to-middle').getAttribute('d')) ?? '');
  expect(start).not.toBeNull();
  expect(Number(start![1])).toBeGreaterThan(5220);
  expect(Number(start![1])).toBeLessThan(5250);
  expect(Number(start![2])).toBeGreaterThan(5000);
  expect(Number(start![2])).toBeLessThan(5120);
  await expect(designer.edge('west-to-middle')).toHaveCount(1);
});
