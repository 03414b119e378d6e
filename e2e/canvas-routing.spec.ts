import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';

// The canvas routes its edges round the groups in a worker: a drawing shows its groups at once and
// its edges as soon as they are routed, and an edge goes round a group dragged onto it while the
// group is held and after it is let go. Where no worker can start, the page routes them alike.

// app lies below the straight way from web to db; dragged up, it lies on it.
const POLICY = `apiVersion: microseg.dev/v1
kind: Policy
metadata: { name: routing, revision: 1 }
groups:
  - { name: web, selector: { labels: tier=web }, canvas: { x: 0, y: 0 } }
  - { name: app, selector: { labels: tier=app }, canvas: { x: 390, y: 420 } }
  - { name: db, selector: { labels: tier=db }, canvas: { x: 780, y: 0 } }
edges:
  - { id: web-to-db, from: web, to: db, services: [tcp/5432] }
`;

async function openRouting(designer: DesignerPage, url: string, folder: string): Promise<void> {
  const file = join(folder, 'routing.yaml');
  writeFileSync(file, POLICY);
  await designer.open(url);
  await designer.openFile(file);
  await expect(designer.group('app')).toBeVisible();
}

/** The points of the edge's line that lie inside the group's box on the screen. */
async function pointsBehind(designer: DesignerPage, edge: string, group: string): Promise<number> {
  const box = await designer.group(group).boundingBox();
  if (!box) throw new Error(`group ${group} is not on screen`);
  const points = await designer.edgeLinePoints(edge);
  return points.filter((p) => p.x > box.x && p.x < box.x + box.width && p.y > box.y && p.y < box.y + box.height).length;
}

/** Drags app up onto the way from web to db: while it is held and once let go, the edge goes round it. */
async function expectEdgeRoundDraggedGroup(designer: DesignerPage): Promise<void> {
  const zoom = await designer.canvasZoom();
  await designer.holdGroupMoved('app', 0, -420 * zoom);
  await expect
    .poll(() => pointsBehind(designer, 'web-to-db', 'app'), { message: 'the edge runs behind app while it is held' })
    .toBe(0);
  const held = await designer.group('app').boundingBox();
  const label = await designer.edge('web-to-db').boundingBox();
  expect(
    held && label && (label.y + label.height <= held.y || label.y >= held.y + held.height),
    'the label is on app',
  ).toBe(true);

  await designer.page.mouse.up();
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await expect
    .poll(() => pointsBehind(designer, 'web-to-db', 'app'), { message: 'the edge runs behind app once let go' })
    .toBe(0);
}

test('a drawing shows its groups while its edges are routed, then the edges; an edge goes round a group dragged onto it', async ({
  designer,
  host,
  page,
}) => {
  // The router is a worker: held back at its script, it cannot answer until the test lets it.
  let letGo = (): void => {};
  const routerHeld = new Promise<void>((resolve) => (letGo = resolve));
  await page.route(/edge-routes\.worker[^/]*\.js$/, async (route) => {
    await routerHeld;
    await route.continue();
  });
  await openRouting(designer, host.url, host.home);
  await expect(designer.group('db')).toBeVisible();
  await expect(designer.edgeLine('web-to-db')).toHaveCount(0);

  letGo();
  await expect(designer.edge('web-to-db')).toBeVisible();
  expect(await pointsBehind(designer, 'web-to-db', 'app')).toBe(0);
  await expectEdgeRoundDraggedGroup(designer);
});

for (const [where, setUp] of [
  ['no worker can start', (page: Page) => page.addInitScript(() => Reflect.deleteProperty(window, 'Worker'))],
  [
    "the router's script cannot be loaded",
    (page: Page) => page.route(/edge-routes\.worker[^/]*\.js$/, (route) => route.abort()),
  ],
] as const) {
  test(`where ${where}, the page routes the edges: drawn on opening, round a group dragged onto them`, async ({
    designer,
    host,
    page,
  }) => {
    await setUp(page);
    await openRouting(designer, host.url, host.home);
    await expect(designer.edge('web-to-db')).toBeVisible();
    await expectEdgeRoundDraggedGroup(designer);
  });
}
