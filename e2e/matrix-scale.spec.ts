import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// A matrix too big for an SVG picture (a rectangle and a tooltip per cell) is drawn on a
// canvas: pointed at, a cell is named; clicked, it is explained as on the small map.

const GROUPS = 150;

test('150 groups: the matrix is a canvas whose cells are named and explained; a filter brings back the labelled map', async ({ designer, host, page }) => {
  // Group g{i} holds two workloads on two hosts; g{i} may open tcp/{8000 + i} to g{i+1}.
  const rows = Array.from({ length: GROUPS * 2 }, (_, i) => `w${i},host-${i % 2},10.60.${Math.floor(i / 200)}.${(i % 200) + 1},app=g${Math.floor(i / 2)}`);
  const inventory = join(host.home, 'many-groups.csv');
  writeFileSync(inventory, ['name,host,addresses,labels', ...rows].join('\n') + '\n');
  const name = (i: number): string => `g${String(i).padStart(3, '0')}`;
  const groups = Array.from({ length: GROUPS }, (_, i) => `  - name: ${name(i)}\n    selector:\n      labels: app=g${i}\n    canvas: { x: ${(i % 15) * 200}, y: ${Math.floor(i / 15) * 120} }`);
  const edges = Array.from({ length: GROUPS - 1 }, (_, i) => `  - id: e${i}\n    from: ${name(i)}\n    to: ${name(i + 1)}\n    services: [tcp/${8000 + i}]\n    action: allow`);
  const policy = join(host.home, 'many-groups.yaml');
  writeFileSync(policy, `apiVersion: microseg.dev/v1\nkind: Policy\nmetadata:\n  name: many-groups\n  revision: 1\ndefaults:\n  withinGroup: allow\n  betweenGroups: drop\ngroups:\n${groups.join('\n')}\nedges:\n${edges.join('\n')}\n`);

  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.compile();
  await designer.computeMatrix();

  const canvas = designer.byTestId('matrix-canvas');
  await expect(canvas).toBeVisible();
  await expect(designer.byTestId('matrix-export-svg')).toBeDisabled();
  // Groups come in name order, so g007 is row 7 and g008 column 8: the cell of edge e7.
  const box = (await canvas.boundingBox())!;
  const cell = box.width / GROUPS;
  await canvas.hover({ position: { x: 8.5 * cell, y: 7.5 * cell } });
  await expect(designer.byTestId('matrix-pointer')).toHaveText('g007 → g008: tcp/8007');
  await canvas.click({ position: { x: 8.5 * cell, y: 7.5 * cell } });
  await expect(page.locator('[data-testid="matrix-cell"] [data-from="g007"][data-to="g008"]')).toBeVisible();
  await expect(designer.byTestId('matrix-cell-always')).toHaveText('tcp/8007');
  await expect(designer.byTestId('matrix-cell-pairs')).toHaveText('4');
  await designer.screenshot('14-matrix-canvas');
  // The reverse direction has no edge: closed, for all four member pairs.
  await canvas.click({ position: { x: 7.5 * cell, y: 8.5 * cell } });
  await expect(designer.byTestId('matrix-cell-always')).toHaveText('nothing');

  const download = page.waitForEvent('download');
  await designer.byTestId('matrix-export-png').click();
  expect((await download).suggestedFilename()).toBe('reachability-matrix.png');

  // Narrowed to g01x (ten groups), the map is the labelled SVG again.
  await designer.byTestId('matrix-filter').fill('g01');
  await expect(canvas).toHaveCount(0);
  expect(await designer.matrixCell('g012', 'g013')).toBe('tcp/8012');
  await expect(designer.byTestId('matrix-export-svg')).toBeEnabled();
});
