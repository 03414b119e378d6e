import { expect, test } from './support/fixtures';

// The add forms over the canvas: quiet until the user types, and Escape cancels them.

test('Add group warns only after typing, and Escape closes the add forms', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.byTestId('add-group').click();
  await expect(designer.byTestId('group-name-input')).toBeFocused();
  await expect(designer.page.locator('.floating-form .form-warning')).toHaveCount(0);
  await designer.byTestId('group-name-input').fill('web');
  await expect(designer.page.locator('.floating-form .form-warning')).toContainText('empty selector');
  await designer.page.keyboard.press('Escape');
  await expect(designer.byTestId('group-name-input')).toHaveCount(0);

  await designer.addGroup('web', 'tier=web');
  await designer.byTestId('add-edge').click();
  await designer.byTestId('edge-services-input').fill('tcp/80');
  await designer.page.keyboard.press('Escape');
  await expect(designer.byTestId('edge-services-input')).toHaveCount(0);
});

test('at 1024×640 the add forms stay within the canvas, their buttons in reach, and no hint is written over them', async ({ designer, host, page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await designer.open(host.url);
  const canvas = (await page.locator('.canvas').boundingBox())!;
  const inCanvas = async (testId: string): Promise<boolean> => {
    const box = (await designer.byTestId(testId).boundingBox())!;
    return box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height && box.x + box.width <= canvas.x + canvas.width;
  };

  await expect(page.locator('.canvas-empty')).toBeVisible();
  await designer.byTestId('add-group').click();
  await expect(page.locator('.canvas-empty')).toHaveCount(0);
  const form = page.locator('.floating-form');
  const formBox = (await form.boundingBox())!;
  expect(formBox.y + formBox.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  // The form scrolls to its buttons, which are then on the canvas, not under the output panel.
  await designer.byTestId('group-save').scrollIntoViewIfNeeded();
  expect(await inCanvas('group-save')).toBe(true);
  await designer.byTestId('group-name-input').fill('web');
  await designer.byTestId('group-selector-input').fill('tier=web');
  await designer.byTestId('group-save').click();
  await expect(designer.group('web')).toBeVisible();

  await designer.byTestId('add-edge').click();
  await designer.byTestId('edge-save').scrollIntoViewIfNeeded();
  expect(await inCanvas('edge-save')).toBe(true);
});

test('at 1024×640 every group added lands in view, and the groups already in view stay there', async ({ designer, host, page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await designer.open(host.url);
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const inView = async (name: string): Promise<boolean> => {
    const box = (await designer.group(name).boundingBox())!;
    return box.x >= pane.x && box.y >= pane.y && box.x + box.width <= pane.x + pane.width && box.y + box.height <= pane.y + pane.height;
  };

  const added: string[] = [];
  for (const name of ['web', 'app', 'db', 'cache']) {
    await designer.addGroup(name, `tier=${name}`);
    added.push(name);
    for (const shown of added) {
      await expect.poll(() => inView(shown), { message: `${shown} is in view after adding ${name}` }).toBe(true);
    }
  }
});

test('closing an add form, by adding or by Escape, gives the focus back to the button that opened it', async ({ designer, host, page }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');

  await designer.byTestId('add-group').focus();
  await page.keyboard.press('Enter');
  await expect(designer.byTestId('group-name-input')).toBeFocused();
  await page.keyboard.type('ops');
  await page.keyboard.press('Tab');
  await page.keyboard.type('tier=ops');
  await page.keyboard.press('Enter');
  await expect(designer.group('ops')).toBeVisible();
  await expect(designer.byTestId('add-group')).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(designer.byTestId('group-name-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(designer.byTestId('group-name-input')).toHaveCount(0);
  await expect(designer.byTestId('add-group')).toBeFocused();

  await designer.byTestId('add-edge').focus();
  await page.keyboard.press('Enter');
  await designer.byTestId('edge-from-select').selectOption('ops');
  await designer.byTestId('edge-to-select').selectOption('web');
  await designer.byTestId('edge-services-input').fill('tcp/9100');
  await designer.byTestId('edge-services-input').press('Enter');
  await expect(designer.edge('ops-to-web')).toBeVisible();
  await expect(designer.byTestId('add-edge')).toBeFocused();
});

test('an edge drawn by hand opens the New edge form for its services: Escape leaves no edge, Add edge is one undo step', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await expect(designer.group('db')).toBeVisible();

  await designer.drawEdge('db', 'web');
  await expect(designer.byTestId('edge-services-input')).toBeFocused();
  await expect(designer.byTestId('edge-from-select')).toHaveValue('db');
  await expect(designer.byTestId('edge-to-select')).toHaveValue('web');
  await designer.page.keyboard.press('Escape');
  await expect(designer.byTestId('edge-services-input')).toHaveCount(0);
  await expect(designer.edge('db-to-web')).toHaveCount(0);
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);

  await designer.drawEdge('db', 'web');
  await designer.byTestId('edge-services-input').fill('tcp/9100');
  await designer.byTestId('edge-save').click();
  await expect(designer.edge('db-to-web')).toContainText('tcp/9100');
  await designer.byTestId('policy-undo').click();
  await expect(designer.edge('db-to-web')).toHaveCount(0);
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
});
