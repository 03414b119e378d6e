import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// With 250 groups the view is filled with groups to its edges, and the Add group, Add edge and
// Arrange buttons were drawn over the top row: those groups could be neither read nor clicked
// without panning, after opening and after a fit alike.

const GROUPS = 250;
const name = (i: number): string => `g${String(i).padStart(3, '0')}`;

/** 250 groups without places (drawn on the file-order grid) and 1,000 edges, most to nearby groups. */
function crowdedPolicy(folder: string): string {
  const groups = Array.from({ length: GROUPS }, (_, i) => `  - { name: ${name(i)}, selector: { labels: app=a${i} } }`);
  const edges = Array.from({ length: 4 * GROUPS }, (_, e) => {
    const from = e % GROUPS;
    const to = (from + 1 + ((e * 7) % 11)) % GROUPS;
    return `  - { id: e${e}, from: ${name(from)}, to: ${name(to)}, services: [tcp/${8000 + (e % 50)}], action: allow }`;
  });
  const file = join(folder, 'crowd.yaml');
  writeFileSync(
    file,
    `apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: { name: crowd, revision: 1 }\n` +
      `defaults: { withinGroup: allow, betweenGroups: drop }\ngroups:\n${groups.join('\n')}\nedges:\n${edges.join('\n')}\n`,
  );
  return file;
}

test('250 groups: no group is drawn under the canvas buttons, on opening and after a fit', async ({ designer, host }) => {
  await designer.open(host.url);
  await designer.openFile(crowdedPolicy(host.home));
  await expect.poll(() => designer.groupsShownCount()).toBeGreaterThan(20);

  const underButtons = async (): Promise<string[]> => designer.groupsUnder(designer.byTestId('canvas-toolbar'));
  await designer.settleCanvas();
  expect(await underButtons()).toEqual([]);

  // The drawing does not fit even at the smallest zoom. Zoomed in by the bar's button (the
  // groups pass where the buttons were), then fitted again.
  await expect(designer.byTestId('canvas-zoom-out')).toBeDisabled();
  const fitted = await designer.canvasZoom();
  await designer.byTestId('canvas-zoom-in').click();
  await expect.poll(() => designer.canvasZoom()).toBeGreaterThan(fitted);
  await designer.fitCanvas();
  await designer.settleCanvas();
  expect(await designer.groupsShownCount()).toBeGreaterThan(20);
  expect(await underButtons()).toEqual([]);
});
