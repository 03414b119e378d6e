import { readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileKind, NotAFile, regularFileBytes } from './file-kind';
import { ioReason } from './io-advice';
import { FileError, fileOnThePath, makeDataFolder, utf8Text, writeTextFileAtomic } from './project-files';
import { ServiceError } from './service-error';

/** One of the app's own files (settings such as hosts.json and known-hosts.json, a host's backup), which a person may also edit or move by hand. */
export interface AppFile {
  path: string;
  /** What it holds, as a message begins: `The SSH targets`. */
  holds: string;
  /** What to do once it is moved away, to start without it: `configure the hosts anew under Hosts`. */
  thenDo: string;
}

/**
 * The file's text, or undefined when there is none yet. One that is there but cannot be read
 * fails with code `io`, saying which file, why in plain words and what to do. Its path is the
 * app's, not one the user chose, so the advice is never to name another file.
 */
export async function readAppFile(file: AppFile): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await regularFileBytes(file.path);
  } catch (error) {
    if (error instanceof NotAFile) throw unreadableAppFile(file, `it is ${error.kind}, not a file; move it away and ${file.thenDo}`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return await noneUnlessLinked(file);
    throw unreadableAppFile(file, await systemWhy(file, error));
  }
  try {
    return utf8Text(bytes, file.path);
  } catch (error) {
    throw error instanceof FileError ? unreadableAppFile(file, error.reason) : error;
  }
}

/**
 * No file, unless a symbolic link stands in its place and points where nothing is (a dotfiles
 * folder moved): taken as none, its contents would look lost, and the next save would put a
 * file in the link's place.
 */
async function noneUnlessLinked(file: AppFile): Promise<undefined> {
  const link = await readlink(file.path).catch(() => undefined);
  if (link === undefined) return undefined;
  throw unreadableAppFile(file, `it is a symbolic link to ${resolve(dirname(file.path), link)}, which does not exist; put the file back there, or remove the link and ${file.thenDo}`);
}

/**
 * Writes the file atomically (writeTextFileAtomic), making its folder when missing. A failure
 * says which file, why and what to do, never "choose another folder" or "a file path to choose"
 * as for a file the user named: its path is the app's.
 */
export async function writeAppFile(file: AppFile, text: string): Promise<void> {
  const there = await stat(file.path).catch(() => null);
  if (there !== null && !there.isFile()) throw unsaved(file, `it is ${fileKind(there)}, not a file; move it away and ${file.thenDo}`);
  try {
    await makeDataFolder(dirname(file.path));
    await writeTextFileAtomic(file.path, text);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    throw unsaved(file, appWriteWhy(error) ?? (error.path === file.path ? error.reason : `${error.path}: ${error.reason}`));
  }
}

/** Why the system refused to write the app's file, with advice for a folder the user did not choose; undefined where the writer's own words fit. */
function appWriteWhy(error: FileError): string | undefined {
  const folder = dirname(error.path);
  switch (error.systemCode) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${error.systemCode}): this user may not write in ${folder}; give this user write access to it (the app keeps its settings there), or run the app as the user who owns it`;
    case 'EROFS':
      return `the file system holding ${folder} is read-only (EROFS); remount it writable, then try again`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk holding ${folder} is full, or your quota on it used up (${error.systemCode}); free some space on it, then try again`;
    default:
      return undefined;
  }
}

function unsaved(file: AppFile, why: string): ServiceError {
  return new ServiceError('io', `${file.holds} cannot be saved in ${file.path}: ${why}.`);
}

function unreadableAppFile(file: AppFile, why: string): ServiceError {
  return new ServiceError('io', `${file.holds} in ${file.path} cannot be read: ${why}.`);
}

/** Why the system refused the read, with advice for a path the user did not choose. */
async function systemWhy(file: AppFile, error: unknown): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return `permission denied (${code}): this user may not read it; give this user read and write access to it (the app saves it too), or run the app as the user who owns it`;
  }
  const blocker = code === 'ENOTDIR' ? await fileOnThePath(file.path) : undefined;
  if (blocker !== undefined) return `${blocker} is a file, not a folder, so the app's folder cannot be there; move that file away and ${file.thenDo}`;
  return ioReason(error, 'read', file.path);
}
