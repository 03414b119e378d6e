import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arpAnswered, canConnect, clearOurFlows, guardDrops, impersonate, ipOf, ourFlowCount, sendUdp, udpTracked, type Lab } from './support/lab';
import type { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';

// The spoof guard with real packets. web1 forges web2's address towards app1, which web → app
// permits: deployed without switch ports the switch takes it for web2 and lets it through;
// once the inventory names each container's port, the same packet is dropped on entry, as is
// an ARP request that claims web2's address, while web1's own traffic goes on as before.

const POLICY = [
  'apiVersion: microseg.dev/v1',
  'kind: Policy',
  'metadata: { name: guard, revision: 1 }',
  'groups:',
  '  - { name: web, selector: { labels: tier=web } }',
  '  - { name: app, selector: { labels: tier=app } }',
  'edges:',
  '  - { id: web-to-app, from: web, to: app, services: [tcp/80, udp/9000-9010], action: allow }',
  '',
].join('\n');

/** The lab's containers as a static inventory, with or without each one's switch port. */
function inventoryOf(lab: Lab, withPorts: boolean): string {
  const rows = lab.containers.map(
    (c) => `  - { name: ${c.name}, host: ${lab.hostName}, addresses: [${c.ip}], mac: "${c.mac}", labels: { tier: ${c.labels.tier} }${withPorts ? `, switchPort: ${c.ovsPort}` : ''} }`,
  );
  return ['apiVersion: microseg.dev/v1', 'kind: Inventory', 'workloads:', ...rows, ''].join('\n');
}

/**
 * Compiles again with every container's port known and deploys: the guard adds two flows per
 * port and address, an ARP probe's and a drop per port, 4 × 4 for the lab's containers. Returns
 * once the switch holds them.
 */
async function deployGuarded(designer: DesignerPage, lab: Lab, unguardedFlows: number): Promise<void> {
  await designer.byTestId('compile-button').click();
  await expect(designer.byTestId('flow-count-total')).toHaveText(String(unguardedFlows + 16));
  await designer.deploy();
  await expect.poll(() => ourFlowCount(lab), { timeout: 60_000 }).toBe(unguardedFlows + 16);
}

/**
 * Opens the lab's Docker inventory and `policyFile`, compiles without ports, reads the host's
 * switch ports and deploys the guarded tables; returns the flow count without the guard.
 */
async function deployWithReadPorts(designer: DesignerPage, lab: Lab, url: string, policyFile: string): Promise<number> {
  await designer.open(url);
  await designer.chooseSource(`docker:${lab.dockerContext}`);
  await expect(designer.workload('web1')).toBeVisible();
  await designer.openFile(policyFile);
  const unguardedFlows = await designer.compile();
  await designer.configureHost(lab.hostName, { address: lab.ssh.host, port: lab.ssh.port, user: lab.ssh.user, keyPath: lab.ssh.keyPath, bridge: lab.bridge });
  // Docker does not know the switch port; the host's Open vSwitch does, as ovs-docker records it.
  await designer.byTestId('host-read-ports').click();
  await expect(designer.byTestId('host-ports-note')).toContainText('4 switch ports bound to Docker containers');
  await expect(designer.workload('web1')).toContainText(`port ${portOf(lab, 'web1')}`);
  await deployGuarded(designer, lab, unguardedFlows);
  return unguardedFlows;
}

function portOf(lab: Lab, container: string): string {
  return lab.containers.find((c) => c.name === container)!.ovsPort;
}

test('a forged source passes for another workload until the inventory names the switch ports', async ({ designer, host, lab }) => {
  const [web1, web2, app1] = [ipOf(lab, 'web1'), ipOf(lab, 'web2'), ipOf(lab, 'app1')];
  const inventory = join(host.home, 'lab.yaml');
  const policy = join(host.home, 'guard.yaml');
  writeFileSync(inventory, inventoryOf(lab, false));
  writeFileSync(policy, POLICY);
  impersonate(lab, 'web1', web2, app1, true);
  try {
    await designer.open(host.url);
    await designer.openInventoryFile(inventory);
    await expect(designer.workload('web1')).toBeVisible();
    await designer.openFile(policy);
    const unguardedFlows = await designer.compile();
    await designer.configureHost(lab.hostName, { address: lab.ssh.host, port: lab.ssh.port, user: lab.ssh.user, keyPath: lab.ssh.keyPath, bridge: lab.bridge });
    await designer.deploy();
    await expect(designer.deployStatus(lab.hostName)).toHaveAttribute('data-status', 'applied', { timeout: 60_000 });

    // Without ports, web1 sending as web2 is judged as web2: the switch tracks and forwards it,
    // as the trace of web2's address sent by web1 predicts, and says why.
    sendUdp(lab, 'web1', web2, app1, 9001);
    await expect.poll(() => udpTracked(lab, web2, app1, 9001), { message: 'the forged datagram gets through' }).toBe(true);
    expect(await designer.trace('web2', 'app1', 80, 'web1')).toBe('permitted');
    await expect(designer.byTestId('trace-note')).toContainText('web1 has no switchPort in the inventory');

    // The same inventory with each container's port, edited in the app.
    const original = await designer.editInventory();
    await designer.byTestId('inventory-text').fill(inventoryOf(lab, true));
    await designer.byTestId('inventory-save').click();
    await expect(designer.workload('web1')).toContainText(`port ${portOf(lab, 'web1')}`);
    expect(original).not.toContain('switchPort');
    await deployGuarded(designer, lab, unguardedFlows);

    const dropsBefore = guardDrops(lab);
    sendUdp(lab, 'web1', web2, app1, 9002);
    expect(arpAnswered(lab, 'web1', app1, web2), 'an ARP request claiming web2 is answered').toBe(false);
    await expect.poll(() => guardDrops(lab), { message: 'the guard drops the forged datagram and ARP requests' }).toBeGreaterThanOrEqual(dropsBefore + 3);
    expect(udpTracked(lab, web2, app1, 9002), 'the forged datagram got through').toBe(false);

    // The trace says so before any packet is sent, and the real switch, asked by web1's port, agrees.
    expect(await designer.trace('web2', 'app1', 80, 'web1')).toBe('dropped');
    await expect(designer.byTestId('trace-decision')).toContainText('the spoof guard of switch port');
    expect(await designer.askSwitch(lab.hostName)).toEqual({ says: 'dropped', agrees: true });
    expect(await designer.trace('web1', 'app1', 80)).toBe('permitted');
    expect(await designer.askSwitch(lab.hostName)).toEqual({ says: 'forwarded', agrees: true });

    // web1's own traffic is untouched, and the policy still holds.
    expect(arpAnswered(lab, 'web1', app1), 'web1 asks for app1 by ARP as itself').toBe(true);
    expect(canConnect('web1', app1, 80), 'web1 opens tcp/80 to app1').toBe(true);
    sendUdp(lab, 'web1', web1, app1, 9003);
    await expect.poll(() => udpTracked(lab, web1, app1, 9003)).toBe(true);
    expect(canConnect('app1', web1, 80), 'app1 may not open connections to web1').toBe(false);
    await designer.screenshot('16-spoof-guard');

    // The backup is the unguarded table: rolling back to it names the four guards it would
    // take away, waits for 'Remove', and Cancel leaves the switch as it is.
    const rollback = designer.hostRow(lab.hostName).getByTestId('rollback-button');
    await rollback.click();
    await expect(designer.byTestId('confirm-loss')).toContainText(`Removes the spoof guard of 4 switch ports on ${lab.hostName}`, { timeout: 30_000 });
    await expect(designer.byTestId('confirm-loss-item')).toHaveText(lab.containers.map((c) => c.ovsPort).sort());
    await expect(designer.byTestId('confirm-accept')).toBeDisabled();
    await designer.byTestId('confirm-cancel').click();
    expect(ourFlowCount(lab)).toBe(unguardedFlows + 16);
    await rollback.click();
    await designer.byTestId('confirm-loss-accept').check();
    await designer.byTestId('confirm-accept').click();
    await expect(designer.deployStatus(lab.hostName)).toHaveAttribute('data-status', 'rolled-back', { timeout: 60_000 });
    await expect(designer.deployStatus(lab.hostName)).toContainText('are no longer guarded against spoofed sources');
    expect(ourFlowCount(lab)).toBe(unguardedFlows);
  } finally {
    impersonate(lab, 'web1', web2, app1, false);
    clearOurFlows(lab);
  }
});

test('Docker containers get their switch ports from the host switch, and the guard binds them', async ({ designer, host, lab }) => {
  const [web2, app1] = [ipOf(lab, 'web2'), ipOf(lab, 'app1')];
  const policy = join(host.home, 'guard.yaml');
  writeFileSync(policy, POLICY);
  impersonate(lab, 'web1', web2, app1, true);
  try {
    await deployWithReadPorts(designer, lab, host.url, policy);
    const dropsBefore = guardDrops(lab);
    sendUdp(lab, 'web1', web2, app1, 9004);
    await expect.poll(() => guardDrops(lab), { message: 'the guard drops the forged datagram' }).toBeGreaterThan(dropsBefore);
    expect(udpTracked(lab, web2, app1, 9004), 'the forged datagram got through').toBe(false);
    expect(canConnect('web1', app1, 80), 'web1 opens tcp/80 to app1').toBe(true);

    // Stop reading ports: the host is forgotten, its containers unbound, and a reload reads nothing.
    const row = designer.hostRow(lab.hostName);
    await row.getByTestId('host-forget-ports').click();
    await expect(designer.workload('web1')).not.toContainText(`port ${portOf(lab, 'web1')}`);
    await expect(row.getByTestId('host-forget-ports')).toHaveCount(0);
    await designer.page.reload();
    await expect(designer.byTestId('app-root')).toHaveAttribute('data-app-state', 'ready');
    await expect(designer.workload('web1')).toBeVisible();
    await expect(designer.workload('web1')).not.toContainText(`port ${portOf(lab, 'web1')}`);
    await expect(row.getByTestId('host-ports-read')).toHaveCount(0);
    await expect(row.getByTestId('host-forget-ports')).toHaveCount(0);
  } finally {
    impersonate(lab, 'web1', web2, app1, false);
    clearOurFlows(lab);
  }
});

test('a reload reads the containers\' switch ports again, and a deploy that would drop the guard says so and waits', async ({ designer, host, lab }) => {
  const policy = join(host.home, 'guard.yaml');
  const inventory = join(host.home, 'lab.yaml');
  writeFileSync(policy, POLICY);
  writeFileSync(inventory, inventoryOf(lab, false));
  try {
    const unguardedFlows = await deployWithReadPorts(designer, lab, host.url, policy);

    // After a reload the host's ports are read again with the Docker inventory, and say so.
    await designer.page.reload();
    await expect(designer.byTestId('app-root')).toHaveAttribute('data-app-state', 'ready');
    const row = designer.hostRow(lab.hostName);
    await expect(row.getByTestId('host-ports-read')).toHaveAttribute('data-status', 'read', { timeout: 30_000 });
    await expect(row.getByTestId('host-ports-read')).toContainText('Read again');
    await expect(designer.workload('web1')).toContainText(`port ${portOf(lab, 'web1')}`);
    await designer.byTestId('compile-button').click();
    await expect(designer.byTestId('flow-count-total')).toHaveText(String(unguardedFlows + 16));

    // The same containers from a file that names no port: the deploy dialog lists the four
    // guards it would remove, and Deploy waits until the user agrees.
    await designer.source(`docker:${lab.dockerContext}`).getByTestId('source-close').click();
    await designer.openInventoryFile(inventory);
    await expect(designer.workload('web1')).toBeVisible();
    await expect(designer.workload('web1')).not.toContainText(`port ${portOf(lab, 'web1')}`);
    await designer.byTestId('compile-button').click();
    await expect(designer.byTestId('flow-count-total')).toHaveText(String(unguardedFlows));
    await designer.byTestId('deploy-button').click();
    const loss = designer.byTestId('guard-loss');
    await expect(loss).toContainText('Removes the spoof guard of 4 switch ports', { timeout: 30_000 });
    await expect(loss.locator(`[data-testid="guard-loss-host"][data-host="${lab.hostName}"]`)).toContainText(portOf(lab, 'web1'));
    await expect(designer.byTestId('deploy-confirm')).toBeDisabled();
    await designer.byTestId('guard-loss-accept').check();
    await designer.byTestId('deploy-confirm').click();
    await expect(designer.deployStatus(lab.hostName)).toHaveAttribute('data-status', 'applied', { timeout: 60_000 });
    await expect(designer.deployStatus(lab.hostName)).toContainText('no longer guarded against spoofed sources');
    await expect.poll(() => ourFlowCount(lab), { timeout: 60_000 }).toBe(unguardedFlows);
  } finally {
    clearOurFlows(lab);
  }
});
