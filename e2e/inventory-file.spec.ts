import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures';

// Static inventories (VMs, servers): open one, edit it in the app, and see a bad edit refused
// with its line and column while the file on disk stays as it was; then replay a connection log
// against the example opened from files alone.

test('open and edit a static inventory file; a bad edit is refused and nothing is written', async ({ designer, host }) => {
  const file = join(host.home, 'servers.yaml');
  copyFileSync(fileURLToPath(new URL('../examples/three-tier-shop/inventory.yaml', import.meta.url)), file);

  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('web-1')).toBeVisible();

  const original = await designer.editInventory();
  await designer.byTestId('inventory-text').fill(original.replace('10.20.1.11', '10.20.1.999'));
  await designer.byTestId('inventory-save').click();
  await expect(designer.byTestId('inventory-problems')).toContainText(/MS304 .*10\.20\.1\.999.*servers\.yaml:\d+:\d+/);
  expect(readFileSync(file, 'utf8')).toBe(original);

  await designer.byTestId('inventory-text').fill(original.replace('name: web-1,', 'name: web-one,'));
  await designer.byTestId('inventory-save').click();
  await expect(designer.workload('web-one')).toBeVisible();
  expect(readFileSync(file, 'utf8')).toContain('name: web-one,');
});

test('an edit keeps a CSV\'s CRLF line ends, and a file changed on disk meanwhile is overwritten only when asked', async ({ designer, host }) => {
  const file = join(host.home, 'servers.csv');
  writeFileSync(file, '\uFEFFname,host,addresses,labels\r\nweb-1,host-a,10.20.1.11,tier=web\r\nweb-2,host-a,10.20.1.12,tier=web\r\n');
  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('web-2')).toBeVisible();

  const read = await designer.editInventory();
  await designer.byTestId('inventory-text').fill(read.replace('web-2,', 'web-two,'));
  await designer.byTestId('inventory-save').click();
  await expect(designer.workload('web-two')).toBeVisible();
  expect(readFileSync(file, 'utf8')).toBe('\uFEFFname,host,addresses,labels\r\nweb-1,host-a,10.20.1.11,tier=web\r\nweb-two,host-a,10.20.1.12,tier=web\r\n');

  // A script regenerates the file while the editor is open: saving stops and says so.
  const mine = (await designer.editInventory()).replace('web-1,', 'web-one,');
  await designer.byTestId('inventory-text').fill(mine);
  const theirs = readFileSync(file, 'utf8') + 'web-3,host-b,10.20.1.13,tier=web\r\n';
  writeFileSync(file, theirs);
  await designer.byTestId('inventory-save').click();
  await expect(designer.byTestId('inventory-changed-on-disk')).toContainText(`${file} was changed outside this editor`);
  expect(readFileSync(file, 'utf8')).toBe(theirs);
  await expect(designer.byTestId('inventory-save')).toBeDisabled();

  // Starting from the file shows its new row; an edit of that saves as usual.
  await designer.byTestId('inventory-start-from-disk').click();
  await expect(designer.byTestId('inventory-text')).toHaveValue(/web-3,host-b/);
  await designer.byTestId('inventory-text').fill((await designer.byTestId('inventory-text').inputValue()).replace('web-1,', 'web-one,'));
  await designer.byTestId('inventory-save').click();
  await expect(designer.workload('web-3')).toBeVisible();
  expect(readFileSync(file, 'utf8')).toBe(theirs.replace('web-1,', 'web-one,'));

  // Overwrite writes the editor's text over the change made meanwhile.
  await designer.editInventory();
  await designer.byTestId('inventory-text').fill('name,host,addresses\nsolo,host-a,10.20.1.50\n');
  writeFileSync(file, 'name,host,addresses\r\nother,host-a,10.20.1.60\r\n');
  await designer.byTestId('inventory-save').click();
  await designer.byTestId('inventory-overwrite').click();
  await expect(designer.workload('solo')).toBeVisible();
  expect(readFileSync(file, 'utf8')).toBe('name,host,addresses\r\nsolo,host-a,10.20.1.50\r\n');
});

// A new user's defect: Edit… on a file deleted since it was opened said only that it could not be read, and offered nothing.
test('Edit… on a file deleted meanwhile says so, and offers its workloads written anew, or another file', async ({ designer, host }) => {
  const file = join(host.home, 'servers.csv');
  writeFileSync(file, 'name,host,addresses,labels\nweb-1,host-a,10.20.1.11,tier=web\ndb-1,host-b,10.20.3.31,tier=db\n');
  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('db-1')).toBeVisible();
  rmSync(file);

  await designer.byTestId('edit-inventory-file').click();
  await expect(designer.byTestId('inventory-file-gone')).toContainText(`${file} no longer exists: it was deleted or moved after it was read. Below are the 2 workloads still open from it`);
  await expect(designer.byTestId('inventory-text')).toHaveValue(/^name,host,addresses,mac,switchPort,labels,.*\nweb-1,host-a,10\.20\.1\.11,,,tier=web,/);
  await expect(designer.byTestId('error-notice')).toHaveCount(0);

  await designer.byTestId('inventory-save').click();
  await expect(designer.byTestId('inventory-editor')).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toContain('\ndb-1,host-b,10.20.3.31,,,tier=db,');
  await expect(designer.workload('db-1')).toBeVisible();

  // The other way out: the open dialog, for the file where it is now.
  rmSync(file);
  await designer.byTestId('edit-inventory-file').click();
  await designer.byTestId('inventory-open-another').click();
  await expect(designer.byTestId('inventory-editor')).toHaveCount(0);
  await expect(designer.byTestId('path-input')).toBeVisible();
  expect(existsSync(file)).toBe(false);
});

test('an edit with many errors lists them in a box of their own; the dialog and its buttons stay on screen', async ({ designer, host }) => {
  const file = join(host.home, 'servers.yaml');
  copyFileSync(fileURLToPath(new URL('../examples/three-tier-shop/inventory.yaml', import.meta.url)), file);
  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('web-1')).toBeVisible();

  // Written behind the dialog's back: the editor reads the file when it opens.
  const bad = Array.from({ length: 80 }, (_, i) => `  - { name: vm-${i}, host: host-a, addresses: [10.0.0.${300 + i}] }`);
  writeFileSync(file, ['apiVersion: microseg.dev/v1', 'kind: Inventory', 'workloads:', ...bad, ''].join('\n'));
  await designer.editInventory();
  await designer.byTestId('inventory-save').click();
  await expect(designer.byTestId('inventory-problems')).toContainText('MS304');

  for (const id of ['inventory-text', 'inventory-save']) await expect(designer.byTestId(id)).toBeInViewport();
  await expect(designer.byTestId('inventory-editor').getByRole('heading')).toBeInViewport();
});

test('replay a connection log against the example: what would be dropped, by group pair and service; filter the matrix', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();
  expect(await designer.replayLog(join(example, 'connections.csv'))).toContain('23,745 connections, 8,680 permitted');
  await expect(designer.replayEntry('web', 'db')).toContainText('tcp/5432');
  await designer.screenshot('13-replay');

  // The matrix of the same drawing, narrowed to the names that contain "ap" (app, and nothing else).
  await designer.computeMatrix();
  await designer.byTestId('matrix-filter').fill('ap');
  expect(await designer.matrixCells()).toEqual(['app→app']);
});

test('replay: the left-out heading counts every line left out, the thousands one MS704 names too, and the problems listed', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  // 60 unknown ends (MS703); then counts that pass 2^53 - 1 at the 9,008th huge line (MS704), leaving it, 2 more and 5,000 small ones out.
  const unknown = Array.from({ length: 60 }, (_, i) => `ghost-${i},app-1,tcp,80`);
  const huge = Array.from({ length: 9_010 }, () => 'web-1,app-2,tcp,8080,999999999999');
  const small = Array.from({ length: 5_000 }, () => 'web-1,app-2,tcp,8080,1');
  const log = join(host.home, 'cut.csv');
  writeFileSync(log, ['from,to,protocol,port,count', 'web-1,app-2,tcp,8080,1', ...unknown, ...huge, ...small, ''].join('\n'));
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();

  await designer.replayLog(log);
  await expect(designer.byTestId('replay-left-out').locator('summary')).toHaveText('5,063 lines of the log left out: the first 50 of 61 problems listed');
  await expect(designer.byTestId('replay-left-out').locator('li')).toHaveCount(51);
});

test('replay: a log whose lines are all, or partly, left out is not said to go through', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  const unplaced = join(host.home, 'unplaced.csv');
  writeFileSync(unplaced, 'from,to,protocol,port\n2001:db8::1,web-1,tcp,443\nghost,web-1,tcp,443\n');
  const partly = join(host.home, 'partly.csv');
  writeFileSync(partly, 'from,to,protocol,port\nweb-1,app-1,tcp,8080\nghost,web-1,tcp,443\n');
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();

  expect(await designer.replayLog(unplaced)).toContain('0 connections');
  await expect(designer.byTestId('replay-all-through')).toHaveText('No connection of the log was replayed: every line of it was left out (see above).');
  expect(await designer.replayLog(partly)).toContain(': 1 connection, 1 permitted');
  await expect(designer.byTestId('replay-all-through')).toHaveText('Every connection replayed goes through; the lines left out were not judged.');
});

// QA's defect: a line from a workload to itself counted as dropped, though no switch sees it.
test('replay: connections within one end are counted apart, neither permitted nor dropped', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  const own = join(host.home, 'own.csv');
  writeFileSync(own, 'from,to,protocol,port,count\ndb-1,db-1,tcp,5432,3\nweb-1,app-1,tcp,8080,1\n');
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();

  expect(await designer.replayLog(own)).toContain(': 1 connection, 1 permitted, 0 dropped');
  await expect(designer.byTestId('replay-within-one-end')).toHaveText('3 connections within one end (a workload to its own address, or to a workload sharing it), which no switch sees: neither permitted nor dropped.');
  await expect(designer.byTestId('replay-all-through')).toHaveText('Every connection between two ends goes through.');
});

test('replay: past the first 200 kinds of connection, the rest are counted as the totals are', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  // web-1 may open no port of db-1: 1,500 ports make 1,500 kinds dropped.
  const ports = Array.from({ length: 1_500 }, (_, i) => `web-1,db-1,tcp,${i + 1}`);
  const log = join(host.home, 'ports.csv');
  writeFileSync(log, ['from,to,protocol,port', ...ports, ''].join('\n'));
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();

  expect(await designer.replayLog(log)).toContain('1,500 dropped');
  await expect(designer.byTestId('replay-more')).toHaveText('…and 1,300 more kinds of connection (microseg replay --json lists them all).');
});

// Every long analysis has a Stop. 600,000 lines of five workloads on distinct ports: some seconds to
// replay once read (300,000 took 2.6 s on the 2-core test machine), so the Stop comes while it runs.
// The tab went blank, saying nothing of the stop. The bar shows once the log is read, which a loaded
// machine takes long over.
test('replay: Stop ends a long replay, says so with nothing of it shown, and offers to replay the same log again', async ({ designer, host }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  const ends = ['web-1', 'web-2', 'app-1', 'app-2', 'db-1'];
  const lines = Array.from({ length: 600_000 }, (_, i) => `${ends[i % 5]},${ends[Math.floor(i / 5) % 5]},tcp,${1 + (Math.floor(i / 25) % 65_535)}`);
  const log = join(host.home, 'long.csv');
  writeFileSync(log, ['from,to,protocol,port', ...lines, ''].join('\n'));
  await designer.open(host.url);
  await designer.openInventoryFile(join(example, 'inventory.yaml'));
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();
  await designer.replayLog(join(example, 'connections.csv'));

  await designer.byTestId('replay-choose').click();
  await designer.byTestId('path-input').fill(log);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('replay-progress')).toBeVisible({ timeout: 60_000 });
  await designer.byTestId('replay-stop').click();

  await expect(designer.byTestId('replay-stopped')).toHaveText(`Replaying ${log} was stopped before it was complete; nothing of it is shown. Replay again`, { timeout: 10_000 });
  await expect(designer.byTestId('replay-stop')).toHaveCount(0);
  await expect(designer.byTestId('replay-result')).toHaveCount(0);
  await expect(designer.byTestId('error-notice')).toHaveCount(0);

  // Replay again replays the same log: stopped again, it names it again.
  await designer.byTestId('replay-again').click();
  await expect(designer.byTestId('replay-stopped')).toHaveCount(0);
  await expect(designer.byTestId('replay-progress')).toBeVisible({ timeout: 60_000 });
  await designer.byTestId('replay-stop').click();
  await expect(designer.byTestId('replay-stopped')).toContainText(`Replaying ${log} was stopped`, { timeout: 10_000 });
});

test('trace: a workload whose name runs to 253 characters, the most a name may have, is named by its first 60 and its length, not whole', async ({ designer, host, page }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  // The longest name an inventory takes (MS316).
  const long = 'w'.repeat(253);
  // Another as long, sending from the first one's address.
  const sender = 'v'.repeat(253);
  const file = join(host.home, 'long-name.yaml');
  writeFileSync(file, readFileSync(join(example, 'inventory.yaml'), 'utf8').replace('name: web-1,', `name: ${long},`).replace('name: web-2,', `name: ${sender},`));
  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('app-1')).toBeVisible();
  await designer.openFile(join(example, 'policy.yaml'));
  await designer.compile();

  await designer.byTestId('trace-tab').click();
  await designer.byTestId('trace-from').fill(long);
  await designer.byTestId('trace-to').fill('app-1');
  await designer.byTestId('trace-port').fill('8080');
  await designer.byTestId('trace-sender').fill(sender);
  await designer.byTestId('trace-run').click();
  await expect(designer.byTestId('trace-verdict')).toBeVisible();
  const shortened = `${'w'.repeat(60)}… (253 characters)`;
  const shortenedSender = `${'v'.repeat(60)}… (253 characters)`;
  const result = page.locator('.trace-result');
  await expect(result).toContainText(`${shortened} (10.20.1.11), sent by ${shortenedSender} → app-1 (10.20.2.21) tcp/8080`);
  await expect(designer.byTestId('trace-note')).toContainText(`${shortenedSender} has no switchPort`);
  expect(await result.textContent()).not.toMatch(/w{61}|v{61}/);
});

// A newcomer's defect: a mistyped path or a folder opened a failed source, to be closed with ✕ and the path typed again.
test('Open inventory file keeps its dialog and the typed path when nothing can be read there, saying why; a file with errors opens to list them', async ({ designer, host }) => {
  const file = join(host.home, 'servers.yaml');
  copyFileSync(fileURLToPath(new URL('../examples/three-tier-shop/inventory.yaml', import.meta.url)), file);
  const broken = join(host.home, 'broken.yaml');
  writeFileSync(broken, readFileSync(file, 'utf8').replace('10.20.1.11', '10.20.1.999'));
  const refused: [string, string][] = [
    [join(host.home, 'srevers.yaml'), `Could not read ${join(host.home, 'srevers.yaml')}: it does not exist`],
    [host.home, `Could not read ${host.home}: it is a folder, not a file`],
  ];

  await designer.open(host.url);
  await designer.byTestId('open-inventory-file').click();
  await designer.expectPathsRefused(refused, (path) => expect(designer.source(`static:${path}`)).toHaveCount(0));

  // The path mended: the dialog closes on the source opened.
  await designer.byTestId('path-input').fill(file);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('path-modal')).toHaveCount(0);
  await expect(designer.workload('web-1')).toBeVisible();

  // A file read but with errors is no wrong path: it opens as a failed source listing them, to be mended and read again.
  await designer.openInventoryFile(broken);
  await expect(designer.byTestId('path-modal')).toHaveCount(0);
  await expect(designer.source(`static:${broken}`)).toHaveAttribute('data-status', 'failed');
  await expect(designer.source(`static:${broken}`)).toContainText('10.20.1.999');
});
