import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, ipOf, ourFlowCount, redirectedTo } from './support/lab';
import { expect, test } from './support/fixtures';

// A redirect edge with real packets: web's connections to db on 5432 land on the honeypot
// (app1) instead, which the switch's own conntrack table confirms.

test('a redirect edge sends the connection to the honeypot', async ({ designer, host, lab }) => {
  const path = join(host.home, 'trap.yaml');
  writeFileSync(
    path,
    [
      'apiVersion: microseg.dev/v1',
      'kind: Policy',
      'metadata: { name: trap, revision: 1 }',
      'groups:',
      '  - { name: web, selector: { labels: tier=web } }',
      '  - { name: db, selector: { labels: tier=db } }',
      'edges:',
      '  - { id: trap-db, from: web, to: db, services: [tcp/5432], action: redirect, redirectTo: app1 }',
      '',
    ].join('\n'),
  );

  await designer.open(host.url);
  await designer.chooseSource(`docker:${lab.dockerContext}`);
  await expect(designer.workload('app1')).toBeVisible();
  await designer.openFile(path);
  await expect(designer.edge('trap-db')).toContainText('redirect');
  await designer.compile();
  await designer.configureHost(lab.hostName, { address: lab.ssh.host, port: lab.ssh.port, user: lab.ssh.user, keyPath: lab.ssh.keyPath, bridge: lab.bridge });
  await designer.deploy();
  await expect(designer.deployStatus(lab.hostName)).toHaveAttribute('data-status', 'applied', { timeout: 60_000 });

  expect(canConnect('web1', ipOf(lab, 'db1'), 5432), 'the redirected connection is answered').toBe(true);
  expect(redirectedTo(lab, ipOf(lab, 'web1'), ipOf(lab, 'db1'), 5432), 'who answered it').toBe(ipOf(lab, 'app1'));
  expect(canConnect('web1', ipOf(lab, 'db1'), 80), 'other ports stay dropped').toBe(false);
  await designer.screenshot('10-redirect');

  await designer.rollback(lab.hostName);
  await expect.poll(() => ourFlowCount(lab)).toBe(0);
});
