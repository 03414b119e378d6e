import type { ApiResponse } from '@shared/api/contract';

export interface OverwriteQuestion {
  title: string;
  message: string;
  confirmLabel: string;
}

/**
 * The question to ask before saving to `path`, or null when saving loses nothing made outside
 * the designer. `known` is the text the file had when the designer last read or wrote it
 * (undefined for a file it never touched); `current` is the file read again just now;
 * `inventoryFiles` are the inventory files open as sources, which a policy saved over is lost.
 */
export function overwriteQuestion(
  path: string,
  known: string | undefined,
  current: ApiResponse<{ path: string; text: string }>,
  inventoryFiles: readonly string[] = [],
): OverwriteQuestion | null {
  if (current.ok && inventoryFiles.some((f) => samePath(f, current.value.path))) {
    return {
      title: 'Replace the open inventory file?',
      message: `${current.value.path} is the inventory file open as a source: its workloads are the ones the groups select. Saving the policy there replaces the inventory with the policy, and the workloads are lost. Choose another path to keep them.`,
      confirmLabel: 'Replace the inventory',
    };
  }
  if (!current.ok) {
    // Gone since we read or wrote it: someone deleted or moved it, and saving would bring it back.
    if (current.error.code !== 'not-found' || known === undefined) return null; // otherwise the write will say
    return { title: 'The file was deleted on disk', message: `${path} was deleted or moved outside the designer since it was opened or saved. Saving creates it again with this policy.`, confirmLabel: 'Save' };
  }
  if (known === current.value.text) return null;
  return known === undefined
    ? { title: 'Replace the existing file?', message: `${current.value.path} already exists. Saving replaces its contents with this policy.`, confirmLabel: 'Replace' }
    : { title: 'The file changed on disk', message: `${current.value.path} was changed outside the designer since it was opened or saved. Saving now overwrites those changes.`, confirmLabel: 'Overwrite' };
}

/**
 * True when two full paths name one file as written: `//`, `.` and `..` are read as the service
 * reads them (it answers with the resolved spelling, the source keeps the typed one). Links are
 * not followed; the page cannot see them.
 */
function samePath(a: string, b: string): boolean {
  return a === b || resolvedSpelling(a) === resolvedSpelling(b);
}

function resolvedSpelling(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}
