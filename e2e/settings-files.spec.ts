import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// The app's own settings files, on files alone: one that is there but cannot be read is said in
// plain words, with what to do, where the app uses it. Needs no lab.

// QA's defect: the Hosts panel said "EISDIR: illegal operation on a directory, read".
test('a folder where hosts.json goes is said as such, with what to do, never in the system words', async ({ designer, host }) => {
  const hostsFile = join(host.home, 'config', 'hosts.json');
  mkdirSync(hostsFile, { recursive: true });
  await designer.open(host.url);

  const notice = designer.byTestId('error-notice').filter({ hasText: hostsFile }).first();
  await expect(notice).toContainText(`The SSH targets in ${hostsFile} cannot be read: it is a folder, not a file; move it away and configure the hosts anew under Hosts.`);
  await expect(designer.byTestId('error-notice').filter({ hasText: 'EISDIR' })).toHaveCount(0);
});
