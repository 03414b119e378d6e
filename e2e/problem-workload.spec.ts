import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// A problem about a workload, picked in the Problems list, shows that workload in the inventory
// list, as a problem about a group or edge shows it on the canvas. Needs no lab.

// A new user's defect: clicking such a problem did nothing.
test('picking a problem about a workload scrolls the inventory to it, past a filter that hid it, and marks it', async ({ designer, host, page }) => {
  // The workload in no group is the last of hundreds: its row is not drawn until scrolled to.
  const webs = Array.from({ length: 300 }, (_, i) => `w${i},host-a,10.1.${i >> 8}.${i & 255},tier=web`);
  const file = join(host.home, 'estate.csv');
  writeFileSync(file, ['name,host,addresses,labels', ...webs, 'stray,host-a,10.2.0.1,tier=batch'].join('\n') + '\n');
  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('w0')).toBeVisible();
  await designer.addGroup('web', 'tier=web');
  await designer.compile();
  await page.getByLabel('Filter workloads').fill('w1');
  await expect(designer.workload('stray')).toHaveCount(0);

  await designer.byTestId('problems-tab').click();
  const problem = designer.byTestId('problem-row').and(page.locator('[data-code="MS202"]'));
  await expect(problem).toHaveAttribute('title', 'Show the workload in the inventory');
  await problem.click();

  await expect(page.getByLabel('Filter workloads')).toHaveValue('');
  await expect(designer.workload('stray')).toBeInViewport();
  await expect(designer.workload('stray')).toHaveAttribute('data-revealed', 'true');
  await expect(designer.byTestId('workload-row').and(page.locator('[data-revealed="true"]'))).toHaveCount(1);

  // A filter typed afterwards stays, and picking the problem again clears it again.
  await page.getByLabel('Filter workloads').fill('w2');
  await expect(page.getByLabel('Filter workloads')).toHaveValue('w2');
  await problem.press('Enter');
  await expect(page.getByLabel('Filter workloads')).toHaveValue('');
  await expect(designer.workload('stray')).toBeInViewport();
});
