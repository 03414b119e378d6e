import { createHash } from 'node:crypto';

/**
 * File names stop at 255 bytes on Linux and macOS; this leaves room for the temporary name an
 * atomic write uses beside it (`.NAME.xxxxxxxx.tmp`, see writeTextFileAtomic).
 */
const MAX_NAME_BYTES = 255 - 14;

/**
 * The file name of a host's file: `stem` (the host name made safe for a file name) followed by
 * `extension` when that fits; else the stem cut short, followed by `+` and a hash of the whole
 * stem. Host names may be 253 characters long, which with an extension is too long for a file
 * name. No stem holds a `+` (host names and their URI encoding have none), so a cut name never
 * equals another host's whole one, and two cut names differ by their hashes.
 */
export function hostFileName(stem: string, extension: string): string {
  if (Buffer.byteLength(stem + extension) <= MAX_NAME_BYTES) return stem + extension;
  const hash = createHash('sha256').update(stem).digest('hex').slice(0, 16);
  // The stems are ASCII (callers replace or encode everything else), so characters are bytes.
  return `${stem.slice(0, MAX_NAME_BYTES - extension.length - hash.length - 1)}+${hash}${extension}`;
}
