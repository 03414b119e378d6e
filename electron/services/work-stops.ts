import { CancelledError, unlessCancelled } from './deploy-queue';
import { ServiceError } from './service-error';
import type { SshSession } from './ssh-session';

/**
 * How many stopped ids are remembered. A stop may reach the node side before the request it
 * stops (the browser-mode door sends them as two HTTP requests, which may overtake each other):
 * the request must then start stopped. Ids are the askers' random UUIDs, never reused, so a
 * bounded memory of the latest is enough; no timer is needed to forget them.
 */
const REMEMBERED_STOPS = 256;

/** The signal of work no one can stop: never aborted. */
export const NEVER_STOPPED = new AbortController().signal;

/**
 * SSH work the UI may stop, by the `stopId` its asker chose (see the contract's `work:stop`).
 * One id may name several requests at once (the trace panel asks every hop's switch): a stop
 * ends them all.
 */
export class WorkStops {
  /** The work under way, by id: one controller per id, shared by its requests. */
  private readonly running = new Map<string, { stop: AbortController; requests: number }>();
  /** Ids stopped lately, oldest first: work that comes after its stop starts stopped. */
  private readonly stopped = new Set<string>();

  /** Runs `work` with a signal that aborts when `stopId` is stopped (before, or while it runs). Without an id, nothing can stop it. */
  async run<T>(stopId: string | undefined, work: (stop: AbortSignal) => Promise<T>): Promise<T> {
    if (stopId === undefined) return work(NEVER_STOPPED);
    const entry = this.running.get(stopId) ?? { stop: new AbortController(), requests: 0 };
    if (this.stopped.has(stopId)) entry.stop.abort();
    entry.requests++;
    this.running.set(stopId, entry);
    try {
      return await work(entry.stop.signal);
    } finally {
      if (--entry.requests === 0) this.running.delete(stopId);
    }
  }

  /** Stops the work named `stopId`, and any that comes later under it. Idempotent. */
  stop(stopId: string): void {
    this.stopped.delete(stopId);
    this.stopped.add(stopId);
    if (this.stopped.size > REMEMBERED_STOPS) this.stopped.delete(this.stopped.values().next().value!);
    this.running.get(stopId)?.stop.abort();
  }
}

/**
 * Opens a session, runs `use` on it and closes it; when `stop` aborts first, this rejects with
 * a CancelledError at once: a connection still opening is dropped (openSshSession), and an open
 * session is closed under the command it waits for.
 */
export async function inStoppableSession<T>(stop: AbortSignal, open: (stop: AbortSignal) => Promise<SshSession>, use: (session: SshSession) => Promise<T>): Promise<T> {
  // Stopped while it waited for its turn: the host is never contacted.
  if (stop.aborted) throw new CancelledError();
  const session = await unlessCancelled(stop, open(stop), (late) => late.close());
  try {
    return await unlessCancelled(stop, use(session));
  } finally {
    session.close();
  }
}

/**
 * For `catch`: a CancelledError becomes the `stopped` error the asker sees, saying `message`,
 * after `logStop` wrote it to the log; anything else goes on as it is.
 */
export function asStopped(message: string, logStop?: () => void): (error: unknown) => never {
  return (error) => {
    if (!(error instanceof CancelledError)) throw error;
    logStop?.();
    throw new ServiceError('stopped', message);
  };
}
