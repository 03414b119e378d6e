import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDualStackFiles } from './support/dual-stack';
import { expect, test } from './support/fixtures';
import type { DesignerPage } from './pages/designer-page';
import type { RunningHost } from './support/web-host';

// The matrix panel on files alone: a cell's example is a pair for which the service it names
// really passes, its "Trace …" link answers at once, and a small window leaves the map room.

/** Opens an inventory and a policy file, compiles, and computes the matrix. */
async function openAndComputeMatrix(designer: DesignerPage, host: RunningHost, inventory: string, policy: string): Promise<void> {
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.compile();
  await designer.computeMatrix();
}

/**
 * web-1 comes first but only web-2 is in prod, and only prod may open udp/53 to app: the cell
 * web → app permits udp/53 for some member pairs only, and not for the first.
 */
async function openSomePairsPolicy(designer: DesignerPage, host: RunningHost): Promise<void> {
  const inventory = join(host.home, 'some-pairs.csv');
  writeFileSync(
    inventory,
    [
      'name,host,addresses,labels',
      'web-1,h1,10.0.0.1,tier=web',
      'web-3,h1,10.0.0.2,tier=web',
      'web-2,h2,10.0.0.5,tier=web;env=prod',
      'app-1,h2,10.0.0.3,tier=app',
      'app-2,h1,10.0.0.4,tier=app',
    ].join('\n') + '\n',
  );
  const policy = join(host.home, 'some-pairs.yaml');
  writeFileSync(
    policy,
    [
      'apiVersion: microseg.dev/v1',
      'kind: Policy',
      'metadata: { name: some-pairs, revision: 1 }',
      'defaults: { withinGroup: allow, betweenGroups: drop }',
      'groups:',
      '  - { name: web, selector: { labels: tier=web }, canvas: { x: 0, y: 0 } }',
      '  - { name: prod, selector: { labels: env=prod }, canvas: { x: 0, y: 200 } }',
      '  - { name: app, selector: { labels: tier=app }, canvas: { x: 300, y: 0 } }',
      'edges:',
      '  - { id: prod-app, from: prod, to: app, services: [udp/53], action: allow }',
      '',
    ].join('\n'),
  );
  await openAndComputeMatrix(designer, host, inventory, policy);
}

test('a cell that permits a service for some pairs only offers a pair that passes it, and its Trace link answers at once', async ({
  designer,
  host,
  page,
}) => {
  await openSomePairsPolicy(designer, host);
  expect(await designer.matrixCell('web', 'app')).toBe('nothing');
  await expect(designer.byTestId('matrix-cell-sometimes')).toHaveText('udp/53');

  // The first member pair (web-1 → app-1) drops udp/53; the example is web-2's.
  const example = designer.byTestId('matrix-trace-example');
  await expect(example).toHaveAttribute('data-from', 'web-2');
  await expect(example).toContainText('udp/53');
  await example.click();

  // The Trace tab opens with the pair and traces it without Trace being pressed.
  await expect(designer.byTestId('trace-from')).toHaveValue('web-2');
  await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'permitted');
  await expect(page.locator('.trace-result')).toContainText('udp/53');
});

// 1024×640 is the smallest window the app supports: there the output panel's header wraps to
// three lines, which took the map's room until the panel's handle was dragged.
/** The narrowest window the layout supports, and the common one. */
const VIEWPORTS = [
  { width: 1024, height: 640 },
  { width: 1440, height: 900 },
];

for (const viewport of VIEWPORTS) {
  test(`at ${viewport.width}×${viewport.height} the heat map gets room in the output panel without dragging its handle`, async ({
    designer,
    host,
    page,
  }) => {
    await page.setViewportSize(viewport);
    await openSomePairsPolicy(designer, host);
    const map = (await designer.byTestId('matrix-heat-map').boundingBox())!;
    const pane = (await page
      .locator('.output-pane')
      .filter({ has: designer.byTestId('matrix-heat-map') })
      .boundingBox())!;
    const shown = Math.min(map.y + map.height, pane.y + pane.height) - map.y;
    expect(shown, 'the height of the map in view').toBeGreaterThanOrEqual(120);
    // The common window keeps the default it had: the panel 290 px high.
    if (viewport.width === 1440)
      expect((await page.locator('.output-panel').boundingBox())!.height).toBeCloseTo(290, 0);
  });
}

// At 1024×640 the explanation beside the map was cut off on the right, neither wrapped nor scrollable.
for (const viewport of VIEWPORTS) {
  test(`at ${viewport.width}×${viewport.height} a cell's explanation is whole: it wraps within the panel and the window`, async ({
    designer,
    host,
    page,
  }) => {
    await page.setViewportSize(viewport);
    await openSomePairsPolicy(designer, host);
    // A cell that permits anything offers a familiar service, not tcp/1.
    expect(await designer.matrixCell('web', 'web')).toBe('any');
    await expect(designer.byTestId('matrix-trace-example')).toContainText('tcp/443');
    // The longest explanation: some pairs only, found after tracing pairs that drop it.
    await designer.matrixCell('web', 'app');
    await expect(designer.byTestId('matrix-trace-example')).toHaveAttribute('data-from', 'web-2');
    const fit = await designer.matrixExplanationFit();
    await expect(designer.byTestId('matrix-cell'), 'picking a cell brings its explanation into view').toBeInViewport();
    expect(fit.scrollWidth, 'the explanation is as wide as its box').toBeLessThanOrEqual(fit.clientWidth);
    expect(fit.contentRight, 'its text ends inside it').toBeLessThanOrEqual(fit.right + 0.5);
    expect(fit.right, 'it ends inside the panel').toBeLessThanOrEqual(fit.paneRight + 0.5);
    expect(fit.right, 'it ends inside the window').toBeLessThanOrEqual(fit.windowWidth);
    // Where there is room it stays beside the map.
    if (viewport.width === 1440) {
      const map = (await designer.byTestId('matrix-heat-map').boundingBox())!;
      expect((await designer.byTestId('matrix-cell').boundingBox())!.x).toBeGreaterThanOrEqual(map.x + map.width);
    }
  });
}

test('a matrix the drawing moved on from, compiled or not, offers no example: its trace would contradict the cell', async ({
  designer,
  host,
}) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  await designer.computeMatrix();
  expect(await designer.matrixCell('web', 'app')).toBe('tcp/8080');
  await expect(designer.byTestId('matrix-trace-example')).toContainText('tcp/8080');

  // The edge now opens another port: the shown cell still says tcp/8080, which the drawing drops.
  // Not compiled yet, the example's trace would compile the drawing first and find tcp/8080 dropped.
  await designer.editEdgeServices('web-to-app', 'tcp/9090');
  await designer.byTestId('matrix-tab').click();
  expect(await designer.matrixCell('web', 'app')).toBe('tcp/8080');
  await expect(designer.byTestId('matrix-example-outdated')).toBeVisible();
  await expect(designer.byTestId('matrix-trace-example')).toHaveCount(0);

  // Compiled, the trace would run on tables the matrix does not describe.
  await designer.compile();
  await designer.byTestId('matrix-tab').click();
  await expect(designer.byTestId('matrix-cell-always')).toHaveText('tcp/8080');
  await expect(designer.byTestId('matrix-example-outdated')).toBeVisible();
  await expect(designer.byTestId('matrix-trace-example')).toHaveCount(0);
  await expect(designer.byTestId('matrix-example-none')).toHaveCount(0);
});

test('a group cell counts address pairs and says so: two and two dual-stack workloads make 8, one pair of workloads 1', async ({ designer, host }) => {
  const { inventory, policy } = writeDualStackFiles(host.home, ['web-1,h1,10.0.0.1;fd00::1,tier=web', 'web-2,h2,10.0.0.2;fd00::2,tier=web', 'app-1,h1,10.0.0.3;fd00::3,tier=app', 'app-2,h2,10.0.0.4;fd00::4,tier=app']);
  await openAndComputeMatrix(designer, host, inventory, policy);

  expect(await designer.matrixCell('web', 'app')).toBe('tcp/8080');
  // IPv6 neighbour discovery passes every IPv6 pair before the policy: the cell leaves it out, the legend says so.
  expect(await designer.matrixCellFacts()).toEqual(['Every address pair: tcp/8080', 'Some address pairs only: nothing', 'Sent to a honeypot: nothing', 'Address pairs: 8']);
  await expect(designer.byTestId('matrix-left-out')).toHaveText('IPv6 neighbour discovery (ICMPv6 types 133-136) passes between every pair whatever the policy, and is not shown.');
  await expect(designer.byTestId('matrix-stats')).toContainText('IPv6 neighbour discovery');
  const download = designer.page.waitForEvent('download');
  await designer.byTestId('matrix-export-svg').click();
  expect(readFileSync(await (await download).path(), 'utf8')).toContain('>IPv6 neighbour discovery (ICMPv6 types 133-136) passes between every pair whatever the policy, and is not shown.</text>');

  // By workload, a cell is one pair of workloads, over both families.
  await designer.byTestId('matrix-level').selectOption('workloads');
  await designer.matrixCell('web-1', 'app-1');
  expect(await designer.matrixCellFacts()).toContain('Member pairs: 1');
});

test('a cell from an address block group counts each workload address with its outside addresses once, and its example starts at a host address', async ({ designer, host }) => {
  const inventory = join(host.home, 'internet.csv');
  writeFileSync(inventory, ['name,host,addresses,labels', 'web-1,h1,10.0.0.1,tier=web', 'web-2,h2,10.0.0.2,tier=web'].join('\n') + '\n');
  const policy = join(host.home, 'internet.yaml');
  // The exceptions cut 0.0.0.0/0 into 31 stretches: counted one by one, the cell said 62 pairs.
  writeFileSync(
    policy,
    [
      'apiVersion: microseg.dev/v1',
      'kind: Policy',
      'metadata: { name: internet, revision: 1 }',
      'defaults: { withinGroup: allow, betweenGroups: drop }',
      'groups:',
      '  - { name: internet, selector: { cidrs: [0.0.0.0/0], except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] }, canvas: { x: 0, y: 0 } }',
      '  - { name: web, selector: { labels: tier=web }, canvas: { x: 300, y: 0 } }',
      'edges:',
      '  - { id: internet-web, from: internet, to: web, services: [tcp/443], action: allow }',
      '',
    ].join('\n'),
  );
  await openAndComputeMatrix(designer, host, inventory, policy);

  expect(await designer.matrixCell('internet', 'web')).toBe('tcp/443');
  expect(await designer.matrixCellFacts()).toContain("Address pairs: 2 (each a workload address with a group's outside addresses, all of them as one end)");
  await expect(designer.byTestId('matrix-trace-example')).toHaveAttribute('data-from', '1.0.0.1');
});

test('a filter no name matches says so, and offers no empty picture to export', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  await openAndComputeMatrix(designer, host, join(example, 'inventory.yaml'), join(example, 'policy.yaml'));

  await designer.byTestId('matrix-filter').fill('zzz');
  await expect(designer.byTestId('matrix-no-match')).toHaveText('No group name contains “zzz”; clear the filter to see the map.');
  await expect(designer.byTestId('matrix-heat-map')).toHaveCount(0);
  for (const id of ['matrix-export-svg', 'matrix-export-png']) await expect(designer.byTestId(id)).toBeDisabled();

  await designer.byTestId('matrix-filter').fill('ap');
  expect(await designer.matrixCells()).toEqual(['app→app']);
  for (const id of ['matrix-export-svg', 'matrix-export-png']) await expect(designer.byTestId(id)).toBeEnabled();
});

test('the matrix heat map is worked with the keyboard: Tab to it, arrows pick cells', async ({ designer, host, page }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  await designer.computeMatrix();

  // Groups in name order: app, db, web. The first arrow picks app → app; two more reach app → web.
  await designer.byTestId('matrix-heat-map').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('[data-testid="matrix-cell"] [data-from="app"][data-to="app"]')).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('[data-testid="matrix-cell"] [data-from="db"][data-to="db"]')).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('[data-testid="matrix-cell"] [data-from="app"][data-to="db"]')).toBeVisible();
  await expect(designer.byTestId('matrix-cell-always')).toHaveText('tcp/5432');
});

test('the matrix keeps its filter, level and picked cell while another tab is open', async ({ designer, host, page }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  await designer.computeMatrix();
  await designer.byTestId('matrix-level').selectOption('workloads');
  await designer.byTestId('matrix-filter').fill('-1');
  await page.locator('[data-testid="matrix-heat-map"] rect[data-from="app-1"][data-to="db-1"]').click();
  await expect(designer.byTestId('matrix-cell-always')).toHaveText('tcp/5432');

  // A cell's "Trace …" link opens the Trace tab: coming back must not start over.
  await designer.byTestId('trace-tab').click();
  await designer.byTestId('matrix-tab').click();
  await expect(designer.byTestId('matrix-level')).toHaveValue('workloads');
  await expect(designer.byTestId('matrix-filter')).toHaveValue('-1');
  await expect(page.locator('[data-testid="matrix-cell"] [data-from="app-1"][data-to="db-1"]')).toBeVisible();
});

// Every long analysis has a Stop. The matrix of two tiers of 2,000 workloads takes seconds (14 s on
// the 2-core test machine, growing with the square of the workloads), so the Stop comes while it
// runs; the older matrix is of two workloads, quick whatever the machine's load. The tab said
// nothing of a stop and kept the older matrix as if it answered the inventory as it is now.
test('Stop ends a long matrix: it says so and offers to compute again, and the older matrix kept is marked outdated', async ({ designer, host }) => {
  const tiers = (count: number): string[] => Array.from({ length: count }, (_, i) => `${i % 2 ? 'app' : 'web'}-${i},h${i % 40},10.1.${i >> 8}.${i & 255},tier=${i % 2 ? 'app' : 'web'}`);
  const { inventory, policy } = writeDualStackFiles(host.home, tiers(2));
  await openAndComputeMatrix(designer, host, inventory, policy);
  await expect(designer.byTestId('matrix-outdated')).toHaveCount(0);

  // The same file, grown and opened again: the matrix shown is of the inventory before.
  writeDualStackFiles(host.home, tiers(4000));
  await designer.openInventoryFile(inventory);
  await expect(designer.byTestId('matrix-outdated')).toBeVisible();
  await designer.byTestId('matrix-compute').click();
  await expect(designer.byTestId('matrix-progress')).toBeVisible({ timeout: 60_000 });
  await designer.byTestId('matrix-stop').click();

  await expect(designer.byTestId('matrix-stopped')).toHaveText('Computing the matrix was stopped before it was complete; nothing of it is shown. Compute again', { timeout: 10_000 });
  await expect(designer.byTestId('matrix-stop')).toHaveCount(0);
  await expect(designer.byTestId('error-notice')).toHaveCount(0);
  // The matrix still on screen is the one before, and says so.
  await expect(designer.byTestId('matrix-stats')).toContainText('2 groups');
  await expect(designer.byTestId('matrix-outdated')).toHaveText('outdated: the drawing or inventory changed since');

  // Compute again runs the matrix again; stopped again, it says so again.
  await designer.byTestId('matrix-again').click();
  await expect(designer.byTestId('matrix-stopped')).toHaveCount(0);
  await expect(designer.byTestId('matrix-progress')).toBeVisible({ timeout: 60_000 });
  await designer.byTestId('matrix-stop').click();
  await expect(designer.byTestId('matrix-stopped')).toBeVisible({ timeout: 10_000 });
});
