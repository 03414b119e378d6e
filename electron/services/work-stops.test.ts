import { describe, expect, it } from 'vitest';
import { WorkStops } from './work-stops';

/** Work that waits until its signal aborts, and says so; `started` hears the signal it was given. */
function untilStopped(started?: (signal: AbortSignal) => void): (stop: AbortSignal) => Promise<string> {
  return (stop) => {
    started?.(stop);
    return new Promise((resolve) => {
      if (stop.aborted) resolve('stopped at once');
      else stop.addEventListener('abort', () => resolve('stopped while it ran'), { once: true });
    });
  };
}

describe('WorkStops', () => {
  it('stops the work under an id while it runs', async () => {
    const stops = new WorkStops();
    const work = stops.run('a', untilStopped());

    stops.stop('a');

    expect(await work).toBe('stopped while it ran');
  });

  it('stops work whose stop came first: the two requests of browser mode may overtake each other', async () => {
    const stops = new WorkStops();

    stops.stop('a');

    expect(await stops.run('a', untilStopped())).toBe('stopped at once');
  });

  it('ends every request under one id with one stop, and leaves the other ids and the work without one running', async () => {
    const stops = new WorkStops();
    const signals: AbortSignal[] = [];
    const hops = [stops.run('trace', untilStopped()), stops.run('trace', untilStopped())];
    void stops.run('other', untilStopped((s) => signals.push(s)));
    void stops.run(undefined, untilStopped((s) => signals.push(s)));

    stops.stop('trace');

    expect(await Promise.all(hops)).toEqual(['stopped while it ran', 'stopped while it ran']);
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });

  it('answers what the work answers, and fails as it fails, when nothing stops it', async () => {
    const stops = new WorkStops();

    expect(await stops.run('a', () => Promise.resolve(42))).toBe(42);
    await expect(stops.run('b', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
