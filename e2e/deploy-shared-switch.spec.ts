import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';
import { closeAll, silentServer } from './support/silent-servers';

// A hosts.json edited by hand so that two hosts reach one switch: the deploy question leaves them
// out, naming both and what to do, rather than offering a deploy the service refuses. Needs no
// lab: the two hosts are never connected to (their address is from the documentation range), and
// the third is a silent loopback server of this test's own, whose read the dialog stops on closing.

test('the deploy question leaves out two hosts whose targets reach one switch, and says what to do', async ({ designer, host }) => {
  const silent = await silentServer();
  try {
    const shared = { address: '192.0.2.10', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br-int' };
    const hosts = [
      { host: 'host-a', ...shared },
      // Another spelling of the same switch.
      { host: 'host-b', ...shared, address: '192.0.2.10.' },
      { host: 'host-c', address: '127.0.0.1', port: silent.port, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' },
    ];
    mkdirSync(join(host.home, 'config'), { recursive: true });
    writeFileSync(join(host.home, 'config', 'hosts.json'), JSON.stringify({ hosts }, null, 2) + '\n');
    const inventory = join(host.home, 'three-hosts.csv');
    writeFileSync(inventory, ['name,host,addresses,labels', 'wa,host-a,10.100.0.1,tier=web', 'wb,host-b,10.100.1.1,tier=web', 'wc,host-c,10.100.2.1,tier=web'].join('\n') + '\n');

    await designer.open(host.url);
    await designer.openInventoryFile(inventory);
    await designer.addGroup('web', 'tier=web');
    await designer.compile();

    await expect(designer.hostRow('host-a').getByTestId('host-shared-switch')).toContainText('Hosts "host-a" and "host-b" have targets that reach one switch');
    await expect(designer.hostRow('host-c').getByTestId('host-shared-switch')).toHaveCount(0);

    await designer.byTestId('deploy-button').click();
    const note = designer.byTestId('deploy-shared-switch');
    await expect(note).toContainText('Hosts "host-a" and "host-b"');
    await expect(note).toContainText('Hosts "host-b" and "host-a"');
    await expect(note).toContainText('Edit target to give one of them a switch of its own, or Forget target');
    await expect(designer.byTestId('deploy-plan-row')).toHaveCount(1);
    await expect(designer.byTestId('deploy-plan-row')).toHaveAttribute('data-host', 'host-c');
    await expect(designer.byTestId('deploy-confirm')).toHaveText('Deploy to 1 host');
    await designer.closeDeployDialog();

    // A save the service refuses says why in words; its code is kept for support, out of the text.
    await designer.hostRow('host-a').getByTestId('host-configure').click();
    await designer.byTestId('host-save').click();
    const notice = designer.byTestId('error-notice');
    await expect(notice).toContainText('Host "host-b" already reaches the switch');
    await expect(notice).not.toContainText('bad-request');
    await expect(notice).toHaveAttribute('title', 'Error code for support: bad-request');

    // Parted, each host has its switch again and the question offers both.
    await designer.byTestId('host-bridge').fill('br-a');
    await designer.byTestId('host-save').click();
    await expect(notice).toHaveCount(0);
    await expect(designer.byTestId('host-shared-switch')).toHaveCount(0);
  } finally {
    await closeAll([silent]);
  }
});

test('hosts.json edited by hand while the app is open shows in the Hosts panel once the window has the focus again', async ({ designer, host }) => {
  const inventory = join(host.home, 'two-hosts.csv');
  writeFileSync(inventory, ['name,host,addresses,labels', 'wa,host-a,10.100.0.1,tier=web', 'wb,host-b,10.100.1.1,tier=web'].join('\n') + '\n');
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.addGroup('web', 'tier=web');
  await designer.compile();
  await expect(designer.byTestId('deploy-why')).toContainText('Configure an SSH target');

  // Never connected to: the address is from the documentation range.
  const target = { address: '192.0.2.10', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br-int' };
  mkdirSync(join(host.home, 'config'), { recursive: true });
  writeFileSync(join(host.home, 'config', 'hosts.json'), JSON.stringify({ hosts: [{ host: 'host-a', ...target }, { host: 'host-b', ...target }] }, null, 2) + '\n');
  // As when the user comes back from the editor the file was changed in.
  await designer.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(designer.hostRow('host-a').getByTestId('host-shared-switch')).toContainText('Hosts "host-a" and "host-b" have targets that reach one switch');
  await expect(designer.byTestId('deploy-why')).toContainText('shares its switch');
});
