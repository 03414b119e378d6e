import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  const full = absolute(path);
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
