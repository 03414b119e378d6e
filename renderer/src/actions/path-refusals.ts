import type { ApiErrorCode } from '@shared/api/contract';

/*
 * A path typed in the browser's dialog that the service refuses (a typo, a folder) is asked for
 * again with the path as typed and the reason under it, rather than the dialog closing on a
 * banner or a failed source, and the path having to be typed again. Open, Save as and Open
 * inventory file ask so.
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
