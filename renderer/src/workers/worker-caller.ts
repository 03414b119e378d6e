/** A request as sent, without the id the worker's answer is matched by. */
export type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A worker that stopped with an uncaught error: `reason` is the error as the worker gave it. */
export class WorkerFailure extends Error {
  constructor(
    failing: string,
    readonly reason: string,
  ) {
    super(`${failing} failed: ${reason}`);
  }
}

/**
 * Asks one worker, started on the first request, and matches each answer to its request by id.
 * A bug in the worker fails the requests waiting on it, saying `failing` (what was being done),
 * instead of leaving them hanging; the next request starts a new worker.
 */
export class WorkerCaller<Request extends { id: number }, Reply extends { id: number }> {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly start: () => Worker,
    private readonly failing: string,
  ) {}

  ask(request: Unnumbered<Request>): Promise<Reply> {
    this.worker ??= this.started();
    const id = this.nextId++;
    const sent = this.worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      sent.postMessage({ ...request, id });
    });
  }

  /** Stops the worker: requests waiting on it are never answered, and the next request starts a new worker. */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
    this.waiting.clear();
  }

  private started(): Worker {
    const started = this.start();
    started.onmessage = ({ data }: MessageEvent<Reply>) => {
      this.waiting.get(data.id)?.resolve(data);
      this.waiting.delete(data.id);
    };
    started.onerror = (event) => {
      for (const { reject } of this.waiting.values()) reject(new WorkerFailure(this.failing, event.message));
      this.waiting.clear();
      started.terminate();
      this.worker = null;
    };
    return started;
  }
}
