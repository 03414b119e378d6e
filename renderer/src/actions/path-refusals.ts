import type { ApiErrorCode, ApiErrorData } from '@shared/api/contract';

/*
 * A path typed in the browser's dialog that the service refuses (a typo, a folder) is asked for
 * again with the path as typed and the reason under it, rather than the dialog closing on a
 * banner or a failed source, and the path having to be typed again. Open, Save as, Open
 * inventory file, Compare with a saved version and Replay ask so.
 */

/** A path the service would not read or write, and why in its words. */
export interface Refusal {
  path: string;
  problem: string;
}

/** The codes a write fails with when the path is at fault (a folder, no such folder), not the service. */
export const WRITE_REFUSALS: ReadonlySet<ApiErrorCode> = new Set(['bad-request', 'io']);

/** The codes a read fails with when the path is at fault (no such file, a folder), not the service. */
export const READ_REFUSALS: ReadonlySet<ApiErrorCode> = new Set(['bad-request', 'not-found', 'io']);

/**
 * Whether a read failed on the path itself (no such file, a folder, not UTF-8) rather than on
 * what the file says: a file read but with errors fails with them as its detail, and those are
 * listed where its errors are shown, to be mended in the file, not in the path.
 */
export function isUnreadablePath(error: ApiErrorData): boolean {
  return READ_REFUSALS.has(error.code) && error.detail === undefined;
}

/**
 * Asks for a path until `attempt` takes one or the dialog is cancelled: `attempt` gives back a
 * path it refuses, with why, and `ask` is asked again with it.
 */
export async function askUntilTaken(ask: (refused: Refusal | undefined) => Promise<string | null>, attempt: (path: string) => Promise<Refusal | undefined>): Promise<void> {
  let refused: Refusal | undefined;
  for (;;) {
    const path = await ask(refused);
    if (!path) return;
    refused = await attempt(path);
    if (!refused) return;
  }
}
