import { expect, test } from './support/fixtures';

// The canvas's modifier keys: React Flow's multi-selection key (Ctrl) still works, and pressing it
// costs nothing per edge (with 5,000 edges each press had taken a third of a second).

test('Ctrl+click on the selected group takes it out of the selection; a plain click keeps it', async ({
  designer,
  host,
}) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');

  await designer.group('web').click({ position: { x: 20, y: 10 } });
  await expect(designer.byTestId('group-name-input')).toHaveValue('web');
  await designer.group('web').click({ position: { x: 20, y: 10 } });
  await expect(designer.byTestId('group-name-input')).toHaveValue('web');

  await designer.group('app').click({ position: { x: 20, y: 10 }, modifiers: ['Control'] });
  await expect(designer.byTestId('group-name-input')).toHaveValue('app');
  await expect(designer.group('app')).toHaveClass(/selected/);
  await designer.group('app').click({ position: { x: 20, y: 10 }, modifiers: ['Control'] });
  await expect(designer.group('app')).not.toHaveClass(/selected/);
  await expect(designer.byTestId('group-name-input')).toHaveCount(0);
});

test('a Ctrl press looks nothing up in the page per edge label', async ({ designer, host, page }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  // Edges are drawn once the router (a worker) answers: wait for both of the example's, and a
  // frame more, so no answer arriving during the press is counted as the press's own lookups.
  const labels = 2;
  await expect(page.getByTestId('edge-label')).toHaveCount(labels);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done))));

  await page.evaluate(() => {
    const lookUp = Object.getOwnPropertyDescriptor(Element.prototype, 'querySelector')!.value as (
      this: Element,
      s: string,
    ) => Element | null;
    const counter = window as unknown as { lookups: number };
    counter.lookups = 0;
    Element.prototype.querySelector = function (this: Element, selectors: string): Element | null {
      counter.lookups++;
      return lookUp.call(this, selectors);
    };
  });
  await page.keyboard.down('Control');
  await page.keyboard.up('Control');
  // React Flow's store takes the key at once; a frame later any re-render is done too.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done))));

  const lookups = await page.evaluate(() => (window as unknown as { lookups: number }).lookups);
  expect(lookups).toBeLessThan(labels);
});
