import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures';

// Edges between the same two groups, whichever way, fan out so that each label can be read and
// clicked; an edge drawn back from the right group to the left one goes round them, not behind.
// Both on the plain grid a file without `canvas` lines is drawn on (frontend left, db right).

const POLICY = `apiVersion: microseg.dev/v1
kind: Policy
metadata: { name: dup, revision: 1 }
groups:
  - name: frontend
    selector: { labels: role=frontend }
  - name: db
    selector: { labels: role=db }
edges:
  - { id: a, from: db, to: frontend, services: [tcp/443] }
  - { id: b, from: db, to: frontend, services: [tcp/443] }
  - { id: c, from: db, to: frontend, services: [tcp/443], action: deny }
`;

/** Whether the element at the middle of the label is the label (or inside it): nothing lies over it. */
async function labelOnTop(label: Locator): Promise<boolean> {
  return label.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
  });
}

test('three edges between the same two groups each show a label of their own, and a click on each selects it', async ({
  designer,
  host,
}) => {
  const file = join(host.home, 'dup.yaml');
  writeFileSync(file, POLICY);
  await designer.open(host.url);
  await designer.openFile(file);

  for (const id of ['a', 'b', 'c']) {
    const label = designer.edge(id);
    await expect(label).toBeVisible();
    expect(await labelOnTop(label), `${id}'s label is under another`).toBe(true);
    await label.click();
    await expect(designer.byTestId('inspector')).toHaveAttribute('aria-label', `edge ${id}`);
  }

  // A fourth drawn by hand, the other way, joins the fan: every label still shows and is clicked.
  await designer.drawEdge('frontend', 'db');
  await designer.byTestId('edge-services-input').fill('tcp/8443');
  await designer.byTestId('edge-save').click();
  await expect(designer.edge('frontend-to-db')).toContainText('tcp/8443');
  for (const id of ['a', 'b', 'c', 'frontend-to-db']) {
    expect(await labelOnTop(designer.edge(id)), `${id}'s label is under another`).toBe(true);
  }
  await designer.edge('frontend-to-db').click();
  await expect(designer.byTestId('inspector')).toHaveAttribute('aria-label', 'edge frontend-to-db');
});

test('an edge from the right group to the left one is drawn round the groups, not behind them', async ({
  designer,
  host,
}) => {
  const file = join(host.home, 'back.yaml');
  writeFileSync(file, POLICY.replace(/ {2}- \{ id: [bc],.*\n/g, ''));
  await designer.open(host.url);
  await designer.openFile(file);
  await expect(designer.edge('a')).toBeVisible();

  const points = await designer.edgeLinePoints('a');
  for (const name of ['frontend', 'db']) {
    const box = await designer.group(name).boundingBox();
    if (!box) throw new Error(`group ${name} is not on screen`);
    const behind = points.filter(
      (p) => p.x > box.x && p.x < box.x + box.width && p.y > box.y && p.y < box.y + box.height,
    );
    expect(behind, `the edge runs behind ${name}`).toEqual([]);
  }
});
