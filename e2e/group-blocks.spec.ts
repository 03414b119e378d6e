import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures';

// A group of address blocks shows the blocks as written, its `except` blocks too, never the
// blocks membership derives from them (a /64 less one address is 64 blocks nobody wrote).

test('a block with an exception reads on the node and in the inspector as it was written', async ({ designer, host }) => {
  const file = join(host.home, 'blocks.yaml');
  writeFileSync(file, 'apiVersion: microseg.dev/v1\nkind: Policy\nmetadata: {name: blocks}\ngroups:\n  - name: lab\n    selector: {cidrs: [fd00::/64], except: [fd00::1/128]}\n');
  await designer.open(host.url);
  await designer.openFile(file);

  await expect(designer.group('lab').getByTestId('group-block-count')).toHaveText('+ 1 address block, 1 except');
  await designer.group('lab').click({ position: { x: 20, y: 10 } });
  await expect(designer.memberRows()).toHaveText([/fd00::\/64\s*external/, /fd00::1\/128\s*except/]);
});
