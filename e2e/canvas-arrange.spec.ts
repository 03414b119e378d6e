import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

// QA drew web, app and db and their edges and found lines behind unrelated groups and app → db's
// label on web, where it read as web's rule. Arrange lays the groups out along their edges.

type Box = { x: number; y: number; width: number; height: number };

const GROUPS = ['web', 'app', 'db'];
const EDGES = ['web-to-app', 'app-to-db'];

/** The bundled three-tier example drawn backwards: db where web was and web where db was. */
function scrambledShop(folder: string): string {
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
      .replace('canvas: { x: WEB, y: 120 }', 'canvas: { x: 720, y: 120 }'),
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
