import { dirname } from 'node:path';
import { systemReason } from './file-kind';

/** Whether the failed call read a file, or wrote (made) one. */
export type IoVerb = 'read' | 'write';

/**
 * What a failed file-system call on `path` means and what to do about it, in words for a
 * message that names the path already: `the file system holding /srv is read-only (EROFS);
 * choose a folder on a writable disk`. The code stays in brackets, so the words can still be
 * searched for; a code without words of its own gets the system's, and the advice to fix that.
 */
export function ioReason(error: unknown, verb: IoVerb, path: string): string {
  const failed = error as NodeJS.ErrnoException | null;
  const code = failed?.code;
  // The path the system names is the one that failed: a missing parent's, when making a folder's parents.
  const folder = dirname(failed?.path ?? path);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return verb === 'read'
        ? `permission denied (${code}): this user may not read it; get read access to it, or copy it somewhere you may read`
        : `permission denied (${code}): this user may not write in ${folder}; choose a folder you may write in, or get write access to it`;
    case 'EROFS':
      return `the file system holding ${folder} is read-only (EROFS: mounted read-only, a snapshot or a read-only medium); choose a folder on a writable disk, or remount it writable`;
    case 'ENOSPC':
      return `the disk holding ${folder} is full (ENOSPC); free some space on it, or choose a folder on another disk`;
    case 'EDQUOT':
      return `your disk quota on ${folder} is used up (EDQUOT); free some of your space, or choose a folder on another disk`;
    case 'EISDIR':
      return `it is a folder, not a file (EISDIR); ${verb === 'read' ? 'name a file' : "choose a file's path, or add the file's name after the folder"}`;
    case 'ENOTDIR':
      return `a part of its path is a file, not a folder (ENOTDIR); correct the path`;
    case 'EEXIST':
      return `something is already there (EEXIST); choose a name not taken yet, or move it away`;
    case 'ENAMETOOLONG':
      return `the file name is too long (ENAMETOOLONG); choose a shorter name or a shorter path`;
    case 'ELOOP':
      return `its path goes round a loop of symbolic links (ELOOP); correct the links, or give the path without them`;
    case 'EBUSY':
    case 'ETXTBSY':
      return `it is in use by another program (${code}); close that program, or choose another path`;
    case 'EIO':
      return `the disk answered with an input/output error (EIO); check the disk (the system log says more), or choose a folder on another disk`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many files are open (${code}); close some programs, or raise the limit of open files, and try again`;
    default:
      return `${systemReason(error)}; fix that and try again`;
  }
}
