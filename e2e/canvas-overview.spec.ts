import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { WIDE_POLICY } from './support/wide-policy';

// A big drawing does not fit even at the smallest zoom (0.2, kept for speed at 5,000 groups):
// Fit showed its middle and nothing said so, there was no way to see the whole, and at that zoom
// names and edge labels could not be read, nor a selected group told from the others.

test('a drawing larger than the view says so by Fit, and the overview beside the canvas shows it all and moves the view', async ({
  designer,
  host,
  page,
}) => {
  const file = join(host.home, 'wide.yaml');
  writeFileSync(file, WIDE_POLICY);
  await designer.open(host.url);
  await designer.openFile(file);
  await expect(designer.group('middle')).toBeInViewport();
  await expect(designer.byTestId('canvas-fit-note')).toContainText('Too big to fit');
  await expect(designer.byTestId('canvas-overview')).toHaveCount(0);

  // From the keyboard.
  const toggle = designer.byTestId('canvas-overview-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(designer.overviewGroups()).toHaveCount(3);

  // Beside the canvas, not over it.
  const [canvasBox, overviewBox] = await Promise.all([page.locator('.react-flow').boundingBox(), designer.byTestId('canvas-overview').boundingBox()]);
  expect(canvasBox!.x + canvasBox!.width).toBeLessThanOrEqual(overviewBox!.x + 1);

  // A click on a group out of view in the overview brings it into view.
  await expect(designer.group('east')).toHaveCount(0);
  // At this scale a group is a pixel or two wide: clicked by its place, not as an element.
  const east = (await designer.overviewGroups().nth(2).boundingBox())!;
  await page.mouse.click(east.x + east.width / 2, east.y + east.height / 2);
  await expect(designer.group('east')).toBeInViewport();

  await toggle.click();
  await expect(designer.byTestId('canvas-overview')).toHaveCount(0);
});

test('seen from far the edge labels are left out and names and the selection drawn large; zooming in brings the labels back', async ({
  designer,
  host,
  page,
}) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  const labels = page.getByTestId('edge-label');
  await expect(labels.first()).toBeVisible();
  // It fits: no note.
  await expect(designer.byTestId('canvas-fit-note')).toHaveCount(0);

  const group = page.getByTestId('group-node').first();
  const name = await group.getAttribute('data-group');
  await group.click({ position: { x: 20, y: 10 } });
  await expect(group).toHaveClass(/selected/);

  const zoomOut = designer.byTestId('canvas-zoom-out');
  while ((await designer.canvasZoom()) >= 0.5) {
    await zoomOut.click();
    await designer.settleCanvas();
  }
  const zoom = await designer.canvasZoom();
  await expect.poll(() => labels.evaluateAll((all) => all.filter((l) => l.getClientRects().length > 0).length)).toBe(0);

  // On screen, the name is at least 8 px high and the selection's frame at least 2 px thick.
  const drawn = await group.evaluate((el) => {
    const name = getComputedStyle(el, '::after');
    return { text: name.content, size: parseFloat(name.fontSize), frame: parseFloat(getComputedStyle(el).outlineWidth) };
  });
  expect(drawn.text).toBe(`"${name}"`);
  expect(drawn.size * zoom).toBeGreaterThanOrEqual(8);
  expect(drawn.frame * zoom).toBeGreaterThanOrEqual(2);

  const zoomIn = designer.byTestId('canvas-zoom-in');
  while ((await designer.canvasZoom()) < 0.5) {
    await zoomIn.click();
    await designer.settleCanvas();
  }
  await expect(labels.first()).toBeVisible();
  expect(await labels.evaluateAll((all) => all.filter((l) => l.getClientRects().length === 0).length)).toBe(0);
});
