import { expect, test } from './support/fixtures';

// On a small window the YAML view or a long trace needs the room the output panel takes: the
// handle between them gives it, by drag or by keyboard, and the height is kept for a reload.

test('the handle above the output panel resizes it by drag and by keyboard, and the height is kept', async ({ designer, host, page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await designer.open(host.url);
  const panel = page.locator('.output-panel');
  const handle = designer.byTestId('output-split');
  const height = async (): Promise<number> => (await panel.boundingBox())!.height;
  const start = await height();

  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 103, { steps: 5 });
  await page.mouse.up();
  expect(await height()).toBeCloseTo(start - 100, -1);

  await handle.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await height()).toBeCloseTo(start - 100 + 48, -1);
  // Never so far that either side disappears.
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowUp');
  expect(await height()).toBeLessThan(640);
  await expect(designer.byTestId('compile-button')).toBeVisible();

  await page.keyboard.press('Home');
  expect(await height()).toBeCloseTo(start, -1);
  await page.keyboard.press('ArrowDown');
  await page.reload();
  await expect(handle).toBeVisible();
  expect(await height()).toBeCloseTo(start - 24, -1);
});
