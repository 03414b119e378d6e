import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDualStackFiles } from './support/dual-stack';
import { expect, test } from './support/fixtures';

// The impact panel on files alone: what the pipeline passes between every pair before any
// policy (IPv6 neighbour discovery) is no change of the policy, and the panel says it left it out;
// a service set that is most of a protocol reads by what it lacks.

test('lists what an edge changes on a dual-stack inventory, and says which infrastructure traffic it left out', async ({ designer, host }) => {
  const { inventory, policy } = writeDualStackFiles(host.home, ['web-1,h1,10.0.0.1;fd00::1,tier=web', 'app-1,h2,10.0.0.2;fd00::2,tier=app']);
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.editEdgeServices('web-app', 'tcp/8081');
  await designer.compile();

  expect(await designer.impactAgainstFile(policy)).toEqual(['web→app +tcp/8081 -tcp/8080']);
  await expect(designer.byTestId('impact-left-out')).toHaveText('IPv6 neighbour discovery (ICMPv6 types 133-136) passes between every pair whatever the policy, and is not shown.');
});

test('says an edge widened from one port to the whole protocol newly permits `tcp except` that port, not runs of ports from 0', async ({ designer, host }) => {
  const { inventory, policy } = writeDualStackFiles(host.home, ['web-1,h1,10.0.0.1,tier=web', 'app-1,h2,10.0.0.2,tier=app']);
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.editEdgeServices('web-app', 'tcp');
  await designer.compile();

  expect(await designer.impactAgainstFile(policy)).toEqual(['web→app +tcp except 8080 -']);
  // One address pair changed: said in the singular.
  await expect(designer.byTestId('impact-result')).toContainText('(1 pair compared, ');
});

test('a comparison that fails says why in words, and keeps its error code for support out of the text', async ({ designer, host }) => {
  const { inventory, policy } = writeDualStackFiles(host.home, ['web-1,h1,10.0.0.1,tier=web', 'app-1,h2,10.0.0.2,tier=app']);
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.compile();

  // A file that cannot be read is asked for again in the dialog: one read with errors fails the comparison.
  const broken = join(host.home, 'broken.yaml');
  writeFileSync(broken, 'kind: Policy\ngroups: [\n');
  await designer.byTestId('impact-tab').click();
  await designer.byTestId('impact-file').click();
  await designer.byTestId('path-input').fill(broken);
  await designer.byTestId('path-confirm').click();
  const failure = designer.byTestId('impact-failure');
  await expect(failure).toContainText('Comparing with');
  const code = await failure.getAttribute('data-code');
  expect(code).toBeTruthy();
  await expect(failure).not.toContainText(code!);
  await expect(failure).toHaveAttribute('title', `Error code for support: ${code}`);
});

// QA's defect: DHCP turned off was no change in the Impact tab, though no host passed it any more.
test('names DHCP turned off as a change of its own, host by host', async ({ designer, host }) => {
  const { inventory, policy } = writeDualStackFiles(host.home, ['web-1,h1,10.0.0.1,tier=web', 'app-1,h2,10.0.0.2,tier=app']);
  const withDhcp = join(host.home, 'with-dhcp.yaml');
  writeFileSync(withDhcp, `${readFileSync(policy, 'utf8')}infrastructure: { dhcp: true }\n`);
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.compile();

  expect(await designer.impactAgainstFile(withDhcp)).toEqual([]);
  await expect(designer.byTestId('impact-infrastructure-change')).toHaveText(["DHCP (UDP 67 and 68) no longer passes on h1, h2 ahead of the policy's rules"]);
  // The note on what the list leaves out is true of the file's side; after the change above it read as a contradiction.
  const leftOut = designer.byTestId('impact-left-out');
  await expect(leftOut).toHaveText('DHCP (UDP 67 and 68) passes between every pair whatever the policy, and is not shown.');
  const precedes = await leftOut.evaluate((note) => {
    const changes = document.querySelector('[data-testid="impact-infrastructure"]');
    return changes !== null && (note.compareDocumentPosition(changes) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  expect(precedes).toBe(true);
});

// Every long analysis has a Stop. Two tiers of 2,000 workloads each, the edge between them changed:
// the comparison counts four million address pairs (17 s on the 2-core test machine), so the
// Stop comes while it compares, whatever the machine's speed. How soon a stop is heard between
// steps is for impact.test.ts, which counts them; here, that the panel ends in the stopped state.
test('Stop ends a long comparison: nothing of it is shown, it says so, and offers to compare again', async ({ designer, host }) => {
  const rows = Array.from({ length: 4000 }, (_, i) => `${i % 2 ? 'app' : 'web'}-${i},h${i % 40},10.1.${i >> 8}.${i & 255},tier=${i % 2 ? 'app' : 'web'}`);
  const { inventory, policy } = writeDualStackFiles(host.home, rows);
  await designer.open(host.url);
  await designer.openInventoryFile(inventory);
  await designer.openFile(policy);
  await designer.editEdgeServices('web-app', 'tcp/8081');
  await designer.compile();

  await designer.byTestId('impact-tab').click();
  await designer.byTestId('impact-file').click();
  await designer.byTestId('path-input').fill(policy);
  await designer.byTestId('path-confirm').click();
  await expect(designer.byTestId('impact-progress')).toContainText('pairs');
  await designer.byTestId('impact-stop').click();

  await expect(designer.byTestId('impact-stopped')).toHaveText(`Comparing with ${policy} was stopped before it was complete; nothing of it is shown. Compare again`, { timeout: 10_000 });
  await expect(designer.byTestId('impact-stop')).toHaveCount(0);
  await expect(designer.byTestId('impact-result')).toHaveCount(0);
  await expect(designer.byTestId('impact-failure')).toHaveCount(0);
  await expect(designer.byTestId('error-notice')).toHaveCount(0);
  await expect(designer.byTestId('impact-again')).toBeEnabled();
  await expect(designer.byTestId('impact-file')).toBeEnabled();
});

test('says on the page why it cannot compare with what the hosts run while no host has an SSH target', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  await designer.byTestId('impact-tab').click();

  await expect(designer.byTestId('impact-deployed')).toBeDisabled();
  // A disabled button takes no focus, so its reason must be text on the page that the button names.
  await expect(designer.byTestId('impact-no-targets')).toContainText('configure one under Hosts, or compare with a saved version');
  await expect(designer.byTestId('impact-deployed')).toHaveAccessibleDescription(/No compiled host has an SSH target/);
});
