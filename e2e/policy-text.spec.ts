import { readFileSync } from 'node:fs';
import type { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';

// The YAML view: the drawing as the text Save writes, edited in Monaco, checked as the user
// types by the policy file's own parser, and applied as one step Undo takes back.

test('an edge added in the YAML: its error marked at its line, fixed, applied, undone', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.showPolicyText();
  await expect(designer.policyTextLine('id: web-to-app')).toBeVisible();
  await expect(designer.byTestId('policy-text-apply')).toBeDisabled();

  // A port out of range: the parser's diagnostic, as a marker on that line and in the list.
  await designer.appendPolicyText('  - { id: web-to-db, from: web, to: db, services: [tcp/99999], action: allow }\n');
  const problem = designer.policyTextProblem('MS114');
  await expect(problem).toBeVisible();
  await expect(designer.byTestId('policy-text-status')).toContainText('1 error');
  await expect(designer.byTestId('policy-text-apply')).toBeDisabled();
  await expect(designer.page.locator('.react-flow__pane')).toBeHidden();

  // The list takes the cursor to the place, where the marker underlines the bad service; the fix is typed there.
  await problem.click();
  const lineBox = await designer.policyTextLine('tcp/99999').boundingBox();
  expect(Math.abs((await designer.errorMarkerY()) - (lineBox!.y + lineBox!.height / 2))).toBeLessThan(lineBox!.height / 2);
  await designer.page.keyboard.press('Shift+End');
  await designer.page.keyboard.insertText('tcp/5432], action: allow }');
  await expect(designer.policyTextProblem('MS114')).toHaveCount(0);
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');

  // Switching away keeps the edit, and says it is there.
  await designer.showCanvas();
  await expect(designer.edge('web-to-db')).toHaveCount(0);
  await expect(designer.byTestId('policy-text-edited')).toBeVisible();
  await designer.showPolicyText();
  await designer.revealPolicyTextEnd();
  await expect(designer.policyTextLine('tcp/5432], action: allow }')).toBeVisible();

  // Ctrl+Enter in the editor applies; the text then follows the drawing again.
  await designer.policyTextLine('web-to-db').click();
  await designer.page.keyboard.press('Control+Enter');
  await expect(designer.byTestId('policy-text-status')).toContainText('follows the drawing');
  await expect(designer.byTestId('policy-text-edited')).toHaveCount(0);
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await designer.showCanvas();
  await expect(designer.edge('web-to-db')).toBeVisible();
  await expect(designer.edge('web-to-app')).toBeVisible();

  // One Undo takes the whole Apply back, and the text follows.
  await designer.byTestId('policy-undo').click();
  await expect(designer.edge('web-to-db')).toHaveCount(0);
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
  await designer.showPolicyText();
  await designer.revealPolicyTextEnd();
  await expect(designer.policyTextLine('id: app-to-db')).toBeVisible();
  await expect(designer.policyTextLine('web-to-db')).toHaveCount(0);
});

test('unapplied YAML edits are not overwritten when the drawing changes, nor lost on opening another policy', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.showCanvas();
  await designer.dragGroup('db', 0, 120);
  await designer.showPolicyText();
  await designer.appendPolicyText('  - { id: web-to-db, from: web, to: db, services: [tcp/5432] }\n');
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');

  // The drawing moves on under the edit: the text stays, and the view says so.
  await designer.byTestId('policy-undo').click();
  await expect(designer.byTestId('policy-text-stale')).toBeVisible();
  await designer.revealPolicyTextEnd();
  await expect(designer.policyTextLine('id: web-to-db')).toBeVisible();

  // New asks before the edit goes; keeping it keeps everything.
  await designer.byTestId('policy-new').click();
  await expect(designer.byTestId('discard-modal')).toContainText('YAML edits');
  await designer.byTestId('discard-cancel').click();
  await expect(designer.policyTextLine('id: web-to-db')).toBeVisible();

  // Revert drops it: the text is the drawing's again.
  await designer.byTestId('policy-text-revert').click();
  await expect(designer.policyTextLine('id: web-to-db')).toHaveCount(0);
  await expect(designer.byTestId('policy-text-stale')).toHaveCount(0);
});

test('Ctrl+Z in the editor right after Apply takes the Apply back; while typing it undoes the typing', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.showPolicyText();
  await designer.appendPolicyText('  - { id: web-to-db, from: web, to: db, services: [tcp/5432], action: allow }\n');
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');
  await designer.page.keyboard.press('Control+Enter');
  await expect(designer.byTestId('policy-text-status')).toContainText('follows the drawing');
  await expect(designer.byTestId('policy-undo')).toBeEnabled();

  // The focus stays in the editor, whose own history the Apply ended: the key reaches the drawing's.
  expect(await designer.holdsFocus(designer.policyTextEditor())).toBe(true);
  await designer.page.keyboard.press('Control+z');
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
  await expect(designer.byTestId('policy-text-status')).toContainText('follows the drawing');
  await designer.revealPolicyTextEnd();
  await expect(designer.policyTextLine('web-to-db')).toHaveCount(0);
  await designer.page.keyboard.press('Control+Shift+z');
  await expect(designer.byTestId('policy-undo')).toBeEnabled();
  await expect(designer.policyTextLine('web-to-db')).toBeVisible();

  // Typing is the editor's to undo, word by word, and the drawing stays as it is.
  await designer.appendPolicyText('# a note');
  const status = designer.byTestId('policy-text-status');
  await expect(status).toContainText('not applied');
  for (let i = 0; i < 5 && !(await status.textContent())?.includes('follows the drawing'); i++) {
    await designer.page.keyboard.press('Control+z');
    await expect(status).not.toContainText('Checking');
  }
  await expect(status).toContainText('follows the drawing');
  await expect(designer.policyTextLine('# a note')).toHaveCount(0);
  await expect(designer.byTestId('policy-undo')).toBeEnabled();
  await designer.showCanvas();
  await expect(designer.edge('web-to-db')).toBeVisible();
});

test('unsaved changes and unapplied YAML edits together: New asks once, naming both', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.byTestId('settings-dhcp').check();
  await expect(designer.byTestId('policy-dirty')).toBeVisible();
  await designer.showPolicyText();
  await designer.appendPolicyText('  - { id: web-to-db, from: web, to: db, services: [tcp/5432] }\n');
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');

  await designer.byTestId('policy-new').click();
  const question = designer.byTestId('discard-modal');
  await expect(question).toContainText('has changes that are not saved');
  await expect(question).toContainText('the YAML view has edits that are not applied');
  await designer.byTestId('discard-confirm').click();

  // One yes is enough: no second question, and both are gone.
  await expect(designer.byTestId('policy-path')).toHaveText('not saved yet');
  await expect(question).toHaveCount(0);
  await expect(designer.byTestId('confirm-modal')).toHaveCount(0);
  await expect(designer.byTestId('policy-text-edited')).toHaveCount(0);
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
});

test('the view not shown takes no keys: Tab from the YAML tab goes into the editor, never to groups hidden behind it', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.showPolicyText();

  // React Flow keeps its nodes visible and focusable under the YAML view; there Enter would
  // select a group no one sees, the arrows move it and Delete remove it.
  await designer.byTestId('view-yaml').focus();
  await designer.page.keyboard.press('Tab');
  expect(await designer.holdsFocus(designer.policyTextEditor())).toBe(true);
  expect(await designer.holdsFocus(designer.group('web'))).toBe(false);

  // And the other way round: from the Canvas tab, Tab reaches the canvas, not the hidden editor.
  await designer.showCanvas();
  await designer.byTestId('view-canvas').focus();
  for (let i = 0; i < 8; i++) {
    await designer.page.keyboard.press('Tab');
    expect(await designer.holdsFocus(designer.policyTextEditor())).toBe(false);
  }
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
});

test('Ctrl+S in the YAML editor applies the text and saves it: the file is what the view showed', async ({ designer, host }) => {
  const file = await editExampleFile(designer, host.home, host.url, '  - { id: web-to-db, from: web, to: db, services: [tcp/5432], action: log }\n');

  await designer.page.keyboard.press('Control+s');
  await expect(designer.byTestId('policy-dirty')).toHaveCount(0);
  await expect(designer.byTestId('policy-text-status')).toContainText('follows the drawing');
  const saved = readFileSync(file, 'utf8');
  expect(saved).toMatch(/id: web-to-db\n\s+from: web\n\s+to: db\n\s+services: \[tcp\/5432\]\n\s+action: log\n/);
  expect(saved).toContain('revision: 2');
  await designer.showCanvas();
  await expect(designer.edge('web-to-db')).toBeVisible();
});

test('saving the drawing without the YAML edits keeps them, and does not say the drawing changed under them', async ({ designer, host }) => {
  const file = await editExampleFile(designer, host.home, host.url, '  - { id: web-to-db, from: web, to: db, services: [tcp/5432] }\n');

  // Save from the toolbar asks, then writes the drawing as it is: only its revision moves on.
  await designer.byTestId('policy-save').click();
  await expect(designer.byTestId('confirm-modal')).toContainText('Save without the YAML edits?');
  await designer.byTestId('confirm-accept').click();
  await expect.poll(() => readFileSync(file, 'utf8')).toContain('revision: 2');
  expect(readFileSync(file, 'utf8')).not.toContain('web-to-db');
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');
  await expect(designer.byTestId('policy-text-stale')).toHaveCount(0);

  // A real change under the edits still says so.
  await designer.byTestId('settings-dhcp').check();
  await expect(designer.byTestId('policy-text-stale')).toBeVisible();
});

/** The example policy copied to a file of its own, opened, and `edgeLine` added to its edges in the YAML view, not applied; returns the file. */
async function editExampleFile(designer: DesignerPage, home: string, url: string, edgeLine: string): Promise<string> {
  const file = await designer.openShopCopy(url, home);
  await designer.showPolicyText();
  await designer.appendPolicyText(edgeLine);
  await expect(designer.byTestId('policy-text-status')).toContainText('not applied');
  return file;
}

test('the canvas hidden behind the YAML catches up when shown: a policy opened meanwhile is drawn and fitted', async ({ designer, host, page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await designer.open(host.url);
  await designer.addGroup('a', 'tier=a');
  await designer.addGroup('b', 'tier=b');
  await designer.showPolicyText();
  await page.locator('[data-testid="open-example"][data-example="three-tier-shop"]').first().click();
  await designer.byTestId('discard-confirm').click();
  await expect(designer.byTestId('policy-path')).toContainText('three-tier-shop/policy.yaml');

  await designer.showCanvas();
  await expect(designer.group('a')).toHaveCount(0);
  const pane = (await page.locator('.react-flow').boundingBox())!;
  for (const name of ['web', 'app', 'db']) {
    await expect
      .poll(async () => {
        const box = (await designer.group(name).boundingBox())!;
        return box.x >= pane.x && box.y >= pane.y && box.x + box.width <= pane.x + pane.width && box.y + box.height <= pane.y + pane.height;
      }, { message: `${name} is in view` })
      .toBe(true);
  }
});

test('the YAML is printed off the page: until the printer answers, the editor waits read-only under a note, and typing makes no draft', async ({ designer, host, page }) => {
  // The printer is a worker: held back at its script, it cannot answer until the test lets it.
  let letGo = (): void => {};
  const held = new Promise<void>((resolve) => (letGo = resolve));
  await page.route(/policy-file\.worker[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  // A default that redirects to no honeypot: an error the text read back in the worker must mark.
  await designer.byTestId('settings-between-groups').selectOption('redirect');

  await designer.byTestId('view-yaml').click();
  await expect(designer.byTestId('policy-text-printing')).toContainText('Writing the drawing as YAML');
  await expect(designer.policyTextEditor().locator('.view-lines')).toBeVisible();
  await designer.policyTextEditor().locator('.view-lines').click();
  await page.keyboard.insertText('groups: []\n');
  await expect(designer.byTestId('policy-text-edited')).toHaveCount(0);
  await expect(designer.policyTextLine('groups: []')).toHaveCount(0);

  letGo();
  await expect(designer.byTestId('policy-text-printing')).toHaveCount(0);
  await expect(designer.policyTextLine('id: web-to-app')).toBeVisible();
  await expect(designer.byTestId('policy-text-status')).toContainText('follows the drawing');
  await expect(designer.policyTextProblem('MS131')).toBeVisible();
  await designer.appendPolicyText('# a note\n');
  await expect(designer.byTestId('policy-text-edited')).toBeVisible();
  await expect(designer.byTestId('policy-text-status')).toContainText('1 error');
});

test('Ctrl+S in the YAML view with errors says it saved nothing, where the first error is, and what to do', async ({ designer, host }) => {
  const file = await designer.openShopCopy(host.url, host.home);
  await designer.showPolicyText();
  await designer.appendPolicyText('  - { id: web-to-db, from: web, to: db, services: [tcp/99999], action: allow }\n');
  await expect(designer.policyTextProblem('MS114')).toBeVisible();
  const line = await designer.policyTextProblem('MS114').getAttribute('data-line');

  await designer.page.keyboard.press('Control+s');
  const refused = designer.byTestId('policy-text-refused');
  await expect(refused).toContainText('Not saved');
  await expect(refused).toContainText(`line ${line}`);
  await expect(refused).toContainText('MS114');
  await expect(refused).toContainText('Revert');
  expect(readFileSync(file, 'utf8')).not.toContain('web-to-db');

  // Once the text changes, the refusal is about a text no longer shown: it goes.
  await designer.byTestId('policy-text-revert').click();
  await expect(refused).toHaveCount(0);
});
