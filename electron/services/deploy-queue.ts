/**
 * How many hosts one deploy works on at once. Each host in flight holds an SSH connection and a
 * remote `ovs-ofctl`: opening hundreds at the same moment trips sshd's MaxStartups (10 unauthenticated
 * connections by default, which matters behind a jump host), connection limits and intrusion detectors.
 * At the lab's 0.5 to 0.8 s per host (docs/performance.md), eight at a time push a hundred hosts in
 * about 10 s, and a switch that hangs holds only its own slot until its command times out.
 */
export const DEPLOY_CONCURRENCY = 8;

/** A host's deploy stopped by a cancel before anything was sent to its switch. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * `work`'s answer, or a CancelledError as soon as `signal` aborts (at once if it has already).
 * `late` receives what `work` gives after it lost to the cancel, to dispose of (a session that opened anyway).
 */
export async function unlessCancelled<T>(signal: AbortSignal, work: Promise<T>, late?: (value: T) => void): Promise<T> {
  let stop = (): void => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = () => reject(new CancelledError());
  });
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  try {
    // After a cancel the work fails because its session was closed; the race has handled that rejection.
    return await Promise.race([work, stopped]);
  } catch (error) {
    if (error instanceof CancelledError && late) void work.then(late, () => undefined);
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * Runs `work` on every item, at most `limit` at a time, starting them in the items' order as
 * earlier ones end; resolves with the results in the items' order. `work` must not reject.
 */
export async function runBounded<I, R>(
  items: readonly I[],
  limit: number,
  work: (item: I) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
