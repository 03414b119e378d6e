import { describe, expect, it } from 'vitest';
import { renamesBetween, type Rename } from './renames';

const rename = (from: string, to: string): Rename => ({ kind: 'group', from, to });
const groupsOf = (earlier: Rename[], current: Rename[]): ReadonlyMap<string, string | null> => renamesBetween(earlier, current).groups;

describe('renamesBetween', () => {
  it('follows a chain of renames to the last name, and leaves out a group renamed back', () => {
    expect(groupsOf([], [rename('web', 'front'), rename('front', 'edge')])).toEqual(new Map([['web', 'edge'], ['front', null], ['edge', null]]));
    expect(groupsOf([], [rename('web', 'front'), rename('front', 'web')])).toEqual(new Map([['front', null]]));
  });

  it('follows a swap of two names through a third', () => {
    const swap = [rename('web', 'tmp'), rename('app', 'web'), rename('tmp', 'app')];
    expect(groupsOf([], swap)).toEqual(new Map([['web', 'app'], ['app', 'web'], ['tmp', null]]));
  });

  it('counts only the renames made since the earlier text, and goes back over those undone since', () => {
    const first = rename('web', 'front');
    expect(groupsOf([first], [first, rename('app', 'api')])).toEqual(new Map([['app', 'api'], ['api', null]]));
    // Saved after the rename, then undone: the text's `front` is `web` again.
    expect(groupsOf([first], [])).toEqual(new Map([['front', 'web'], ['web', null]]));
    // Undone, then another rename: back over the first, on along the second.
    expect(groupsOf([first], [rename('app', 'api')])).toEqual(new Map([['front', 'web'], ['web', null], ['app', 'api'], ['api', null]]));
  });

  it('gives nothing of the earlier text to a new group that took a name renamed away', () => {
    // web became front; a new group was called web and then renamed: it is not the earlier web.
    expect(groupsOf([], [rename('web', 'front'), rename('web', 'shop')])).toEqual(new Map([['web', 'front'], ['front', null], ['shop', null]]));
  });

  it('marks gone a renamed group whose name another group took (it was removed first)', () => {
    expect(groupsOf([], [rename('web', 'front'), rename('app', 'front')])).toEqual(new Map([['web', null], ['front', null], ['app', 'front']]));
  });

  it('follows edges given another id apart from groups: a group and an edge may share a name', () => {
    const edge = (from: string, to: string): Rename => ({ kind: 'edge', from, to });
    const way = [rename('web', 'front'), edge('web', 'web-in'), edge('front-to-app', 'web')];
    expect(renamesBetween([], way)).toEqual({
      groups: new Map([['web', 'front'], ['front', null]]),
      edges: new Map([['web', 'web-in'], ['web-in', null], ['front-to-app', 'web']]),
    });
    // Saved after an edge's new id, then undone: the text's new id is the old one again.
    expect(renamesBetween([edge('a-to-b', 'ab')], []).edges).toEqual(new Map([['ab', 'a-to-b'], ['a-to-b', null]]));
  });
});
