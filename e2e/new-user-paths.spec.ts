import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

// What a new user meets first: settings that report every mistake, dialogs that say what they
// ask for, a reload that keeps the workloads, and buttons that say why they are disabled.

const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));

test('bad DNS resolvers are each named, reach Problems, and typing them is one undo step', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await expect(designer.group('web')).toBeVisible();

  await designer.byTestId('settings-dns').fill('10.0.0.53, 10.0.0.999, nonsense');
  const error = designer.byTestId('policy-settings').getByTestId('field-error');
  await expect(error).toContainText('"10.0.0.999"');
  await expect(error).toContainText('"nonsense"');

  await designer.byTestId('compile-button').click();
  await designer.byTestId('problems-tab').click();
  await expect(designer.byTestId('problem-row').filter({ hasText: 'MS121' })).toHaveCount(2);

  await designer.byTestId('settings-dns').blur();
  await designer.byTestId('policy-undo').click();
  await expect(designer.byTestId('settings-dns')).toHaveValue('');
  await expect(designer.byTestId('policy-undo')).toBeDisabled();
});

test('Replay asks for a connection log and offers the example one; Save as refuses a relative path', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();

  await designer.byTestId('replay-tab').click();
  await designer.byTestId('replay-choose').click();
  await expect(designer.byTestId('path-modal')).toContainText('connection log');
  await expect(designer.byTestId('path-modal')).not.toContainText('policy file');
  await designer.byTestId('path-example').filter({ hasText: 'connections.csv' }).click();
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('replay-summary')).toContainText('connections.csv');

  await designer.byTestId('policy-save-as').click();
  await designer.byTestId('path-input').fill('relative-shop.yaml');
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('path-problem')).toContainText('not a full path');
  await expect(designer.byTestId('path-problem')).toContainText('Type the full path');
  expect(existsSync('relative-shop.yaml')).toBe(false);
});

test('a reload opens the inventory again; Rollback without a backup and Deploy say why they are off', async ({ designer, host }) => {
  await designer.open(host.url);
  await expect(designer.byTestId('deploy-why')).toContainText('Compile first');
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await expect.poll(() => designer.memberCount('web')).toBe(2);

  await designer.page.reload();
  await expect(designer.byTestId('app-root')).toHaveAttribute('data-app-state', 'ready');
  await expect.poll(() => designer.memberCount('web')).toBe(2);

  await designer.compile();
  // Saving a target does not connect; the address is from the documentation range.
  const row = designer.hostRow('host-a');
  await row.getByTestId('host-configure').click();
  await designer.byTestId('host-address').fill('192.0.2.10');
  await designer.byTestId('host-user').fill('root');
  await designer.byTestId('host-bridge').fill('br-int');
  await designer.byTestId('host-save').click();
  await expect(row.getByTestId('rollback-button')).toBeDisabled();
  await expect(row.getByTestId('rollback-why')).toContainText('No backup');
});

test('Ask the real switches says which switch could not be asked and why, and claims no disagreement', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();
  // Nothing listens on port 1 of loopback: the connection is refused at once.
  await designer.configureHost('host-a', { address: '127.0.0.1', port: 1, user: 'root', keyPath: join(host.home, 'no-key'), bridge: 'br-int' });
  await designer.trace('web-1', 'app-1', 8080);
  await designer.byTestId('trace-switch').click();
  const result = designer.page.locator('[data-testid="trace-switch-result"][data-host="host-a"]');
  await expect(result).toHaveAttribute('data-agrees', 'unknown');
  await expect(result).toContainText('switch on host-a could not be asked: Could not read the SSH private key');
  await expect(result).not.toContainText('DISAGREES');
  await expect(designer.byTestId('error-notice')).toHaveCount(0);
});

test('a problem that names a group is reached by keyboard, and Enter shows the group', async ({ designer, host, page }) => {
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.addGroup('empty', 'tier=none');
  // Problems after the compile: a clean compile ends on the first host's table.
  await designer.compile();
  await designer.byTestId('problems-tab').click();

  await designer.group('web').click({ position: { x: 20, y: 10 } });
  await expect(designer.byTestId('inspector')).toHaveAttribute('aria-label', 'group web');
  const row = designer.byTestId('problem-row').filter({ hasText: 'MS201' });
  await row.focus();
  await expect(row).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(designer.byTestId('inspector')).toHaveAttribute('aria-label', 'group empty');
});

test('a what-if tab opened before the first compile compiles from its note, and then offers its own work', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await expect(designer.group('web')).toBeVisible();

  await designer.byTestId('matrix-tab').click();
  await expect(designer.byTestId('not-compiled')).toContainText('the matrix is computed from the compiled tables');
  await designer.byTestId('not-compiled-compile').click();
  await expect(designer.byTestId('not-compiled')).toHaveCount(0);
  await designer.byTestId('matrix-compute').click();
  await expect(designer.byTestId('matrix-heat-map')).toBeVisible();
});

test('a problem with a policy setting, picked in Problems, shows that setting in the inspector with the focus in it', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.byTestId('settings-between-groups').selectOption('redirect');
  await designer.byTestId('settings-dns').fill('10.0.0.999');
  await designer.byTestId('compile-button').click();
  await designer.byTestId('problems-tab').click();

  // A group selected meanwhile: the row has to bring the settings back in its place.
  await designer.group('web').click({ position: { x: 20, y: 10 } });
  await expect(designer.byTestId('inspector')).toHaveAttribute('aria-label', 'group web');
  await designer.byTestId('problem-row').filter({ hasText: 'MS131' }).click();
  await expect(designer.byTestId('settings-redirect')).toBeFocused();

  const dns = designer.byTestId('problem-row').filter({ hasText: 'MS121' });
  await dns.focus();
  await designer.page.keyboard.press('Enter');
  await expect(designer.byTestId('settings-dns')).toBeFocused();
});

// A newcomer's defect: a compile with no workloads said "0 flows on 0 hosts" and "No problems.", and the
// Hosts panel asked for an SSH target "for at least one compiled host" when there was none.
test('a compile with no workloads says to open a source with workloads and add groups, in Problems and the Hosts panel', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.byTestId('compile-button').click();
  await expect(designer.byTestId('flow-count-total')).toHaveText('0');
  await expect(designer.byTestId('problem-row').filter({ hasText: 'MS207' })).toContainText('the inventory has no workloads');
  await expect(designer.byTestId('problem-row').filter({ hasText: 'MS207' })).toContainText('add groups that select them');
  await expect(designer.byTestId('deploy-why')).toHaveText(
    'The compile gave no host a table, as no workload of the inventory runs on a host: open an inventory source with workloads, add groups that select them and compile again.',
  );
});
