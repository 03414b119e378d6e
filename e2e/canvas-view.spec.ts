import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { WIDE_POLICY } from './support/wide-policy';

// Only the groups and edges in view stay in the page (at 5,000 groups, keeping every one made
// showing the canvas again take a second). The others still count: the drawing is fitted on
// opening, and an edge to a group out of view is drawn from that group's side.

test('a policy wider than the view is fitted, and an edge from a group out of view is drawn from its side', async ({ designer, host }) => {
  const file = join(host.home, 'wide.yaml');
  writeFileSync(file, WIDE_POLICY);
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
