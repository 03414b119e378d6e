import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures';

// A drag moves the group as the mouse goes but changes the drawing once, when the group is let
// go: each frame's edit had the whole policy checked again (at 5,000 groups, 0.1-0.2 s a frame).

/** Where the file puts a group on the canvas. */
function canvasOf(text: string, group: string): { x: number; y: number } {
  const found = new RegExp(`- name: ${group}\\n(?:\\s+\\S.*\\n)*?\\s+canvas: \\{\\s*x: (-?\\d+), y: (-?\\d+)\\s*\\}`).exec(text);
  if (!found) throw new Error(`no canvas position for ${group} in:\n${text}`);
  return { x: Number(found[1]), y: Number(found[2]) };
}

test('a drag changes the drawing only when the group is let go: one undo step, and the file gets the new place', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  const start = canvasOf(readFileSync(file, 'utf8'), 'web');
  const before = await designer.groupBox('web');
  const zoom = await designer.canvasZoom();

  // Held: the group follows the mouse, yet the drawing is as opened (nothing to undo, nothing unsaved).
  await designer.holdGroupMoved('web', 150, 90);
  // React Flow starts the drag on the first move past its threshold and counts from there.
  await expect.poll(async () => (await designer.groupBox('web')).x - before.x).toBeGreaterThan(140);
  const held = await designer.groupBox('web');
  expect(held.y - before.y).toBeGreaterThan(80);
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  await expect(designer.byTestId('policy-undo')).toBeDisabled();

  await designer.page.mouse.up();
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  expect(await designer.groupBox('web')).toEqual(held);

  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  const saved = canvasOf(readFileSync(file, 'utf8'), 'web');
  expect(Math.abs(saved.x - (start.x + (held.x - before.x) / zoom))).toBeLessThanOrEqual(1);
  expect(Math.abs(saved.y - (start.y + (held.y - before.y) / zoom))).toBeLessThanOrEqual(1);

  // The whole drag is one step: one undo puts the group back and leaves nothing to undo.
  await designer.page.locator('.react-flow__pane').click({ position: { x: 20, y: 400 } });
  await designer.page.keyboard.press('Control+z');
  await expect.poll(() => designer.groupBox('web')).toEqual(before);
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
});

test('Ctrl+S while a group is held saves where it is now; the drag stays one undo step', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  const start = canvasOf(readFileSync(file, 'utf8'), 'web');
  const before = await designer.groupBox('web');
  const zoom = await designer.canvasZoom();
  const placeIn = (box: { x: number; y: number }): { x: number; y: number } => ({
    x: start.x + (box.x - before.x) / zoom,
    y: start.y + (box.y - before.y) / zoom,
  });

  await designer.holdGroupMoved('web', 150, 90);
  await expect.poll(async () => (await designer.groupBox('web')).x - before.x).toBeGreaterThan(140);
  const held = placeIn(await designer.groupBox('web'));

  // Saved in mid-drag: the file gets the place the group is shown at, not the one it was picked up from.
  await designer.page.keyboard.press('Control+s');
  await expect.poll(() => Math.abs(canvasOf(readFileSync(file, 'utf8'), 'web').x - held.x)).toBeLessThanOrEqual(1);
  expect(Math.abs(canvasOf(readFileSync(file, 'utf8'), 'web').y - held.y)).toBeLessThanOrEqual(1);
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);

  // Moved on after the save and let go: the drawing is ahead of the file, and says so.
  const box = await designer.groupBox('web');
  await designer.page.mouse.move(box.x + 40 + 60, box.y + 15 + 30, { steps: 5 });
  await designer.page.mouse.up();
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  const dropped = placeIn(await designer.groupBox('web'));
  expect(dropped.x - held.x).toBeGreaterThan(40);

  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  expect(Math.abs(canvasOf(readFileSync(file, 'utf8'), 'web').x - dropped.x)).toBeLessThanOrEqual(1);

  // The save in mid-drag split nothing: one undo puts the group back where the drag began.
  await designer.page.locator('.react-flow__pane').click({ position: { x: 20, y: 400 } });
  await designer.page.keyboard.press('Control+z');
  await expect.poll(() => designer.groupBox('web')).toEqual(before);
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
});

test('a group let go where it was saved in mid-drag leaves nothing unsaved', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  const start = canvasOf(readFileSync(file, 'utf8'), 'web');
  const before = await designer.groupBox('web');

  await designer.holdGroupMoved('web', 150, 90);
  await expect.poll(async () => (await designer.groupBox('web')).x - before.x).toBeGreaterThan(140);
  await designer.page.keyboard.press('Control+s');
  await expect.poll(() => canvasOf(readFileSync(file, 'utf8'), 'web').x).toBeGreaterThan(start.x + 100);

  await designer.page.mouse.up();
  await expect(designer.byTestId('policy-undo')).toBeEnabled();
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
});
