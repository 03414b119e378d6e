import type { AnalysisSteps } from '@shared/analysis/steps';
import { describe, expect, it } from 'vitest';
import { CancelledError } from './deploy-queue';
import { runInSlices } from './time-slices';

function* threeSteps(log: string[]): AnalysisSteps<string> {
  for (let i = 1; i <= 3; i++) {
    log.push(`step ${i}`);
    yield { done: i, total: 3, unit: 'steps' };
  }
  return 'result';
}

describe('runInSlices', () => {
  it('reports progress and lets other work run between slices', async () => {
    const log: string[] = [];
    const other = new Promise<void>((resolve) =>
      setImmediate(() => {
        log.push('other work');
        resolve();
      }),
    );
    // A slice of 0 ms ends after every step.
    const result = await runInSlices(threeSteps(log), (p) => log.push(`progress ${p.done}/${p.total}`), undefined, 0);
    await other;
    expect(result).toBe('result');
    expect(log).toEqual(['step 1', 'progress 1/3', 'other work', 'step 2', 'progress 2/3', 'step 3', 'progress 3/3']);
  });

  it('runs straight through when the work fits in one slice', async () => {
    const log: string[] = [];
    const result = await runInSlices(threeSteps(log), (p) => log.push(`progress ${p.done}`), undefined, 60_000);
    expect(result).toBe('result');
    expect(log).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('ends before its next step once stopped, with a CancelledError', async () => {
    const log: string[] = [];
    const stop = new AbortController();
    const run = runInSlices(
      threeSteps(log),
      (p) => {
        log.push(`progress ${p.done}`);
        if (p.done === 2) stop.abort();
      },
      stop.signal,
      0,
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(['step 1', 'progress 1', 'step 2', 'progress 2']);
  });
});
