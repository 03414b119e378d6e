import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DesignerPage } from './pages/designer-page';
import { expect, test } from './support/fixtures';

// The node side keeps only the latest compile's tables: a window whose compile another window
// replaced says so at once, rather than when it next asks for a table or a trace.

test('a window learns that another window compiled since, and compiling again clears it', async ({ designer, host, page }) => {
  const example = fileURLToPath(new URL('../examples/three-tier-shop/', import.meta.url));
  const other = new DesignerPage(await page.context().newPage());
  for (const window of [designer, other]) {
    await window.open(host.url);
    await window.openInventoryFile(join(example, 'inventory.yaml'));
    await window.openFile(join(example, 'policy.yaml'));
  }

  await designer.compile();
  await expect(designer.byTestId('compile-replaced')).toBeHidden();
  await other.compile();
  await expect(designer.byTestId('compile-replaced')).toBeVisible();
  await expect(other.byTestId('compile-replaced')).toBeHidden();

  await designer.compile();
  await expect(designer.byTestId('compile-replaced')).toBeHidden();
  await expect(other.byTestId('compile-replaced')).toBeVisible();
});
