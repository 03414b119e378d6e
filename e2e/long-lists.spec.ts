import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

// An estate of thousands of workloads: its long lists (workloads, a group's members, problems)
// keep only the rows in view in the page, and every row can still be reached by scrolling or
// by the filter; the trace form suggests the names that match what is typed.

const WORKLOADS = 4000;
/** Far fewer than the lists' rows: only those in view, and some either side, are drawn. */
const DRAWN_AT_MOST = 150;

test('thousands of workloads: the lists draw the rows in view, and scrolling or the filter reaches any', async ({ designer, host, page }) => {
  // Every other workload is a web server; the rest are in no group, one problem (MS202) each.
  const rows = Array.from({ length: WORKLOADS }, (_, i) => `w${i},host-${i % 10},10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255},tier=${i % 2 === 0 ? 'web' : 'batch'},img/app:1`);
  const file = join(host.home, 'estate.csv');
  writeFileSync(file, ['name,host,addresses,labels,image', ...rows].join('\n') + '\n');

  await designer.open(host.url);
  await designer.openInventoryFile(file);
  await expect(designer.workload('w0')).toBeVisible();
  expect(await designer.byTestId('workload-row').count()).toBeLessThan(DRAWN_AT_MOST);

  await scrollToEnd(page, '.sidebar.left');
  await expect(designer.workload(`w${WORKLOADS - 1}`)).toBeInViewport();

  const filter = page.getByLabel('Filter workloads');
  await filter.fill('w2345');
  await expect(designer.byTestId('workload-row')).toHaveCount(1);
  await expect(designer.workload('w2345')).toBeVisible();
  await filter.fill('');

  await designer.addGroup('web', 'tier=web');
  await designer.group('web').click({ position: { x: 20, y: 10 } });
  await expect(page.getByText(`(${WORKLOADS / 2} workloads)`)).toBeVisible();
  const members = page.locator('.member-list li');
  expect(await members.count()).toBeLessThan(DRAWN_AT_MOST);
  await scrollToEnd(page, '.sidebar.right');
  await expect(members.and(page.locator(`[data-index="${WORKLOADS / 2 - 1}"]`))).toBeInViewport();

  await designer.compile();
  await designer.byTestId('problems-tab').click();
  await expect(designer.byTestId('problems-tab')).toContainText(String(WORKLOADS / 2));
  const problems = designer.byTestId('problem-row');
  await expect(problems.first()).toBeVisible();
  expect(await problems.count()).toBeLessThan(DRAWN_AT_MOST);
  // Rows are measured as they come into view, so the end may move once: scroll until it is there.
  await expect(async () => {
    await scrollToEnd(page, '.output-pane:has(table.problems)');
    await expect(problems.and(page.locator(`[data-index="${WORKLOADS / 2 - 1}"]`))).toBeInViewport({ timeout: 500 });
  }).toPass();

  // The trace form suggests some names at a time, those that match what the field holds.
  await designer.byTestId('trace-tab').click();
  const from = designer.byTestId('trace-from');
  const suggested = page.locator(`datalist[id="${await from.getAttribute('list')}"] option`);
  expect(await suggested.count()).toBeLessThan(DRAWN_AT_MOST);
  await from.fill('w3999');
  await expect(suggested.first()).toHaveAttribute('value', 'w3999');
});

async function scrollToEnd(page: Page, scroller: string): Promise<void> {
  await page.locator(scroller).evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
}
