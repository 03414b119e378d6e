/**
 * How many SSH sessions one fan-out to hosts holds at once: a deploy, a read of what the hosts run,
 * the switch reads the UI asks for host by host. Opening hundreds at the same moment trips sshd's
 * MaxStartups (10 unauthenticated connections by default, which matters behind a jump host),
 * connection limits and intrusion detectors. At the lab's 0.5 to 0.8 s per host
 * (docs/performance.md), eight at a time push a hundred hosts in about 10 s, and a switch that
 * hangs holds only its own slot until its command times out.
 */
export const SSH_CONCURRENCY = 8;

/**
 * A queue for work on hosts: at most `limit` run at once; the others start in the order they came
 * as earlier ones end. Each caller gets its own work's answer or rejection.
 */
export class SshSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit = SSH_CONCURRENCY) {
    this.free = Math.max(1, limit);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * Runs `work` on every item, at most `limit` at a time, starting them in the items' order as
 * earlier ones end; resolves with the results in the items' order. `work` must not reject.
 */
export async function runBounded<I, R>(items: readonly I[], limit: number, work: (item: I) => Promise<R>): Promise<R[]> {
  const slots = new SshSlots(limit);
  return Promise.all(items.map((item) => slots.run(() => work(item))));
}

/**
 * Promise.all over `items.map(work)`, at most `limit` at a time: the results in the items' order,
 * or the first rejection as soon as it comes. After a rejection no further item starts; those
 * running end on their own (and close what they opened), their outcome unheard.
 */
export async function allBounded<I, R>(items: readonly I[], limit: number, work: (item: I) => Promise<R>): Promise<R[]> {
  let failure: { error: unknown } | undefined;
  let heard = (): void => undefined;
  const failed = new Promise<void>((resolve) => (heard = resolve));
  const settled = async (item: I): Promise<R | undefined> => {
    if (failure) return undefined;
    try {
      return await work(item);
    } catch (error) {
      failure ??= { error };
      heard();
      return undefined;
    }
  };
  const results = await Promise.race([runBounded(items, limit, settled), failed]);
  if (failure) throw failure.error;
  // Without a failure every item ran, so every result is one `work` gave.
  return results as R[];
}
