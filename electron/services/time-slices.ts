import type { AnalysisProgress, AnalysisSteps } from '@shared/analysis/steps';
import { CancelledError } from './deploy-queue';

/** Long enough to get work done, short enough that other requests and events are not kept waiting. */
const SLICE_MS = 50;

/**
 * Runs an analysis written as steps without holding the event loop: after each slice of work
 * it reports the progress reached and lets everything else waiting run (other requests, SSH,
 * the inventory watch) before the next slice. When `stop` aborts, it ends with a CancelledError
 * before the next slice.
 */
export async function runInSlices<T>(steps: AnalysisSteps<T>, onProgress: (progress: AnalysisProgress) => void, stop?: AbortSignal, sliceMs = SLICE_MS): Promise<T> {
  let sliceStarted = performance.now();
  for (;;) {
    if (stop?.aborted) throw new CancelledError();
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStarted < sliceMs) continue;
    onProgress(next.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStarted = performance.now();
  }
}
