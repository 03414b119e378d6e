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
