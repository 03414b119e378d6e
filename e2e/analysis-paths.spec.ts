import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDualStackFiles } from './support/dual-stack';
import { expect, test } from './support/fixtures';

// The what-if tester's defect: Compare with a saved version and Replay closed their dialog on a
// mistyped path, the failure shown in the panel or a banner and the path to be typed again; Open
// kept its dialog, the path and the reason under it.

test('Compare with a saved version and Replay keep their dialog and the typed path when the file cannot be read, saying why there', async ({ designer, host }) => {
  const { inventory, policy } = writeDualStackFiles(host.home, ['web-1,h1,10.0.0.1,tier=web', 'app-1,h2,10.0.0.2,tier=app']);
  const log = join(host.home, 'connections.csv');
  writeFileSync(log, 'from,to,protocol,port\nweb-1,app-1,tcp,8080\n');
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.compile();
  const unreadable = (name: string): [string, string][] => [
    [join(host.home, name), `Could not read ${join(host.home, name)}: it does not exist`],
    [host.home, `Could not read ${host.home}: it is a folder, not a file`],
  ];

  await designer.byTestId('impact-tab').click();
  await designer.byTestId('impact-file').click();
  await designer.expectPathsRefused(unreadable('dual-stak.yaml'), async () => {
    await expect(designer.byTestId('impact-failure')).toHaveCount(0);
  });
  await designer.byTestId('path-input').fill(policy);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('path-modal')).toHaveCount(0);
  await expect(designer.byTestId('impact-baseline')).toContainText(policy);

  await designer.byTestId('replay-tab').click();
  await designer.byTestId('replay-choose').click();
  await designer.expectPathsRefused(unreadable('conections.csv'));
  await designer.byTestId('path-input').fill(log);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('path-modal')).toHaveCount(0);
  await expect(designer.byTestId('replay-summary')).toContainText(`${log}: 1 connection, 1 permitted`);
});
