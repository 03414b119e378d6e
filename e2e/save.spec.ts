import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';

// Saving: the drawing is checked and printed as YAML in a worker, off the page's thread. A
// drawing with errors is refused with its errors listed; a save changes nothing on the canvas.

/** The note on group web, above the group as named now. */
const webNoteAbove = (name: string): RegExp => new RegExp(`# Public entry: reviewed by J\\. Doe \\(SEC-41\\)\\n {2}- name: ${name}\\n`);

/** Saves with Ctrl+S and gives the file as written. */
async function saveAndRead(designer: DesignerPage, file: string): Promise<string> {
  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  return readFileSync(file, 'utf8');
}

/** Opens the shop copy `file` with a note on group web and one on edge web-to-app, as a reviewer wrote them. */
async function openWithNotes(designer: DesignerPage, file: string): Promise<void> {
  const annotated = readFileSync(file, 'utf8')
    .replace('  - name: web\n', '  # Public entry: reviewed by J. Doe (SEC-41)\n  - name: web\n')
    .replace(/( {2}- id: web-to-app)\n/, '$1 # opened for the checkout\n');
  writeFileSync(file, annotated);
  await designer.openFile(file);
}

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

test("the file's comments stay through canvas edits and the YAML view, each with its group or edge", async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  const annotated = readFileSync(file, 'utf8')
    .replace(/^#[^\n]*\n/, '# Shop policy, owned by the platform team.\n')
    .replace('  - name: web\n', '  # Public entry: reviewed by J. Doe (SEC-41)\n  - name: web\n')
    .replace(/( {2}- id: app-to-db)\n/, '$1 # the only way into the orders\n');
  writeFileSync(file, annotated);
  await designer.openFile(file);
  await expect(designer.group('web')).toBeVisible();

  await designer.byTestId('settings-between-groups').selectOption('reject');
  await designer.addGroup('ops', 'tier=ops');
  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  const saved = readFileSync(file, 'utf8');
  expect(saved.startsWith('# Shop policy, owned by the platform team.\n')).toBe(true);
  expect(saved).toMatch(/# Public entry: reviewed by J\. Doe \(SEC-41\)\n {2}- name: web\n/);
  expect(saved).toContain('- id: app-to-db # the only way into the orders\n');
  expect(saved).toContain('- name: ops');

  // A note added in the YAML view is no change to the drawing, but it is saved.
  await designer.showPolicyText();
  await designer.appendPolicyText('# reviewed again on Friday\n');
  await designer.byTestId('policy-text-apply').click();
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toContain('# reviewed again on Friday');
});

test('a group renamed in the inspector keeps its notes in the saved file, and gives them back when the rename is undone', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  await openWithNotes(designer, file);

  await designer.renameGroup('web', 'front');
  const saved = await saveAndRead(designer, file);
  expect(saved).toMatch(webNoteAbove('front'));
  expect(saved).toContain('- id: web-to-app # opened for the checkout\n    from: front\n');

  await designer.byTestId('policy-undo').click();
  await expect(designer.group('web')).toBeVisible();
  expect(await saveAndRead(designer, file)).toMatch(webNoteAbove('web'));
});

test('a group renamed in the YAML view keeps its notes in the saved file, and gives them back when the Apply is undone', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  await openWithNotes(designer, file);
  await expect(designer.group('web')).toBeVisible();

  // Renamed by hand: the group's name, then the end of the edge that names it.
  await designer.showPolicyText();
  await designer.retypePolicyText('name: web', 'name: front');
  await designer.retypePolicyText('from: web', 'from: front');
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');
  await designer.byTestId('policy-text-apply').click();
  await expect(designer.byTestId('policy-text-status')).toContainText('follows the drawing');
  const saved = await saveAndRead(designer, file);
  expect(saved).toMatch(webNoteAbove('front'));
  expect(saved).toContain('- id: web-to-app # opened for the checkout\n    from: front\n');

  // Undo takes the Apply back, and the group's notes come back with its name.
  await designer.byTestId('policy-undo').click();
  await expect(designer.policyTextLine('- name: web')).toBeVisible();
  expect(await saveAndRead(designer, file)).toMatch(webNoteAbove('web'));
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
  // The path shown was the file's already: wait for the write itself.
  await expect.poll(() => readFileSync(file, 'utf8')).toContain('revision: 3');
});

test('Save as keeps its dialog and the typed path when the path is refused, saying why there instead of in banners', async ({ designer, host }) => {
  await designer.openShopCopy(host.url, host.home);
  mkdirSync(join(host.home, 'dir'));
  writeFileSync(join(host.home, 'afile'), 'not a folder\n');
  const refused: [string, string][] = [
    [join(host.home, 'dir'), `Could not write ${join(host.home, 'dir')}: it is a folder, not a file; choose a file path`],
    [join(host.home, 'afile', 'x.yaml'), `${join(host.home, 'afile')} is a file, not a folder`],
    [join(host.home, 'nodir', 'x.yaml'), `its folder ${join(host.home, 'nodir')} does not exist; create it first`],
  ];

  await designer.byTestId('policy-save-as').click();
  await designer.expectPathsRefused(refused);

  // A path that can be written: the dialog closes and the file is the policy's now.
  const good = join(host.home, 'shop-2.yaml');
  await designer.byTestId('path-input').fill(good);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('path-modal')).toHaveCount(0);
  await expect(designer.byTestId('policy-path')).toHaveText(good);
  expect(existsSync(good)).toBe(true);
});

// A newcomer's defect: Open on a mistyped path closed the dialog on a banner, and the path had to be typed again.
test('Open keeps its dialog and the typed path when the file cannot be read, saying why there', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  const refused: [string, string][] = [
    [join(host.home, 'shpo.yaml'), `Could not read ${join(host.home, 'shpo.yaml')}: it does not exist`],
    [host.home, `Could not read ${host.home}: it is a folder, not a file`],
  ];

  await designer.byTestId('policy-open').click();
  await designer.expectPathsRefused(refused);

  // The path mended: the dialog closes on the file opened.
  await designer.byTestId('path-input').fill(file);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('path-modal')).toHaveCount(0);
  await expect(designer.byTestId('policy-path')).toHaveText(file);
});

test('Save as over the inventory file the designer has open says so before replacing it', async ({ designer, host }) => {
  const inventory = join(host.home, 'inventory.yaml');
  writeFileSync(inventory, readFileSync(fileURLToPath(new URL('../examples/three-tier-shop/inventory.yaml', import.meta.url))));
  await designer.openShopCopy(host.url, host.home);
  await designer.openInventoryFile(inventory);
  await expect(designer.workload('web-1')).toBeVisible();

  await designer.byTestId('policy-save-as').click();
  await designer.byTestId('path-input').fill(inventory);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('confirm-modal')).toContainText(`${inventory} is the inventory file open as a source`);
  await designer.byTestId('confirm-cancel').click();
  expect(readFileSync(inventory, 'utf8')).not.toContain('kind: Policy');
});
