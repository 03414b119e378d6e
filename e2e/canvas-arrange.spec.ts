import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

// QA drew web, app and db and their edges and found lines behind unrelated groups and app → db's
// label on web, where it read as web's rule. Arrange lays the groups out along their edges.

type Box = { x: number; y: number; width: number; height: number };

const GROUPS = ['web', 'app', 'db'];
const EDGES = ['web-to-app', 'app-to-db'];

/** The bundled three-tier example drawn backwards: db where web was and web where db was; `more` is added to its end. */
function scrambledShop(folder: string, more = ''): string {
  const example = readFileSync(
    fileURLToPath(new URL('../examples/three-tier-shop/policy.yaml', import.meta.url)),
    'utf8',
  );
  const file = join(folder, 'shop.yaml');
  writeFileSync(
    file,
    example
      .replace('canvas: { x: 80, y: 120 }', 'canvas: { x: WEB, y: 120 }')
      .replace('canvas: { x: 720, y: 120 }', 'canvas: { x: 80, y: 300 }')
      .replace('canvas: { x: WEB, y: 120 }', 'canvas: { x: 720, y: 120 }') + more,
  );
  return file;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('Arrange lays the three tiers out left to right with no label on a group, fits the view, and is one undo step', async ({
  designer,
  host,
}) => {
  await designer.open(host.url);
  await designer.openFile(scrambledShop(host.home));
  await expect(designer.edge('app-to-db')).toBeVisible();

  const boxesOf = async (ids: string[], locate: (id: string) => ReturnType<typeof designer.group>): Promise<Box[]> =>
    Promise.all(
      ids.map(async (id) => {
        const box = await locate(id).boundingBox();
        if (!box) throw new Error(`${id} is not on screen`);
        return box;
      }),
    );
  const groups = (): Promise<Box[]> => boxesOf(GROUPS, (g) => designer.group(g));
  const labels = (): Promise<Box[]> => boxesOf(EDGES, (e) => designer.edge(e));
  // The view glides to its fit: read the places once they stay put.
  const settled = async (): Promise<Box[]> => {
    let last = '';
    await expect
      .poll(async () => {
        const now = JSON.stringify(await groups());
        const same = now === last;
        last = now;
        return same;
      })
      .toBe(true);
    return groups();
  };
  const before = await settled();
  const zoomBefore = await designer.canvasZoom();

  // From the keyboard: the button is in the tab order and takes Enter.
  await designer.byTestId('arrange').focus();
  await designer.page.keyboard.press('Enter');
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await expect(designer.byTestId('arrange')).toHaveText('Arrange');
  const [web, app, db] = (await settled()) as [Box, Box, Box];

  expect(web.x + web.width).toBeLessThan(app.x);
  expect(app.x + app.width).toBeLessThan(db.x);
  for (const [i, label] of (await labels()).entries()) {
    for (const [j, group] of [web, app, db].entries()) {
      expect(overlap(label, group), `${EDGES[i]}'s label on ${GROUPS[j]}`).toBe(false);
    }
  }
  // The view fits the arranged groups: all of them in the canvas.
  const canvas = await designer.page.locator('.react-flow').boundingBox();
  for (const box of [web, app, db]) {
    expect(box.x >= canvas!.x && box.x + box.width <= canvas!.x + canvas!.width).toBe(true);
    expect(box.y >= canvas!.y && box.y + box.height <= canvas!.y + canvas!.height).toBe(true);
  }

  // One undo puts every group back where it was, and leaves nothing more to undo.
  await designer.page.locator('.react-flow__pane').click({ position: { x: 20, y: 400 } });
  await designer.page.keyboard.press('Control+z');
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  // Undo leaves the view as it is: compare places on the canvas, not on the screen.
  const undone = await settled();
  const zoomUndone = await designer.canvasZoom();
  const onCanvas = (boxes: Box[], zoom: number): number[] =>
    boxes.flatMap((b) => [(b.x - boxes[0]!.x) / zoom, (b.y - boxes[0]!.y) / zoom]);
  const expected = onCanvas(before, zoomBefore);
  onCanvas(undone, zoomUndone).forEach((at, i) => expect(Math.abs(at - expected[i]!)).toBeLessThan(2));
});

// web → db skips app's column. Drawn as the plain curve it ran behind app, and behind it again
// once app was dragged onto the straight way; it goes round app instead, its label with it.
const WEB_TO_DB = `  - id: web-to-db
    from: web
    to: db
    services: [tcp/5432]
    action: allow
`;

test('an edge that skips a column goes round the group between, after Arrange and after that group is dragged into its way', async ({
  designer,
  host,
}) => {
  await designer.open(host.url);
  await designer.openFile(scrambledShop(host.home, WEB_TO_DB));
  await expect(designer.edge('web-to-db')).toBeVisible();

  const boxOf = async (locator: ReturnType<typeof designer.group>): Promise<Box> => {
    const box = await locator.boundingBox();
    if (!box) throw new Error('not on screen');
    return box;
  };
  // Points on app's box, or the label on it, when the line or label runs behind app (a pixel of border aside).
  const behindApp = async (): Promise<string[]> => {
    const app = await boxOf(designer.group('app'));
    const inside = { x: app.x + 1, y: app.y + 1, width: app.width - 2, height: app.height - 2 };
    const found = (await designer.edgeLinePoints('web-to-db'))
      .filter((p) => overlap({ ...p, width: 0.01, height: 0.01 }, inside))
      .map((p) => `line at ${Math.round(p.x)},${Math.round(p.y)}`);
    if (overlap(await boxOf(designer.edge('web-to-db')), inside)) found.push('label');
    return found;
  };

  // Arrange once the view has glided to its fit on opening (as the first test does).
  let last = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(await boxOf(designer.group('web')));
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
  await designer.byTestId('arrange').click();
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await expect(designer.byTestId('arrange')).toHaveText('Arrange');
  const [web, app, db] = await Promise.all(GROUPS.map((g) => boxOf(designer.group(g))));
  expect(web!.x + web!.width).toBeLessThan(app!.x);
  expect(app!.x + app!.width).toBeLessThan(db!.x);
  await expect.poll(behindApp).toEqual([]);

  // app dragged up to where the straight way from web to db runs: the edge moves out of its way
  // while app is held, and stays out of it once app is let go.
  const middle = (b: Box): number => b.y + b.height / 2;
  const [webNow, appNow, dbNow] = await Promise.all(GROUPS.map((g) => boxOf(designer.group(g))));
  const straight = (middle(webNow!) + middle(dbNow!)) / 2;
  await designer.holdGroupMoved('app', 0, straight - middle(appNow!));
  expect(Math.abs(middle(await boxOf(designer.group('app'))) - straight)).toBeLessThan(10);
  await expect.poll(behindApp).toEqual([]);
  await designer.page.mouse.up();
  await expect(designer.byTestId('policy-undo')).toBeEnabled();
  expect(Math.abs(middle(await boxOf(designer.group('app'))) - straight)).toBeLessThan(10);
  await expect.poll(behindApp).toEqual([]);
});

test('Arrange is done once its layout is, even when the user pans while the view glides to the fit', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openFile(scrambledShop(host.home));
  await expect(designer.edge('app-to-db')).toBeVisible();

  const pane = (await designer.page.locator('.react-flow__pane').boundingBox())!;
  const spot = { x: pane.x + pane.width - 40, y: pane.y + 40 };
  await designer.byTestId('arrange').click();
  // Small pans of the canvas cut the fit's animation short, as a user moving the canvas would;
  // before, the button waited for an end the cut animation never reports and stayed busy. They go
  // on until the layout has landed (the policy changed) and for a while after, through the fit.
  let afterLayout = 0;
  for (let i = 0; i < 300 && afterLayout < 20; i++) {
    await designer.page.mouse.move(spot.x, spot.y);
    await designer.page.mouse.down();
    await designer.page.mouse.move(spot.x - 3, spot.y + 2);
    await designer.page.mouse.up();
    if (afterLayout > 0 || (await designer.byTestId('policy-dirty').count()) > 0) afterLayout++;
  }
  expect(afterLayout, 'the layout landed').toBeGreaterThan(0);
  await expect(designer.byTestId('arrange')).toHaveText('Arrange', { timeout: 5_000 });
  await expect(designer.byTestId('arrange')).toBeEnabled();
});
