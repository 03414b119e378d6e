import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// With many hosts, the host tables give way: the analysis tabs stay in view and a list picks any host.

test('twenty hosts: Problems to Replay stay visible, and the host list opens any host table', async ({ designer, host }) => {
  const rows = Array.from({ length: 20 }, (_, i) => `w${i},host-${String(i).padStart(2, '0')},10.100.${i}.1,tier=web,img/web:1,http=tcp/8000`);
  const file = join(host.home, 'twenty-hosts.csv');
  writeFileSync(file, ['name,host,addresses,labels,image,ports', ...rows].join('\n') + '\n');

  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await designer.addGroup('web', 'tier=web');
  await designer.compile();

  for (const tab of ['problems-tab', 'trace-tab', 'matrix-tab', 'impact-tab', 'replay-tab']) {
    await expect(designer.byTestId(tab)).toBeInViewport();
  }
  await designer.byTestId('flow-host-picker').selectOption('host-17');
  await expect(designer.hostTab('host-17')).toHaveAttribute('aria-selected', 'true');
  await designer.byTestId('replay-tab').click();
  await expect(designer.byTestId('replay-choose')).toBeVisible();
});
