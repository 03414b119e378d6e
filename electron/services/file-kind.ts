import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** What is at a path, in words for a message: "a folder", "a device", "a named pipe", "a socket", or "a file". */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return stats.isSymbolicLink() ? 'a symbolic link' : 'a file';
}

/** Something other than a regular file at a path; `kind` says what, as fileKind words it. */
export class NotAFile extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a file`);
  }
}

/**
 * The bytes of the regular file at `path`. Anything else there is refused before reading, with
 * NotAFile: a folder fails the read in the system's words, and a named pipe or a device would
 * hold it until someone wrote to it, or for ever. The system's own errors (ENOENT, EACCES) pass.
 */
export async function regularFileBytes(path: string): Promise<Buffer> {
  const stats = await stat(path);
  if (!stats.isFile()) throw new NotAFile(path, fileKind(stats));
  return readFile(path);
}

/** The operating system's own words for a failed call, without the path it names: `ENOENT: no such file or directory`. */
export function systemReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  // Node words it `CODE: description, syscall 'path'`.
  return code && message.startsWith(`${code}: `) ? message.split(', ')[0]! : message;
}

/**
 * Why no file could be made in `folder`, when the system answered ENOENT there though the
 * folder exists (/proc, a folder being removed): not a missing folder, as ENOENT alone suggests.
 * Undefined for any other failure.
 */
export async function refusedByFolder(folder: string, error: unknown): Promise<string | undefined> {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !(await stat(folder).catch(() => null))?.isDirectory()) return undefined;
  return `the folder ${folder} exists, but no file can be created in it (${systemReason(error)})`;
}
