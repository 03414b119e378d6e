import { randomBytes } from 'node:crypto';
import { lstat, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ServiceError } from './service-error';

/** Reads a text file the user named; errors say which file and why. */
export async function readTextFile(path: string): Promise<{ path: string; text: string }> {
  const full = absolute(path);
  try {
    return { path: full, text: await readFile(full, 'utf8') };
  } catch (error) {
    throw fileError('read', full, error);
  }
}

/**
 * Writes a file atomically: a temporary sibling is written in full, then renamed over the
 * target, so a crash or a full disk never leaves a half-written policy.
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<{ path: string }> {
  const full = await regularFileTarget(absolute(path));
  const temp = join(dirname(full), `.${basename(full)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, full);
    return { path: full };
  } catch (error) {
    await rm(temp, { force: true });
    throw fileError('write', full, error);
  }
}

/**
 * Where a write to `path` should land: the path itself when it is a regular file or does not
 * exist yet, the file a symlink points to (the rename would otherwise replace the link), and
 * never a device, folder, pipe or socket, which a rename would silently replace.
 */
async function regularFileTarget(path: string): Promise<string> {
  let target = path;
  try {
    if ((await lstat(path)).isSymbolicLink()) target = await realpath(path);
    const stats = await stat(target);
    if (!stats.isFile()) throw new ServiceError('bad-request', `${path} is ${stats.isDirectory() ? 'a folder' : 'a device, pipe or socket'}, not a file; choose a file path.`);
    return target;
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && target === path) return path;
    throw fileError('write', path, error);
  }
}

function absolute(path: string): string {
  if (path.trim() === '') throw new ServiceError('bad-request', 'No file path given; enter the path of a policy file.');
  return isAbsolute(path) ? path : resolve(path);
}

function fileError(verb: 'read' | 'write', path: string, error: unknown): ServiceError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT' ? (verb === 'read' ? 'it does not exist' : 'its folder does not exist')
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder, not a file'
    : (error as Error).message;
  return new ServiceError(code === 'ENOENT' && verb === 'read' ? 'not-found' : 'io', `Could not ${verb} ${path}: ${reason}.`);
}
