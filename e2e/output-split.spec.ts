import type { Locator } from '@playwright/test';
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

// At the smallest window the app supports and at a common one, the output panel's tabs and the compile
// figures beside them, and the toolbar's buttons and the file's name, each get room of their own.
for (const viewport of [{ width: 1024, height: 640 }, { width: 1440, height: 900 }]) {
  test(`at ${viewport.width}×${viewport.height} the tabs, compile figures and toolbar fit without overlap or clipping`, async ({ designer, host, page }) => {
    await page.setViewportSize(viewport);
    await designer.open(host.url);
    await designer.openExample('three-tier-shop');
    await designer.byTestId('settings-dhcp').check();
    await designer.compile();
    await designer.byTestId('settings-dhcp').uncheck();
    await expect(page.locator('.output-stats .badge')).toHaveText('outdated');

    const header = page.locator('.output-header');
    const parts = [...(await header.getByRole('tab').all()), ...(await page.locator('.output-stats > *').all())];
    expect(parts.length).toBeGreaterThanOrEqual(10);
    await expectApartAndInside(parts, header);

    const toolbar = page.locator('.toolbar');
    const toolbarParts = [...(await toolbar.getByRole('button').all()), page.locator('.policy-name'), designer.byTestId('policy-dirty')];
    await expectApartAndInside(toolbarParts, toolbar);

    // The YAML view's status line says all it has to say, and leaves its buttons their room.
    await designer.showPolicyText();
    const status = designer.byTestId('policy-text-status');
    await expect(status).toContainText('Apply (Ctrl+Enter)');
    expect(await status.evaluate((e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight)).toBe(true);
    const bar = page.locator('.policy-text-bar');
    await expectApartAndInside([status, designer.byTestId('policy-text-revert'), designer.byTestId('policy-text-apply')], bar);
  });
}

/** Every element fully inside `frame` and its visible part of any scrolling parent, and no two overlapping. */
async function expectApartAndInside(parts: Locator[], frame: Locator): Promise<void> {
  const outer = (await frame.boundingBox())!;
  const boxes = await Promise.all(
    parts.map((part) =>
      part.evaluate((element) => {
        const box = element.getBoundingClientRect();
        // What a scrolling parent (the host tabs) leaves in view of it.
        let shown = { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
        for (let up = element.parentElement; up; up = up.parentElement) {
          const style = getComputedStyle(up);
          if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
          const clip = up.getBoundingClientRect();
          shown = { left: Math.max(shown.left, clip.left), right: Math.min(shown.right, clip.right), top: Math.max(shown.top, clip.top), bottom: Math.min(shown.bottom, clip.bottom) };
        }
        return { name: element.textContent?.trim() ?? '', box: { x: box.x, y: box.y, width: box.width, height: box.height }, shown };
      }),
    ),
  );
  for (const { name, box, shown } of boxes) {
    expect(box.width, `${name} has a width`).toBeGreaterThan(0);
    expect(shown.right - shown.left, `${name} is not cut by a scrolling parent`).toBeGreaterThanOrEqual(box.width - 1);
    expect(shown.bottom - shown.top, `${name} is not cut by a scrolling parent`).toBeGreaterThanOrEqual(box.height - 1);
    expect(box.x >= outer.x - 1 && box.x + box.width <= outer.x + outer.width + 1, `${name} lies inside`).toBe(true);
    expect(box.y >= outer.y - 1 && box.y + box.height <= outer.y + outer.height + 1, `${name} lies inside`).toBe(true);
  }
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart = a.box.x + a.box.width <= b.box.x + 1 || b.box.x + b.box.width <= a.box.x + 1 || a.box.y + a.box.height <= b.box.y + 1 || b.box.y + b.box.height <= a.box.y + 1;
      expect(apart, `"${a.name}" and "${b.name}" do not overlap`).toBe(true);
    }
  }
}
