import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

/** What is at a path, in words for a message: "a folder", "a device", "a named pipe", "a socket", or "a file". */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return stats.isSymbolicLink() ? 'a symbolic link' : 'a file';
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
