import { existsSync, readFileSync, rmSync } from 'node:fs';
import { expect, test } from './support/fixtures';

// Saving: the drawing is checked and printed as YAML in a worker, off the page's thread. A
// drawing with errors is refused with its errors listed; a save changes nothing on the canvas.

test('Ctrl+S refuses a drawing with errors, then writes it once fixed; the canvas stays as it was', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);

  // A default that redirects to no honeypot: an error, so the file would not open again.
  await designer.byTestId('settings-between-groups').selectOption('redirect');
  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('file-errors')).toContainText('Not saved');
  await expect(designer.byTestId('file-error')).toContainText('MS131');
  expect(readFileSync(file, 'utf8')).toContain('revision: 1');
  await expect(designer.byTestId('policy-dirty')).toBeVisible();

  await designer.byTestId('settings-between-groups').selectOption('reject');
  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  await expect(designer.byTestId('file-errors')).toHaveCount(0);
  const saved = readFileSync(file, 'utf8');
  expect(saved).toContain('revision: 2');
  expect(saved).toContain('betweenGroups: reject');
  expect(saved).toContain('- name: web');

  await expect(designer.group('web')).toBeVisible();
  await expect(designer.edge('web-to-app')).toBeVisible();
});

test('Save asks before creating the open file again once it was deleted, and Save as takes another spelling of it as the same file', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);

  rmSync(file);
  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('confirm-modal')).toContainText(`${file} was deleted or moved outside the designer`);
  await designer.byTestId('confirm-cancel').click();
  expect(existsSync(file)).toBe(false);
  await designer.page.keyboard.press('Control+s');
  await designer.byTestId('confirm-accept').click();
  await expect.poll(() => existsSync(file)).toBe(true);

  // The file is as the designer last wrote it: saving it again under another spelling asks nothing.
  await designer.byTestId('policy-save-as').click();
  await designer.byTestId('path-input').fill(file.replace(/\/shop\.yaml$/, '//./shop.yaml'));
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('policy-path')).toHaveText(file);
  await expect(designer.byTestId('confirm-modal')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toContain('revision: 3');
});
