import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures';

// Undo and redo of the drawing: buttons and shortcuts, a drag as one step, and a text field
// keeping its own undo while it has the focus.

test('undo and redo of new groups, a drag and an edge, by button and by shortcut', async ({ designer, host }) => {
  const undo = designer.byTestId('policy-undo');
  const redo = designer.byTestId('policy-redo');
  await designer.open(host.url);
  await expect(undo).toBeDisabled();
  await expect(redo).toBeDisabled();

  await designer.addGroup('web', 'tier=web');
  await designer.addGroup('app', 'tier=app');
  await designer.addEdge('web', 'app', 'tcp/8080');
  await expect(designer.edge('web-to-app')).toBeVisible();
  await expect(undo).toBeEnabled();

  // However many positions a drag passes through, one undo puts the group back.
  const before = await designer.groupBox('web');
  await designer.dragGroup('web', 120, 160);
  expect(await designer.groupBox('web')).not.toEqual(before);
  await designer.page.locator('.react-flow__pane').click({ position: { x: 20, y: 400 } });
  await designer.page.keyboard.press('Control+z');
  await expect.poll(() => designer.groupBox('web')).toEqual(before);
  await expect(redo).toBeEnabled();

  await undo.click();
  await expect(designer.edge('web-to-app')).toHaveCount(0);
  await designer.page.keyboard.press('Control+z');
  await expect(designer.group('app')).toHaveCount(0);

  await designer.page.keyboard.press('Control+Shift+z');
  await expect(designer.group('app')).toBeVisible();
  await designer.page.keyboard.press('Control+y');
  await expect(designer.edge('web-to-app')).toBeVisible();
  await redo.click();
  await expect.poll(() => designer.groupBox('web')).not.toEqual(before);
  await expect(redo).toBeDisabled();

  // While the user types, Ctrl+Z belongs to the field, not to the drawing.
  await designer.byTestId('add-group').click();
  await designer.byTestId('group-name-input').fill('db');
  await designer.byTestId('group-name-input').press('Control+z');
  await expect(designer.group('app')).toBeVisible();
  await expect(designer.edge('web-to-app')).toBeVisible();
});

test('an undone rename shows the old name in the inspector, and opening a file starts a new history', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.addGroup('web', 'tier=web');
  await designer.group('web').click();
  await designer.byTestId('group-selector-input').fill('tier=frontend');
  await designer.byTestId('group-save').click();
  await expect(designer.group('web')).toContainText('tier=frontend');

  await designer.page.locator('.react-flow__pane').click({ position: { x: 20, y: 400 } });
  await designer.group('web').click();
  await designer.byTestId('policy-undo').click();
  await expect(designer.group('web')).toContainText('tier=web');
  await expect(designer.byTestId('group-selector-input')).toHaveValue('tier=web');

  await designer.byTestId('policy-new').click();
  await designer.byTestId('discard-confirm').click();
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
});

test('a dialog waiting for its answer: Ctrl+S, Ctrl+Z and Ctrl+Enter do nothing behind it', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  await designer.byTestId('settings-dhcp').check();

  await designer.group('web').click();
  await designer.page.keyboard.press('Delete');
  await expect(designer.byTestId('confirm-modal')).toBeVisible();
  for (const key of ['Control+s', 'Control+z', 'Control+Enter']) await designer.page.keyboard.press(key);
  await expect(designer.byTestId('confirm-modal')).toBeVisible();
  expect(readFileSync(file, 'utf8')).toContain('revision: 1');
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await expect(designer.byTestId('policy-undo')).toBeEnabled();
  await expect(designer.page.getByText('Not compiled yet')).toBeVisible();

  await designer.byTestId('confirm-cancel').click();
  await expect(designer.group('web')).toBeVisible();
});
