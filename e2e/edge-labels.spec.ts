import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures';

// An edge between two groups drawn against each other has its label over them (an edge that
// would run behind other groups goes round them, but its label stays between its own two): it
// must still be read, and clicked, over those groups.

const POLICY = `apiVersion: microseg.dev/v1
kind: Policy
metadata: { name: crossing, revision: 1 }
defaults: { withinGroup: allow, betweenGroups: drop }
groups:
  - { name: web, selector: { labels: tier=web }, canvas: { x: 80, y: 120 } }
  - { name: db, selector: { labels: tier=db }, canvas: { x: 300, y: 120 } }
edges:
  - { id: web-to-db, from: web, to: db, services: [tcp/5432], action: deny }
`;

/** Whether the element at the middle of the label is the label (or inside it). */
async function labelOnTop(label: Locator): Promise<boolean> {
  return label.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
  });
}

test('an edge label over a group is drawn above it, selected or not, and a click on it selects the edge', async ({ designer, host }) => {
  const file = join(host.home, 'crossing.yaml');
  writeFileSync(file, POLICY);
  await designer.open(host.url);
  await designer.openFile(file);
  const label = designer.edge('web-to-db');
  await expect(label).toBeVisible();

  const [labelBox, groupBox] = await Promise.all([label.boundingBox(), designer.group('db').boundingBox()]);
  const middle = labelBox && labelBox.x + labelBox.width / 2;
  expect(groupBox && middle && middle > groupBox.x && middle < groupBox.x + groupBox.width).toBe(true);
  expect(await labelOnTop(label)).toBe(true);

  await designer.group('db').click({ position: { x: 150, y: 10 } });
  await expect(designer.byTestId('inspector')).toContainText('db');
  expect(await labelOnTop(label)).toBe(true);

  await label.click();
  await expect(designer.byTestId('inspector')).toContainText('web-to-db');
});
