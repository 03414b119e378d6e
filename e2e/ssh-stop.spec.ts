import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';
import { closeAll, openSockets, silentServer, type SilentServer } from './support/silent-servers';
import type { RunningHost } from './support/web-host';

// The SSH work besides the deploy dialog's read that a silent host would hold up to ssh2's 10 s
// handshake timeout: reading switch ports, rolling back, asking the real switches, comparing with
// what the hosts run. Each has a Stop that drops the connection at once and says the work was
// stopped. The example's two hosts sit behind loopback servers of the test's own that accept and
// never speak; no lab is needed.
// The checks run within the handshake timeout, after which the work would end by itself.

const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
const HOSTS = ['host-a', 'host-b'];

/**
 * Puts each example host behind its silent server, with a backup to roll back to, then opens
 * the example and compiles it. Written before the page opens, which reads targets and backups.
 */
async function openWithSilentHosts(designer: DesignerPage, host: RunningHost, silent: readonly SilentServer[]): Promise<void> {
  const keyPath = join(host.home, 'id_rsa');
  const key = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  writeFileSync(keyPath, key.privateKey, { mode: 0o600 });
  mkdirSync(join(host.home, 'config'), { recursive: true });
  const targets = HOSTS.map((h, i) => ({ host: h, address: '127.0.0.1', port: silent[i]!.port, user: 'root', auth: { kind: 'key', keyPath }, bridge: 'br-int' }));
  writeFileSync(join(host.home, 'config', 'hosts.json'), JSON.stringify({ hosts: targets }, null, 2) + '\n');
  mkdirSync(join(host.home, 'data', 'backups'), { recursive: true });
  for (const h of HOSTS) writeFileSync(join(host.home, 'data', 'backups', `${h}.flows`), 'cookie=0x4d53000000000000, table=0, priority=0 actions=NORMAL\n');

  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();
}

test.describe('Stop on SSH work a silent host holds', () => {
  let silent: SilentServer[] = [];
  test.beforeEach(async () => {
    silent = await Promise.all(HOSTS.map(() => silentServer()));
  });
  test.afterEach(async () => {
    await closeAll(silent);
  });

  test('reading switch ports: Stop drops the connection and the row says the read was stopped', async ({ designer, host }) => {
    await openWithSilentHosts(designer, host, silent);
    const row = designer.page.locator('[data-testid="host-row"][data-host="host-a"]');

    await row.getByTestId('host-read-ports').click();
    await expect.poll(() => openSockets(silent)).toBe(1);
    await row.getByTestId('host-read-ports-stop').click();

    await expect(row.getByTestId('host-ports-read')).toHaveText('The read of the switch ports on host-a was stopped before the switch answered.', { timeout: 5_000 });
    await expect(row.getByTestId('host-ports-read')).toHaveAttribute('data-status', 'stopped');
    await expect.poll(() => openSockets(silent), { timeout: 5_000 }).toBe(0);
    await expect(row.getByTestId('host-read-ports-stop')).toHaveCount(0);
    await expect(row.getByTestId('host-read-ports')).toBeEnabled();
    await expect(designer.byTestId('error-notice')).toHaveCount(0);
  });

  test('rolling back: Stop while the switch is read drops the connection, and the row says nothing was rolled back', async ({ designer, host }) => {
    await openWithSilentHosts(designer, host, silent);
    const row = designer.page.locator('[data-testid="host-row"][data-host="host-b"]');

    await row.getByTestId('rollback-button').click();
    await expect.poll(() => openSockets(silent)).toBe(1);
    await row.getByTestId('rollback-stop').click();

    await expect(designer.deployStatus('host-b')).toHaveText('cancelled Stopped before the switch on host-b answered: nothing was rolled back, so it keeps its current flows.', { timeout: 5_000 });
    await expect.poll(() => openSockets(silent), { timeout: 5_000 }).toBe(0);
    await expect(row.getByTestId('rollback-stop')).toHaveCount(0);
    await expect(row.getByTestId('rollback-button')).toBeEnabled();
    await expect(designer.byTestId('confirm-accept')).toHaveCount(0);
    await expect(designer.byTestId('error-notice')).toHaveCount(0);
  });

  test('asking the real switches: one Stop drops every hop\'s connection, and each hop says it was stopped', async ({ designer, host }) => {
    await openWithSilentHosts(designer, host, silent);
    await designer.trace('web-1', 'app-2', 8080);

    await designer.byTestId('trace-switch').click();
    await expect.poll(() => openSockets(silent)).toBe(2);
    await designer.byTestId('trace-switch-stop').click();

    for (const h of HOSTS) {
      const result = designer.page.locator(`[data-testid="trace-switch-result"][data-host="${h}"]`);
      await expect(result).toHaveText(`switch on ${h} could not be asked: The trace on the switch of ${h} was stopped before the switch answered.`, { timeout: 5_000 });
      await expect(result).toHaveAttribute('data-agrees', 'unknown');
    }
    await expect.poll(() => openSockets(silent), { timeout: 5_000 }).toBe(0);
    await expect(designer.byTestId('trace-switch-stop')).toHaveCount(0);
    await expect(designer.byTestId('trace-switch')).toBeEnabled();
  });

  test('comparing with what the hosts run: Stop in the Impact tab drops the reads, and the tab says nothing of the comparison is shown', async ({ designer, host }) => {
    await openWithSilentHosts(designer, host, silent);
    await designer.byTestId('impact-tab').click();

    await designer.byTestId('impact-deployed').click();
    await expect.poll(() => openSockets(silent)).toBe(2);
    await designer.byTestId('impact-stop').click();

    // Not the deploy dialog's "show what was read": the whole comparison ends, with no half of it listed.
    await expect(designer.byTestId('impact-stopped')).toHaveText('Comparing with what the hosts run was stopped before it was complete; nothing of it is shown. Compare again', { timeout: 5_000 });
    await expect.poll(() => openSockets(silent), { timeout: 5_000 }).toBe(0);
    await expect(designer.byTestId('impact-result')).toHaveCount(0);
    await expect(designer.byTestId('impact-failure')).toHaveCount(0);
    await expect(designer.byTestId('error-notice')).toHaveCount(0);
    await expect(designer.byTestId('impact-again')).toBeEnabled();
  });

  test('asking the real switches: a question changed meanwhile drops the connections of the old one', async ({ designer, host }) => {
    await openWithSilentHosts(designer, host, silent);
    await designer.trace('web-1', 'app-2', 8080);

    await designer.byTestId('trace-switch').click();
    await expect.poll(() => openSockets(silent)).toBe(2);
    await designer.byTestId('trace-port').fill('8081');

    // Its answer and its Stop went with the old question; its connections go too.
    await expect(designer.byTestId('trace-switch-stop')).toHaveCount(0);
    await expect.poll(() => openSockets(silent), { timeout: 5_000 }).toBe(0);
  });
});
