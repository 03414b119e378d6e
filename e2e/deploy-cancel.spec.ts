import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';
import { closeAll, openSockets, silentServer } from './support/silent-servers';
import type { RunningHost } from './support/web-host';

// Twenty hosts whose sshd never answers (loopback servers of the test's own, one per host, that
// accept and stay silent; hosts sharing one server would get two sessions at a time): the deploy
// holds eight of them connecting and queues the rest, and Cancel, pressed in a second window that
// took the deploy up, ends every one of them untouched. Needs no lab. The checks run within
// ssh2's 10 s handshake timeout, after which a connecting host fails; the connections a cancel
// or a stop ends are dropped at once, well before it.

const HOSTS = Array.from({ length: 20 }, (_, i) => `host-${String(i).padStart(2, '0')}`);

/** Configures `hosts`, host i behind the silent server on `ports[i]`, and deploys one group to them all. */
async function deployToSilentHosts(designer: DesignerPage, host: RunningHost, hosts: readonly string[], ports: readonly number[]): Promise<void> {
  await compileForSilentHosts(designer, host, hosts, ports);
  await designer.deploy();
}

/** Configures `hosts`, host i behind the server on `ports[i]`, and compiles one group of a workload on each. */
async function compileForSilentHosts(designer: DesignerPage, host: RunningHost, hosts: readonly string[], ports: readonly number[]): Promise<void> {
  const keyPath = join(host.home, 'id_rsa');
  writeFileSync(
    keyPath,
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey,
    { mode: 0o600 },
  );
  mkdirSync(join(host.home, 'config'), { recursive: true });
  // A bridge per host: hosts behind one server are separate switches there, as a deploy requires.
  const targets = hosts.map((h, i) => ({ host: h, address: '127.0.0.1', port: ports[i]!, user: 'root', auth: { kind: 'key', keyPath }, bridge: `br${i}` }));
  writeFileSync(join(host.home, 'config', 'hosts.json'), JSON.stringify({ hosts: targets }, null, 2) + '\n');
  const inventory = join(host.home, 'silent-hosts.csv');
  writeFileSync(inventory, ['name,host,addresses,labels', ...hosts.map((h, i) => `w${i},${h},10.100.${i}.1,tier=web`)].join('\n') + '\n');

  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.addGroup('web', 'tier=web');
  await designer.compile();
}

test('cancel from a second window ends queued and connecting hosts untouched, and frees them', async ({
  designer,
  host,
  page,
}) => {
  const silent = await Promise.all(HOSTS.map(() => silentServer()));
  try {
    await deployToSilentHosts(designer, host, HOSTS, silent.map((s) => s.port));

    await expect(designer.deployStatusesAt('connect')).toHaveCount(8);
    await expect(designer.deployStatusesAt('queued')).toHaveCount(12);
    await expect(designer.byTestId('deploy-why')).toContainText('0 ended, 8 in flight, 12 queued');
    // A queued host says what it waits for: here the deploy's own eight, each host having its server.
    await expect(designer.deployStatus('host-19')).toHaveAttribute('data-waiting', 'operation');
    await expect(designer.deployStatus('host-19')).toContainText('waiting: 8 hosts of this deploy in flight');

    // A window opened meanwhile takes the running deploy up, and may cancel it.
    const other = new DesignerPage(await page.context().newPage());
    await other.open(host.url);
    await expect(other.byTestId('deploy-cancel')).toHaveText('Cancel: stop hosts not yet applying');
    await other.byTestId('deploy-cancel').click();

    for (const window of [designer, other]) {
      await expect(window.deployStatusesAt('cancelled')).toHaveCount(20);
      await expect(window.byTestId('deploy-cancel')).toBeHidden();
    }
    // The eight connecting hosts' connections are dropped, not held to ssh2's 10 s handshake timeout.
    await expect.poll(() => openSockets(silent), { timeout: 5_000 }).toBe(0);
    // The hosts are free again: the window that compiled may deploy at once (the other has compiled nothing).
    await expect(designer.byTestId('deploy-button')).toBeEnabled();
    await expect(designer.deployStatus('host-00')).toContainText(
      'Cancelled while connecting: nothing was sent, so the switch keeps its previous flows.',
    );
    await expect(designer.deployStatus('host-19')).toContainText('Cancelled before it started');
    await designer.screenshot('deploy-cancelled');
  } finally {
    await closeAll(silent);
  }
});

test('hosts behind one SSH server that has its two sessions say they wait for that server, though the deploy has room', async ({ designer, host }) => {
  const silent = await silentServer();
  const hosts = HOSTS.slice(0, 4);
  try {
    await deployToSilentHosts(designer, host, hosts, hosts.map(() => silent.port));

    // The deploy dialog's read of the deployed flows, which held the server's two sessions, stopped when Deploy was pressed.
    await expect(designer.deployStatusesAt('connect')).toHaveCount(2);
    for (const queued of ['host-02', 'host-03']) {
      await expect(designer.deployStatus(queued)).toHaveAttribute('data-waiting', 'server');
      await expect(designer.deployStatus(queued)).toContainText(`flows to apply; waiting: 2 SSH sessions already open to 127.0.0.1:${silent.port}`);
    }
    await designer.byTestId('deploy-cancel').click();
    await expect(designer.deployStatusesAt('cancelled')).toHaveCount(4);
  } finally {
    await closeAll([silent]);
  }
});

test("the deploy dialog's read of a silent server can be stopped: it says which hosts went unread and why, and frees their sessions", async ({ designer, host }) => {
  const silent = await silentServer();
  // A port nothing listens on: that host's read fails at once.
  const refused = await silentServer();
  await closeAll([refused]);
  const hosts = HOSTS.slice(0, 3);
  try {
    await compileForSilentHosts(designer, host, hosts, [silent.port, silent.port, refused.port]);
    await designer.byTestId('deploy-button').click();
    await expect(designer.byTestId('deploy-impact')).toContainText('A host that does not answer holds this up to 10 seconds');

    await designer.byTestId('deploy-impact-stop').click();
    // Well before ssh2's 10 s handshake timeout, which would otherwise end the read.
    const unread = designer.byTestId('unread-host');
    await expect(unread).toHaveCount(3, { timeout: 5_000 });
    await expect(designer.byTestId('unread-hosts')).toContainText('3 hosts could not be read, so what the drawing changes there is not shown');
    await expect(unread.nth(0)).toHaveText(`host-00 (root@127.0.0.1:${silent.port}): the read was stopped before this host answered`);
    await expect(unread.nth(1)).toHaveText(`host-01 (root@127.0.0.1:${silent.port}): the read was stopped before this host answered`);
    await expect(unread.nth(2)).toContainText(`host-02 (root@127.0.0.1:${refused.port}): Could not connect to root@127.0.0.1:${refused.port}`);
    // With no host read, the impact list says nothing was compared, not that nothing changes.
    await expect(designer.byTestId('impact-none')).toHaveText('Nothing could be compared, because no host was read.');
    // The stopped reads' connections are dropped too, not held to the handshake timeout.
    await expect.poll(() => openSockets([silent]), { timeout: 5_000 }).toBe(0);

    // The silent server's two sessions are free: both its hosts connect at once.
    await designer.byTestId('deploy-confirm').click();
    await expect(designer.deployStatusesAt('connect')).toHaveCount(2, { timeout: 5_000 });
    await designer.byTestId('deploy-cancel').click();
    await expect(designer.deployStatusesAt('cancelled')).toHaveCount(2);
  } finally {
    await closeAll([silent]);
  }
});

test('the deploy dialog opened again reads the hosts again, rather than showing the last opening\'s stopped read', async ({ designer, host }) => {
  const silent = await silentServer();
  try {
    await compileForSilentHosts(designer, host, HOSTS.slice(0, 1), [silent.port]);
    await designer.byTestId('deploy-button').click();
    await designer.byTestId('deploy-impact-stop').click();
    await expect(designer.byTestId('unread-host')).toHaveText(`host-00 (root@127.0.0.1:${silent.port}): the read was stopped before this host answered`);
    await designer.closeDeployDialog();

    // Checked within ssh2's 10 s handshake timeout, which would end the new read with an answer of its own.
    await designer.byTestId('deploy-button').click();
    await expect(designer.byTestId('deploy-impact-stop')).toBeVisible({ timeout: 5_000 });
    await expect(designer.byTestId('unread-host')).toHaveCount(0);
    await designer.closeDeployDialog();
  } finally {
    await closeAll([silent]);
  }
});

test('closing the deploy dialog ends its comparison, not only its read of the hosts', async ({ designer, host, page }) => {
  const silent = await silentServer();
  try {
    await compileForSilentHosts(designer, host, HOSTS.slice(0, 1), [silent.port]);
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/analysis:impact'));
    await designer.byTestId('deploy-button').click();
    await expect(designer.byTestId('deploy-impact-stop')).toBeVisible();
    await designer.closeDeployDialog();

    // Within ssh2's 10 s handshake timeout: a stop of the read alone would answer with the host unread.
    expect(await (await answer).json()).toMatchObject({ ok: false, error: { code: 'stopped' } });
    await expect.poll(() => openSockets([silent]), { timeout: 5_000 }).toBe(0);
    // Nobody waited for that answer: its stop is no failure to report.
    await expect(designer.byTestId('error-notice')).toHaveCount(0);
  } finally {
    await closeAll([silent]);
  }
});
