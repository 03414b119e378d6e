import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';
import type { RunningHost } from './support/web-host';
import { closeAll, silentServer } from './support/silent-servers';

// "What if I deploy this?" is asked of the drawing on the canvas. An edge changed after the last
// compile must be what a trace, the impact and the matrix see: they compile the drawing first,
// rather than answer for tables the drawing has moved on from.

const savedShop = fileURLToPath(new URL('../examples/three-tier-shop/policy.yaml', import.meta.url));
const shopInventory = fileURLToPath(new URL('../examples/three-tier-shop/inventory.yaml', import.meta.url));

/** Opens copies of the shop example's policy and inventory, which the test may change, and compiles them. */
async function openShopAndCompile(designer: DesignerPage, host: RunningHost): Promise<void> {
  const inventory = join(host.home, 'shop-inventory.yaml');
  copyFileSync(shopInventory, inventory);
  await designer.openShopCopy(host.url, host.home);
  await designer.openInventoryFile(inventory);
  await expect(designer.workload('db-1')).toBeVisible();
  await designer.compile();
}

test('trace, impact and matrix answer for the drawing as it is now, compiling it first when it changed', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();

  await test.step('the impact against the saved file sees an edge changed since the compile', async () => {
    await designer.editEdgeServices('app-to-db', 'tcp/5433');
    await expect(designer.byTestId('compile-outdated')).toBeVisible();
    expect(await designer.impactAgainstFile(savedShop)).toEqual(['app→db +tcp/5433 -tcp/5432']);
    await expect(designer.byTestId('compile-outdated')).toHaveCount(0);
  });

  await test.step('a result the drawing has moved on from says so', async () => {
    await designer.editEdgeServices('app-to-db', 'tcp/6000');
    await designer.byTestId('impact-tab').click();
    await expect(designer.byTestId('impact-result')).toContainText('outdated: the drawing or inventory changed since');
  });

  await test.step('a trace runs on the changed edge', async () => {
    expect(await designer.trace('app-1', 'db-1', 6000)).toBe('permitted');
    expect(await designer.trace('app-1', 'db-1', 5433)).toBe('dropped');
    await expect(designer.byTestId('compile-outdated')).toHaveCount(0);
    // A port is decimal digits: Number() would have read 0x1770 as 6000.
    await designer.byTestId('trace-port').fill('0x1770');
    await designer.byTestId('trace-run').click();
    await expect(designer.byTestId('trace-error')).toHaveText('Port: a number from 1 to 65535');
  });

  await test.step('the matrix shows the changed edge', async () => {
    await designer.editEdgeServices('app-to-db', 'tcp/7000');
    await designer.computeMatrix();
    expect(await designer.matrixCell('app', 'db')).toBe('tcp/7000');
    await expect(designer.byTestId('compile-outdated')).toHaveCount(0);
  });
});

test('a trace answered before the drawing changed is marked outdated', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  expect(await designer.trace('web-1', 'app-2', 8080)).toBe('permitted');
  await expect(designer.byTestId('trace-outdated')).toHaveCount(0);

  await designer.editEdgeServices('web-to-app', 'tcp/9090');
  await expect(designer.byTestId('trace-outdated')).toBeVisible();
});

test('the deploy question says when the inventory changed after the compile it deploys', async ({ designer, host }) => {
  const silent = await silentServer();
  try {
    const keyPath = join(host.home, 'id_ed25519');
    writeFileSync(keyPath, generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey, { mode: 0o600 });
    mkdirSync(join(host.home, 'config'), { recursive: true });
    // A bridge per host: two hosts on one switch are refused before any deploy question.
    const targets = ['host-a', 'host-b'].map((h, i) => ({ host: h, address: '127.0.0.1', port: silent.port, user: 'root', auth: { kind: 'key', keyPath }, bridge: `br${i}` }));
    writeFileSync(join(host.home, 'config', 'hosts.json'), JSON.stringify({ hosts: targets }, null, 2) + '\n');
    await openShopAndCompile(designer, host);

    // A web server added since: the compiled tables know nothing of it, and would drop all its traffic.
    const original = await designer.editInventory();
    await designer.byTestId('inventory-text').fill(`${original}  - { name: web-3, host: host-a, addresses: [10.20.1.13], labels: { tier: web } }\n`);
    await designer.byTestId('inventory-save').click();
    await expect(designer.byTestId('compile-outdated')).toBeVisible();

    await designer.byTestId('deploy-button').click();
    await expect(designer.byTestId('deploy-modal')).toBeVisible();
    await expect(designer.byTestId('deploy-modal')).toContainText('the inventory changed after this compile');
    await designer.closeDeployDialog();
  } finally {
    await closeAll([silent]);
  }
});

test('the impact drawn on the canvas goes once the inventory changes, as the Impact tab marks it outdated', async ({ designer, host }) => {
  await openShopAndCompile(designer, host);
  await designer.editEdgeServices('app-to-db', 'tcp/5433');
  expect(await designer.impactAgainstFile(savedShop)).toEqual(['app→db +tcp/5433 -tcp/5432']);
  await expect(designer.byTestId('impact-edge')).toHaveCount(1);

  // Without its app servers the change concerns no connection: the drawn impact would mislead.
  const original = await designer.editInventory();
  await designer.byTestId('inventory-text').fill(original.split('\n').filter((line) => !line.includes('tier: app')).join('\n'));
  await designer.byTestId('inventory-save').click();
  await expect(designer.workload('app-1')).toHaveCount(0);
  await expect(designer.byTestId('impact-result')).toContainText('outdated');
  await expect(designer.byTestId('impact-edge')).toHaveCount(0);
});

test('the impact drawn on the canvas goes round a group in its way, as the edges of the policy do', async ({ designer, host }) => {
  // The example's app sits on the straight way from web to db: an edge web → db, and so the impact
  // of adding one, ran behind it when drawn as the plain curve.
  await designer.open(host.url);
  await designer.openExample('three-tier-shop');
  await designer.compile();
  await designer.addEdge('web', 'db', 'tcp/5432');
  expect(await designer.impactAgainstFile(savedShop)).toEqual(['web→db +tcp/5432 -']);
  await expect(designer.byTestId('impact-edge')).toHaveCount(1);

  const app = (await designer.group('app').boundingBox())!;
  const inside = { x: app.x + 1, y: app.y + 1, width: app.width - 2, height: app.height - 2 };
  const within = (p: { x: number; y: number }): boolean =>
    p.x > inside.x && p.x < inside.x + inside.width && p.y > inside.y && p.y < inside.y + inside.height;
  const behindApp = async (): Promise<string[]> =>
    (await designer.edgeLinePoints('impact:web→db')).filter(within).map((p) => `${Math.round(p.x)},${Math.round(p.y)}`);
  await expect.poll(behindApp).toEqual([]);
  const label = (await designer.byTestId('impact-edge').boundingBox())!;
  expect(within({ x: label.x + label.width / 2, y: label.y + label.height / 2 }), 'the impact label on app').toBe(false);
});
