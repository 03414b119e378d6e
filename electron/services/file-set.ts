import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileKind, refusedByFolder, systemReason } from './file-kind';
import { ioReason } from './io-advice';
import { ServiceError } from './service-error';

/** One file of a set: where it goes, directly in the set's folder, and its text. */
export interface FileToWrite {
  path: string;
  /**
   * The text, or how to make it when the file's turn comes: a set of large texts (a compile's
   * flow tables, 600 MB at 50,000 workloads) is then held one file at a time, not all at once.
   */
  text: string | (() => string);
}

/** A folder made ready for a set of files: its full path, and the folders made for it (outermost first). */
export interface PreparedFolder {
  path: string;
  made: string[];
}

/**
 * The folder a set of files goes into, made when missing; a failure says which folder and why,
 * and leaves no folder of those it made on the way.
 */
export async function prepareFolder(dir: string): Promise<PreparedFolder> {
  const full = resolve(dir);
  try {
    return { path: full, made: await makeFolder(full) };
  } catch (error) {
    // mkdir says EEXIST for something in the way, ENOTDIR for something in the way of a parent.
    const code = (error as NodeJS.ErrnoException).code;
    const blocking = code === 'EEXIST' || code === 'ENOTDIR' ? await notAFolder(full) : undefined;
    const why =
      blocking ? `${blocking.path === full ? 'it' : `${blocking.path}, a part of its path,`} is ${blocking.kind}, not a folder; choose a folder, or a name not taken yet`
      : code === 'ENOENT' ? `no folder can be made there (${systemReason(error)}); choose another place`
      : ioReason(error, 'write', full);
    throw new ServiceError('bad-request', `Cannot create the folder ${full}: ${why}.`);
  }
}

/**
 * Writes a set of files into `dir` as `writeFileSetAtomic` does, making the folder when missing.
 * A run that fails, or is interrupted, leaves the file system as it found it: the folders it
 * made are removed again, so no empty output folder suggests that something was written.
 * `filesIn` places the files in the folder's full path.
 */
export async function writeFileSetIntoFolder(
  dir: string,
  filesIn: (folder: string) => FileToWrite[],
  signal?: AbortSignal,
): Promise<{ folder: string; written: string[] }> {
  const folder = await prepareFolder(dir);
  try {
    return { folder: folder.path, written: await writeFileSetAtomic(filesIn(folder.path), signal) };
  } catch (error) {
    await removeFolders(folder.made);
    throw error;
  }
}

/** The nearest of `full` and its parents that exists, when it is not a folder, and what it is. */
async function notAFolder(full: string): Promise<{ path: string; kind: string } | undefined> {
  for (let path = full; ; path = dirname(path)) {
    const stats = await stat(path).catch(() => null);
    if (stats) return stats.isDirectory() ? undefined : { path, kind: fileKind(stats) };
    if (dirname(path) === path) return undefined;
  }
}

/**
 * Makes the folder and its missing parents, one level at a time, and returns those it made,
 * outermost first; failing, it removes them again. Not `mkdir(…, { recursive: true })`:
 * Node's retries for ever where mkdir says ENOENT though the parent is there (under /proc, for one).
 */
async function makeFolder(full: string): Promise<string[]> {
  try {
    await mkdir(full);
    return [full];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await isFolder(full))) return [];
    const parent = dirname(full);
    if (code !== 'ENOENT' || parent === full) throw error;
    const made = await makeFolder(parent);
    // Once more only: a second ENOENT is the answer, not a reason to try again.
    try {
      await mkdir(full);
    } catch (again) {
      if (await isFolder(full)) return made;
      await removeFolders(made);
      throw again;
    }
    return [...made, full];
  }
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/**
 * Best effort, innermost first: rmdir takes only an empty folder, so one that something else
 * put a file into meanwhile stays, and its failure must not hide the error that matters.
 */
async function removeFolders(made: readonly string[]): Promise<void> {
  for (const folder of [...made].reverse()) await rmdir(folder).catch(() => undefined);
}

/**
 * Writes a set of files, all or nothing as far as a filesystem allows: each is written in full
 * to a temporary beside its target first, and only when all of them are there are they renamed
 * over their targets. A write error or an abort (`signal`) before that removes the temporaries
 * and leaves every old file as it was. Renaming takes moments and is never stopped halfway by
 * the signal, so an interrupt cannot leave old and new files mixed. A folder, device, pipe or
 * socket in a target's place is refused before anything is written. Returns the paths written.
 */
export async function writeFileSetAtomic(files: readonly FileToWrite[], signal?: AbortSignal): Promise<string[]> {
  for (const f of files) await refuseNonFile(f.path);

  const temps: string[] = [];
  try {
    for (const f of files) {
      signal?.throwIfAborted();
      const temp = join(dirname(f.path), `.${basename(f.path)}.${randomBytes(4).toString('hex')}.tmp`);
      temps.push(temp);
      await writeFile(temp, typeof f.text === 'string' ? f.text : f.text(), { encoding: 'utf8', flag: 'wx', signal });
    }
  } catch (error) {
    await removeAll(temps);
    if (signal?.aborted) throw new ServiceError('io', `Interrupted: nothing written into ${folderOf(files)}; the files there are as they were.`);
    const failed = files[temps.length - 1]?.path ?? '';
    const refused = await refusedByFolder(dirname(failed), error);
    const why = refused ? `${refused}; choose another folder` : ioReason(error, 'write', failed);
    throw new ServiceError('io', `Nothing written into ${folderOf(files)}: could not write ${failed}: ${why}.`);
  }

  const written: string[] = [];
  for (const [i, f] of files.entries()) {
    try {
      await rename(temps[i]!, f.path);
      written.push(f.path);
    } catch (error) {
      await removeAll(temps.slice(i));
      const done = written.length > 0 ? ` (already replaced: ${written.join(', ')})` : '';
      throw new ServiceError('io', `Could not write ${f.path}${done}: ${ioReason(error, 'write', f.path)}.`);
    }
  }
  return written;
}

/** A folder, device, pipe or socket in the way is the user's to move; a rename would replace it. */
async function refuseNonFile(path: string): Promise<void> {
  const stats = await lstat(path).catch(() => null);
  if (stats && !stats.isFile() && !stats.isSymbolicLink()) {
    throw new ServiceError('bad-request', `${path} is ${fileKind(stats)}, not a file; move it away and try again. Nothing written.`);
  }
}

/** Best effort: a temporary that cannot be removed (or was never made) must not hide the error that matters. */
async function removeAll(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true }).catch(() => undefined)));
}

function folderOf(files: readonly FileToWrite[]): string {
  return files[0] ? dirname(files[0].path) : 'the folder';
}
