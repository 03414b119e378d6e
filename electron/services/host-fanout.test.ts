import { describe, expect, it } from 'vitest';
import { allBounded, runBounded, SshSlots } from './host-fanout';

/** Work that counts how many run at once and ends only when released, in any order. */
class Counter {
  running = 0;
  most = 0;
  readonly started: string[] = [];
  private readonly ends = new Map<string, { ok: (v: string) => void; fail: (e: Error) => void }>();

  work = (item: string): Promise<string> => {
    this.running++;
    this.most = Math.max(this.most, this.running);
    this.started.push(item);
    return new Promise<string>((ok, fail) => this.ends.set(item, { ok, fail })).finally(() => this.running--);
  };

  end(item: string, error?: Error): void {
    const end = this.ends.get(item)!;
    if (error) end.fail(error);
    else end.ok(`read ${item}`);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const items = Array.from({ length: 10 }, (_, i) => `h${i}`);

describe('SshSlots', () => {
  it('runs at most its limit at once, the others in the order they came, each with its own outcome', async () => {
    const counter = new Counter();
    const slots = new SshSlots(3);
    const outcomes = items.map((item) => slots.run(() => counter.work(item)).catch((e: Error) => e.message));
    await settle();
    expect(counter.started).toEqual(['h0', 'h1', 'h2']);

    counter.end('h1', new Error('h1 refused'));
    await settle();
    expect(counter.started).toEqual(['h0', 'h1', 'h2', 'h3']);
    for (const item of items.slice(0, 9)) if (item !== 'h1') {
      counter.end(item);
      await settle();
    }
    counter.end('h9');
    expect(await Promise.all(outcomes)).toEqual(items.map((i) => (i === 'h1' ? 'h1 refused' : `read ${i}`)));
    expect(counter.most).toBe(3);
    expect(counter.started).toEqual(items);
  });
});

describe('runBounded', () => {
  it("answers in the items' order whatever order they end in", async () => {
    const counter = new Counter();
    const all = runBounded(items, 4, counter.work);
    const ended = new Set<string>();
    while (ended.size < items.length) {
      await settle();
      // The latest started ends first.
      const last = counter.started.filter((s) => !ended.has(s)).at(-1)!;
      ended.add(last);
      counter.end(last);
    }
    expect(await all).toEqual(items.map((i) => `read ${i}`));
    expect(counter.most).toBe(4);
  });
});

describe('allBounded', () => {
  it("resolves with every result in the items' order, at most its limit at once", async () => {
    const counter = new Counter();
    const all = allBounded(items, 4, counter.work);
    for (let i = items.length - 1; i >= 0; i--) {
      await settle();
      // Ends only what has started: the first four, then one more each time.
      for (const item of [...counter.started].reverse()) counter.end(item);
    }
    expect(await all).toEqual(items.map((i) => `read ${i}`));
    expect(counter.most).toBe(4);
  });

  it('rejects with the first failure as soon as it comes, starts nothing more, and lets the running ones end', async () => {
    const counter = new Counter();
    const all = allBounded(items, 4, counter.work);
    let outcome: unknown = 'pending';
    all.then(() => (outcome = 'resolved'), (e: Error) => (outcome = e.message));
    await settle();

    counter.end('h2', new Error('h2 refused'));
    await settle();
    expect(outcome).toBe('h2 refused');
    // The next failure is not heard, and h4 onwards never start.
    counter.end('h0', new Error('h0 refused'));
    counter.end('h1');
    counter.end('h3');
    await settle();
    expect(outcome).toBe('h2 refused');
    expect(counter.started).toEqual(['h0', 'h1', 'h2', 'h3']);
    expect(counter.running).toBe(0);
  });
});
