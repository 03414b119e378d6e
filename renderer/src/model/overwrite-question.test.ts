import { describe, expect, it } from 'vitest';
import { overwriteQuestion } from './overwrite-question';

const path = '/home/me/shop.yaml';
const found = (text: string) => ({ ok: true as const, value: { path, text } });
const missing = { ok: false as const, error: { code: 'not-found' as const, message: `Could not read ${path}: it does not exist.` } };

describe('overwriteQuestion', () => {
  it('asks before recreating a file that was deleted since the designer read or wrote it', () => {
    expect(overwriteQuestion(path, 'kind: Policy\n', missing)).toEqual({
      title: 'The file was deleted on disk',
      message: `${path} was deleted or moved outside the designer since it was opened or saved. Saving creates it again with this policy.`,
      confirmLabel: 'Save',
    });
  });

  it('asks nothing for a new file, or one unchanged since it was read', () => {
    expect(overwriteQuestion(path, undefined, missing)).toBeNull();
    expect(overwriteQuestion(path, 'a', found('a'))).toBeNull();
  });

  it('leaves a file it cannot read for other reasons to the write, which says why', () => {
    expect(overwriteQuestion(path, 'a', { ok: false, error: { code: 'io', message: 'permission denied' } })).toBeNull();
  });

  it('asks before replacing a file it never read, or one changed since', () => {
    expect(overwriteQuestion(path, undefined, found('b'))?.title).toBe('Replace the existing file?');
    expect(overwriteQuestion(path, 'a', found('b'))?.title).toBe('The file changed on disk');
  });

  it('says that the file is the open inventory, whatever it asks otherwise, under any spelling of its path', () => {
    const inventory = '/home/me/inventory.yaml';
    const read = { ok: true as const, value: { path: inventory, text: 'workloads: []\n' } };
    for (const open of [inventory, '/home/me//./inventory.yaml', '/home/you/../me/inventory.yaml']) {
      expect(overwriteQuestion(inventory, undefined, read, [open])).toMatchObject({
        title: 'Replace the open inventory file?',
        message: expect.stringContaining(`${inventory} is the inventory file open as a source`),
      });
    }
    expect(overwriteQuestion(inventory, 'workloads: []\n', read, ['/home/me/other.yaml'])).toBeNull();
  });
});
