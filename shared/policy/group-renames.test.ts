import { describe, expect, it } from 'vitest';
import { renamesBetween, type GroupRename } from './group-renames';

const rename = (from: string, to: string): GroupRename => ({ from, to });

describe('renamesBetween', () => {
  it('follows a chain of renames to the last name, and leaves out a group renamed back', () => {
    expect(renamesBetween([], [rename('web', 'front'), rename('front', 'edge')])).toEqual(new Map([['web', 'edge'], ['front', null], ['edge', null]]));
    expect(renamesBetween([], [rename('web', 'front'), rename('front', 'web')])).toEqual(new Map([['front', null]]));
  });

  it('follows a swap of two names through a third', () => {
    const swap = [rename('web', 'tmp'), rename('app', 'web'), rename('tmp', 'app')];
    expect(renamesBetween([], swap)).toEqual(new Map([['web', 'app'], ['app', 'web'], ['tmp', null]]));
  });

  it('counts only the renames made since the earlier text, and goes back over those undone since', () => {
    const first = rename('web', 'front');
    expect(renamesBetween([first], [first, rename('app', 'api')])).toEqual(new Map([['app', 'api'], ['api', null]]));
    // Saved after the rename, then undone: the text's `front` is `web` again.
    expect(renamesBetween([first], [])).toEqual(new Map([['front', 'web'], ['web', null]]));
    // Undone, then another rename: back over the first, on along the second.
    expect(renamesBetween([first], [rename('app', 'api')])).toEqual(new Map([['front', 'web'], ['web', null], ['app', 'api'], ['api', null]]));
  });

  it('gives nothing of the earlier text to a new group that took a name renamed away', () => {
    // web became front; a new group was called web and then renamed: it is not the earlier web.
    expect(renamesBetween([], [rename('web', 'front'), rename('web', 'shop')])).toEqual(new Map([['web', 'front'], ['front', null], ['shop', null]]));
  });

  it('marks gone a renamed group whose name another group took (it was removed first)', () => {
    expect(renamesBetween([], [rename('web', 'front'), rename('app', 'front')])).toEqual(new Map([['web', null], ['front', null], ['app', 'front']]));
  });
});
