import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';

const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));

/** Opens the three-tier example with its inventory in `window`. */
async function openShop(window: DesignerPage, url: string): Promise<void> {
  await window.open(url);
  await window.openInventoryFile(join(example, 'inventory.yaml'));
  await window.openFile(join(example, 'policy.yaml'));
}

// The node side keeps only the latest compile's tables: a window whose compile another window
// replaced says so at once, rather than when it next asks for a table or a trace.

test('a window learns that another window compiled since, and compiling again clears it', async ({ designer, host, page }) => {
  const other = new DesignerPage(await page.context().newPage());
  for (const window of [designer, other]) await openShop(window, host.url);

  await designer.compile();
  await expect(designer.byTestId('compile-replaced')).toBeHidden();
  await other.compile();
  await expect(designer.byTestId('compile-replaced')).toBeVisible();
  await expect(other.byTestId('compile-replaced')).toBeHidden();

  await designer.compile();
  await expect(designer.byTestId('compile-replaced')).toBeHidden();
  await expect(other.byTestId('compile-replaced')).toBeVisible();
});

test("a host target another window saved after this window's form opened is not saved over; saving again replaces it", async ({ designer, host, page }) => {
  const other = new DesignerPage(await page.context().newPage());
  for (const window of [designer, other]) {
    await openShop(window, host.url);
    await window.compile();
    // Both forms open on a host without a target. Saving does not connect; the addresses are from the documentation range.
    await window.hostRow('host-a').getByTestId('host-configure').click();
  }

  await designer.byTestId('host-address').fill('192.0.2.10');
  await designer.byTestId('host-save').click();
  await expect(designer.hostRow('host-a')).toContainText('root@192.0.2.10:22');

  await other.byTestId('host-address').fill('192.0.2.20');
  await other.byTestId('host-save').click();
  await expect(other.byTestId('error-notice')).toContainText('Host "host-a" was given an SSH target elsewhere');
  await expect(other.byTestId('error-notice')).toContainText('root@192.0.2.10:22, bridge br-int. Yours was not saved.');
  // The form keeps what was typed, and now starts from the other window's target.
  await expect(other.byTestId('host-address')).toHaveValue('192.0.2.20');
  await expect(other.hostRow('host-a')).toContainText('root@192.0.2.10:22');

  await other.byTestId('host-save').click();
  await expect(other.hostRow('host-a')).toContainText('root@192.0.2.20:22');
});

test("Forget target does not forget a target another window changed after this window's form opened; forgetting again does", async ({ designer, host, page }) => {
  const other = new DesignerPage(await page.context().newPage());
  const openAndCompile = async (window: DesignerPage): Promise<void> => {
    await openShop(window, host.url);
    await window.compile();
  };
  // Saving does not connect; the addresses are from the documentation range.
  await openAndCompile(designer);
  await designer.hostRow('host-a').getByTestId('host-configure').click();
  await designer.byTestId('host-address').fill('192.0.2.10');
  await designer.byTestId('host-save').click();
  await expect(designer.hostRow('host-a')).toContainText('root@192.0.2.10:22');

  // The other window opens its form on that target; then the first window changes it.
  await openAndCompile(other);
  await other.hostRow('host-a').getByTestId('host-configure').click();
  await designer.hostRow('host-a').getByTestId('host-configure').click();
  await designer.byTestId('host-address').fill('192.0.2.20');
  await designer.byTestId('host-save').click();
  await expect(designer.hostRow('host-a')).toContainText('root@192.0.2.20:22');

  await other.byTestId('host-forget').click();
  await expect(other.byTestId('error-notice')).toContainText('The SSH target of host "host-a" was changed elsewhere');
  await expect(other.byTestId('error-notice')).toContainText('address 192.0.2.10 → 192.0.2.20. It was not forgotten.');
  // The form stays open, and the row shows the target a second Forget forgets.
  await expect(other.hostRow('host-a')).toContainText('root@192.0.2.20:22');

  await other.byTestId('host-forget').click();
  await expect(other.hostRow('host-a').getByTestId('host-configure')).toHaveText('Configure');
});
