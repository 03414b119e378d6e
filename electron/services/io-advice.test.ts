import { describe, expect, it } from 'vitest';
import { ioReason } from './io-advice';

/** A failure as Node reports one: its code, the system's words and the path it was about. */
function systemError(code: string, words: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${words}, open '${path}'`), { code, path });
}

describe('ioReason', () => {
  it('says that the file system is read-only, where, and what to do, never the raw system words', () => {
    const reason = ioReason(systemError('EROFS', 'read-only file system', '/mnt/ro/.shop.yaml.1a2b.tmp'), 'write', '/mnt/ro/shop.yaml');
    expect(reason).toBe('the file system holding /mnt/ro is read-only (EROFS: mounted read-only, a snapshot or a read-only medium); choose a folder on a writable disk, or remount it writable');
    expect(reason).not.toContain('open ');
  });

  it('names the folder that failed to be made, not the one asked for, when a parent fails', () => {
    expect(ioReason(systemError('EROFS', 'read-only file system', '/mnt/ro/a'), 'write', '/mnt/ro/a/b/c')).toMatch(/^the file system holding \/mnt\/ro is read-only/);
  });

  it.each([
    ['ENOSPC', 'write', 'the disk holding /data is full (ENOSPC); free some space on it, or choose a folder on another disk'],
    ['EDQUOT', 'write', 'your disk quota on /data is used up (EDQUOT); free some of your space, or choose a folder on another disk'],
    ['EACCES', 'write', 'permission denied (EACCES): this user may not write in /data; choose a folder you may write in, or get write access to it'],
    ['EPERM', 'read', 'permission denied (EPERM): this user may not read it; get read access to it, or copy it somewhere you may read'],
    ['EISDIR', 'read', 'it is a folder, not a file (EISDIR); name a file'],
    ['ENOTDIR', 'write', 'a part of its path is a file, not a folder (ENOTDIR); correct the path'],
    ['EEXIST', 'write', 'something is already there (EEXIST); choose a name not taken yet, or move it away'],
    ['ENAMETOOLONG', 'write', 'the file name is too long (ENAMETOOLONG); choose a shorter name or a shorter path'],
    ['ELOOP', 'read', 'its path goes round a loop of symbolic links (ELOOP); correct the links, or give the path without them'],
    ['EBUSY', 'write', 'it is in use by another program (EBUSY); close that program, or choose another path'],
    ['EIO', 'read', 'the disk answered with an input/output error (EIO); check the disk (the system log says more), or choose a folder on another disk'],
    ['EMFILE', 'read', 'too many files are open (EMFILE); close some programs, or raise the limit of open files, and try again'],
  ] as const)('%s on %s: what happened and what to do', (code, verb, words) => {
    expect(ioReason(systemError(code, 'system words', '/data/f.yaml'), verb, '/data/f.yaml')).toBe(words);
  });

  it('gives a code without words of its own in the system\'s words, without the path, and the advice to fix it', () => {
    expect(ioReason(systemError('EXDEV', 'cross-device link not permitted', '/data/f'), 'write', '/data/f')).toBe('EXDEV: cross-device link not permitted; fix that and try again');
  });
});
