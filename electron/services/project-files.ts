import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ApiErrorCode } from '@shared/api/contract';
import { fileKind, refusedByFolder } from './file-kind';
import { ioReason } from './io-advice';
import { ServiceError } from './service-error';

/**
 * The largest file read as text (a policy, an inventory, a connection log, NetworkPolicy
 * YAML): far above any real one (50,000 workloads are a few MB), and far below what a string
 * can hold, so a wrong file is refused at once instead of failing after minutes.
 */
export const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

/**
 * A file that could not be read or written: the path, and the reason in words a user can act on;
 * with the system's code when the system refused it, for a caller whose advice differs (the app's
 * own files are at no path the user chose).
 */
export class FileError extends ServiceError {
  constructor(
    code: ApiErrorCode,
    readonly verb: 'read' | 'write',
    readonly path: string,
    readonly reason: string,
    readonly systemCode?: string,
  ) {
    super(code, `Could not ${verb} ${path}: ${reason}.`);
  }
}

/**
 * Reads a text file the user named; errors say which file and why. Only regular files up to
 * MAX_TEXT_FILE_BYTES are read: a device never ends (/dev/zero) and a pipe without a writer
 * never answers, so both are refused before reading, and the pipe is opened without waiting.
 */
export async function readTextFile(path: string): Promise<{ path: string; text: string }> {
  const full = absolute(path, 'read');
  let file: FileHandle;
  try {
    file = await open(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw await fileError('read', full, error);
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw new FileError('bad-request', 'read', full, `it is ${fileKind(stats)}, not a file; name a regular file`);
    if (stats.size > MAX_TEXT_FILE_BYTES) throw new FileError('bad-request', 'read', full, `it is ${megabytes(stats.size)}, more than the ${megabytes(MAX_TEXT_FILE_BYTES)} an input file may be; check that it is the right file`);
    return { path: full, text: utf8Text(await file.readFile(), full) };
  } catch (error) {
    throw error instanceof FileError ? error : await fileError('read', full, error);
  } finally {
    await file.close();
  }
}

/**
 * The bytes as UTF-8 text. Another encoding is refused, not read: decoded as UTF-8, a
 * spreadsheet's Windows-1252 export turns `café` into a name with a replacement character, and
 * UTF-16 into a header no column matches, both far from the cause. A BOM stays, as the readers
 * expect it.
 */
export function utf8Text(bytes: Buffer, full: string): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  let text: string | undefined;
  try {
    text = utf16 ? undefined : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  // UTF-16 without a BOM decodes, with a NUL beside every ASCII character; no text file holds one.
  if (text === undefined || text.includes('\0')) {
    throw new FileError('bad-request', 'read', full, `it is not UTF-8 text (${utf16 || text !== undefined ? 'UTF-16, or a binary file' : 'Windows-1252 or Latin-1, as spreadsheets often save, or a binary file'}); save it as UTF-8`);
  }
  return text;
}

function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} MB`;
}

/**
 * Writes a file atomically: a temporary sibling is written in full, then renamed over the
 * target, so a crash or a full disk never leaves a half-written policy.
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<{ path: string }> {
  const full = await regularFileTarget(absolute(path, 'write'));
  const temp = join(dirname(full), `.${basename(full)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, full);
    return { path: full };
  } catch (error) {
    await rm(temp, { force: true });
    throw await writeError(full, error);
  }
}

/**
 * Makes one of the app's own data folders (settings, backups) with its parents when missing;
 * a failure (a read-only home, a file in the way) says where and why, as a failed write does,
 * instead of reaching the user as an unexpected failure.
 */
export async function makeDataFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    // EEXIST: something other than a folder has the folder's name.
    const there = (error as NodeJS.ErrnoException).code === 'EEXIST' ? await stat(dir).catch(() => null) : null;
    if (there) throw new FileError('io', 'write', dir, `it is ${fileKind(there)}, not a folder; move it away, and the folder is made there`);
    throw await fileError('write', dir, error);
  }
}

/**
 * Why a file could not be made: ENOENT where its folder exists is the filesystem refusing new
 * files there (/proc, a folder being removed), not a missing folder.
 */
async function writeError(path: string, error: unknown): Promise<FileError> {
  const refused = await refusedByFolder(dirname(path), error);
  return refused ? new FileError('io', 'write', path, `${refused}; choose another place`) : await fileError('write', path, error);
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
    if (!stats.isFile()) throw new FileError('bad-request', 'write', path, `it is ${fileKind(stats)}, not a file; choose a file path`);
    return target;
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && target === path) return path;
    throw await fileError('write', path, error);
  }
}

/**
 * The path as every caller keys the file by: full, with `//`, `.` and `..` resolved, so one
 * file has one spelling (a save's "changed on disk" check compares by it). A trailing "/" names
 * a folder; dropping it would quietly turn `shop.yaml/` into `shop.yaml`, so it is refused.
 */
function absolute(path: string, verb: 'read' | 'write'): string {
  if (path.trim() === '') throw new ServiceError('bad-request', 'No file path given; enter the path of a policy file.');
  const full = resolve(path);
  const slash = path.endsWith('/') ? '/' : path.endsWith(sep) ? sep : undefined;
  if (slash && dirname(full) !== full) {
    throw new FileError('bad-request', verb, path, `the path ends in "${slash}", so it names a folder, not a file; remove the "${slash}" or add the file's name after it`);
  }
  return full;
}

async function fileError(verb: 'read' | 'write', path: string, error: unknown): Promise<FileError> {
  const code = (error as NodeJS.ErrnoException).code;
  const blocker = code === 'ENOTDIR' ? await fileOnThePath(path) : undefined;
  const reason =
    code === 'ENOENT' ? (verb === 'read' ? 'it does not exist' : `its folder ${dirname(path)} does not exist; create it first, or choose a path in a folder that exists`)
    : blocker ? `${blocker} is a file, not a folder, so the path cannot go through it; correct the path, or choose a folder that exists`
    : ioReason(error, verb, path);
  return new FileError(code === 'ENOENT' && verb === 'read' ? 'not-found' : 'io', verb, path, reason, code);
}

/** The nearest existing folder of `path` when it is no folder: what ENOTDIR means, by name. */
export async function fileOnThePath(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return (await stat(dir)).isDirectory() ? undefined : dir;
    } catch {
      // Missing, or itself under a file: look one level up.
    }
  }
  return undefined;
}
