import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// A security architect traces a connection, looks at the matrix, and comes back to the Trace tab:
// the question and its answer must still be there, marked outdated once the drawing moved on.

test('the Trace tab keeps its question and answer while another tab is open', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  expect(await designer.trace('web-1', 'app-2', 8080)).toBe('permitted');

  await designer.byTestId('matrix-tab').click();
  await designer.byTestId('trace-tab').click();
  await expect(designer.byTestId('trace-from')).toHaveValue('web-1');
  await expect(designer.byTestId('trace-to')).toHaveValue('app-2');
  await expect(designer.byTestId('trace-port')).toHaveValue('8080');
  await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'permitted');
  await expect(designer.byTestId('trace-outdated')).toHaveCount(0);

  // Changed while the tab was closed, the drawing no longer matches the answer kept.
  await designer.byTestId('problems-tab').click();
  await designer.editEdgeServices('web-to-app', 'tcp/9090');
  await designer.byTestId('trace-tab').click();
  await expect(designer.byTestId('trace-verdict')).toBeVisible();
  await expect(designer.byTestId('trace-outdated')).toBeVisible();
});

test('the Trace tab traces the ICMP type and code an edge names, and refuses a code out of range', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.editEdgeServices('web-to-app', 'tcp/8080, icmp/13/1');
  await designer.compile();
  const result = designer.page.locator('.trace-result');

  await designer.askIcmpTrace('web-1', 'app-2', '13', '1');
  await expect(result).toContainText('icmp/13/1');
  await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'permitted');
  // The port gives way to the type and code while ICMP is chosen.
  await expect(designer.byTestId('trace-port')).toHaveCount(0);

  await designer.askIcmpTrace('web-1', 'app-2', '13', '2');
  await expect(result).toContainText('icmp/13/2');
  await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'dropped');

  // An error opens no connection: conntrack finds it invalid, whatever an edge says.
  await designer.askIcmpTrace('web-1', 'app-2', '3', '4');
  await expect(result).toContainText('icmp/3/4');
  await expect(result).toContainText('+inv+trk');
  await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'dropped');

  // Both left empty: an echo request, which the edge does not open.
  await designer.askIcmpTrace('web-1', 'app-2', '', '');
  await expect(result).toContainText('icmp/8');
  await expect(designer.byTestId('trace-verdict')).toHaveAttribute('data-verdict', 'dropped');

  await designer.askIcmpTrace('web-1', 'app-2', '3', '256');
  await expect(designer.byTestId('trace-error')).toHaveText('ICMP code: a decimal number from 0 to 255, not "256"; leave it empty for code 0');
  await expect(result).toHaveCount(0);

  await designer.byTestId('trace-proto').selectOption('tcp');
  await expect(designer.byTestId('trace-icmp-type')).toHaveCount(0);
  await expect(designer.byTestId('trace-port')).toHaveValue('80');
});

test('Trace and Replay name the honeypot a connection goes to by its workload, as Impact does', async ({ designer, host }) => {
  const inventory = join(host.home, 'trap-inventory.yaml');
  const policy = join(host.home, 'trap-policy.yaml');
  const log = join(host.home, 'trap-log.csv');
  writeFileSync(inventory, [
    'apiVersion: microseg.dev/v1',
    'kind: Inventory',
    'workloads:',
    '  - { name: web-1, host: host-a, addresses: [10.0.1.1], labels: { tier: web } }',
    '  - { name: db-1, host: host-a, addresses: [10.0.3.1], labels: { tier: db } }',
    "  - { name: honey, host: host-a, addresses: [10.0.9.9], labels: { role: trap }, mac: '02:42:0a:00:09:09' }",
    '',
  ].join('\n'));
  writeFileSync(policy, [
    'apiVersion: microseg.dev/v1',
    'kind: Policy',
    'metadata: { name: trap, revision: 1 }',
    'defaults: { withinGroup: allow, betweenGroups: drop }',
    'groups:',
    '  - { name: web, selector: { labels: tier=web } }',
    '  - { name: db, selector: { labels: tier=db } }',
    'edges:',
    '  - { id: trap-ssh, from: web, to: db, services: [tcp/22], action: redirect, redirectTo: honey }',
    '',
  ].join('\n'));
  writeFileSync(log, 'from,to,protocol,port\nweb-1,db-1,tcp,22\n');
  await designer.open(host.url);
  await designer.openFile(policy);
  await designer.openInventoryFile(inventory);
  await expect(designer.workload('honey')).toBeVisible();
  await designer.compile();

  expect(await designer.trace('web-1', 'db-1', 22)).toBe('redirected');
  await expect(designer.byTestId('trace-verdict')).toHaveText('redirected to honey (10.0.9.9)');
  await designer.replayLog(log);
  await expect(designer.replayEntry('web', 'db')).toContainText('redirected to honey (10.0.9.9)');
});

test('the Trace tab says why it cannot trace while the compile has errors, as Matrix and Impact do', async ({ designer, host }) => {
  const inventory = join(host.home, 'shop-inventory.yaml');
  const policy = join(host.home, 'broken-trap.yaml');
  writeFileSync(inventory, [
    'apiVersion: microseg.dev/v1',
    'kind: Inventory',
    'workloads:',
    '  - { name: web-1, host: host-a, addresses: [10.0.1.1], labels: { tier: web } }',
    '  - { name: app-1, host: host-a, addresses: [10.0.2.1], labels: { tier: app } }',
    '',
  ].join('\n'));
  // Read as a policy, but no workload is the honeypot: the compile fails with MS133.
  writeFileSync(policy, [
    'apiVersion: microseg.dev/v1',
    'kind: Policy',
    'metadata: { name: broken-trap, revision: 1 }',
    'defaults: { withinGroup: allow, betweenGroups: drop }',
    'groups:',
    '  - { name: web, selector: { labels: tier=web } }',
    '  - { name: app, selector: { labels: tier=app } }',
    'edges:',
    '  - { id: trap, from: web, to: app, services: [tcp/22], action: redirect, redirectTo: no-such-honeypot }',
    '',
  ].join('\n'));
  await designer.open(host.url);
  await designer.openFile(policy);
  await designer.openInventoryFile(inventory);
  await expect(designer.workload('app-1')).toBeVisible();
  await designer.byTestId('trace-tab').click();
  await designer.byTestId('not-compiled-compile').click();
  await expect(designer.byTestId('flow-count-total')).toHaveText('0');

  await designer.byTestId('trace-tab').click();
  await expect(designer.byTestId('trace-compile-errors')).toContainText('fix them (see Problems)');
  await expect(designer.byTestId('trace-run')).toBeDisabled();
});

test('the tab lists are worked with arrow keys, Home and End, as tab lists are', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  await designer.byTestId('trace-tab').click();
  await designer.byTestId('trace-tab').press('ArrowRight');
  await expect(designer.byTestId('matrix-tab')).toBeFocused();
  await expect(designer.byTestId('matrix-tab')).toHaveAttribute('aria-selected', 'true');
  await designer.byTestId('matrix-tab').press('End');
  await expect(designer.byTestId('replay-tab')).toHaveAttribute('aria-selected', 'true');
  await designer.byTestId('replay-tab').press('ArrowRight');
  // Past the last tab comes the first: a host's table.
  await expect(designer.byTestId('flow-host-tab').first()).toHaveAttribute('aria-selected', 'true');
  await designer.byTestId('flow-host-tab').first().press('ArrowLeft');
  await expect(designer.byTestId('replay-tab')).toBeFocused();

  await designer.byTestId('view-canvas').press('ArrowRight');
  await expect(designer.byTestId('view-yaml')).toHaveAttribute('aria-selected', 'true');
  await designer.byTestId('view-yaml').press('Home');
  await expect(designer.byTestId('view-canvas')).toHaveAttribute('aria-selected', 'true');
});
