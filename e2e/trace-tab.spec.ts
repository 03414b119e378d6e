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
