/** How far a long analysis has got: units of work done, of all (rows of a matrix, pairs of an impact). */
export interface AnalysisProgress {
  done: number;
  total: number;
}

/**
 * A long analysis written as steps: it yields its progress now and then and returns its
 * result, so a caller that must stay responsive (the app's main process) can run it in slices,
 * and one that needn't (the command line, tests) runs it straight through with `finish`.
 */
export type AnalysisSteps<T> = Generator<AnalysisProgress, T, void>;

/** Runs every step and returns the result. */
export function finish<T>(steps: AnalysisSteps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
