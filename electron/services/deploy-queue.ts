/** Work on a host stopped by a cancel before anything was sent to its switch. */
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
