import type { AnalysisProgress } from '@shared/analysis/steps';
import type { ApiErrorData, ApiEvents, ImpactBaseline, ImpactOutcome, MatrixOutcome, ReplayOutcome } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { create } from 'zustand';
import { request } from '../api/request';
import { StopIds, wasStopped } from '../api/stop-ids';

/** What was analysed, so a result is never shown for a drawing it does not belong to. */
export interface AnalysisInput {
  policy: Policy;
  inventory: Inventory;
}

/** The long analyses: each reports its progress and may be stopped while it runs. */
export type AnalysisTask = ApiEvents['analysis:progress']['task'];

interface AnalysisState {
  /** `computedAt`: local date and time, for the exported picture's caption. */
  matrix: (MatrixOutcome & { input: AnalysisInput; computedAt: string }) | null;
  matrixRunning: boolean;
  /**
   * Whether the last matrix was stopped by the user before it was complete: nothing of it is kept,
   * and `matrix`, if any, is the last complete one, of the drawing it was computed on.
   */
  matrixStopped: boolean;
  impact: (ImpactOutcome & { input: AnalysisInput; against: ImpactBaseline }) | null;
  impactRunning: boolean;
  /** Why the last comparison failed; shown in its place, never beside an older comparison's result. */
  impactFailure: { against: ImpactBaseline; error: ApiErrorData } | null;
  /** What the last comparison, stopped by the user before it was complete, compared with; nothing of it is kept. */
  impactStopped: ImpactBaseline | null;
  replay: (ReplayOutcome & { input: AnalysisInput }) | null;
  replayRunning: boolean;
  /** The log of the last replay, stopped by the user before it was complete; nothing of it is kept. */
  replayStopped: string | null;
  /** The last progress report of each analysis running now (matrix, impact, replay); absent when not running or not reported yet. */
  progress: Partial<Record<AnalysisTask, AnalysisProgress>>;
  /** Draw the impact on the canvas: newly permitted and newly blocked group pairs as extra edges. */
  showImpactOnCanvas: boolean;
  computeMatrix: (input: AnalysisInput) => Promise<void>;
  /**
   * A failure that `refuses` names (a baseline file that cannot be read) is given back instead of
   * shown, and the panel goes back to what it showed before: the path is asked for again.
   */
  computeImpact: (input: AnalysisInput, against: ImpactBaseline, refuses?: Refuses) => Promise<ApiErrorData | undefined>;
  /** As computeImpact, a log that `refuses` names is given back, and the panel keeps what it showed. */
  replayLog: (input: AnalysisInput, path: string, refuses?: Refuses) => Promise<ApiErrorData | undefined>;
  /** Stops the running analysis: it ends at its next slice and shows nothing. */
  stop: (task: AnalysisTask) => void;
  setShowImpactOnCanvas: (show: boolean) => void;
  setProgress: (progress: ApiEvents['analysis:progress']) => void;
}

type Refuses = (error: ApiErrorData) => boolean;

/** The analyses running now, by the stopId their requests carry (their progress reports carry it too). */
const runs = new StopIds<AnalysisTask>();

export const useAnalysisStore = create<AnalysisState>()((set, get) => ({
  matrix: null,
  matrixRunning: false,
  matrixStopped: false,
  impact: null,
  impactRunning: false,
  impactFailure: null,
  impactStopped: null,
  replay: null,
  replayRunning: false,
  replayStopped: null,
  progress: {},
  showImpactOnCanvas: true,

  computeMatrix: async (input) => {
    const stopId = runs.start('matrix');
    set((s) => ({ matrixRunning: true, matrixStopped: false, progress: { ...s.progress, matrix: undefined } }));
    const response = await request('analysis:matrix', { ...input, stopId }, { handles: wasStopped });
    runs.end('matrix', stopId);
    // The last complete matrix stays on screen, marked outdated once the drawing moved on from it.
    set((s) => ({
      ...(response.ok ? { matrix: { ...response.value, input, computedAt: new Date().toLocaleString() } } : {}),
      matrixRunning: false,
      matrixStopped: !response.ok && wasStopped(response.error),
      progress: { ...s.progress, matrix: undefined },
    }));
  },

  computeImpact: async (input, against, refuses) => {
    const stopId = runs.start('impact');
    const { impact, impactFailure, impactStopped } = get();
    // The last result goes as a new comparison starts: what is on screen answers the last request.
    set((s) => ({ impact: null, impactFailure: null, impactStopped: null, impactRunning: true, progress: { ...s.progress, impact: undefined } }));
    const response = await request('analysis:impact', { ...input, against, stopId }, { handles: () => true });
    runs.end('impact', stopId);
    if (!response.ok && refuses?.(response.error)) {
      set((s) => ({ impact, impactFailure, impactStopped, impactRunning: false, progress: { ...s.progress, impact: undefined } }));
      return response.error;
    }
    // Stopped is the user's own doing, not a failure: said as such, with nothing of the comparison.
    const stopped = !response.ok && wasStopped(response.error);
    set((s) => ({
      impact: response.ok ? { ...response.value, input, against } : null,
      impactFailure: response.ok || stopped ? null : { against, error: response.error },
      impactStopped: stopped ? against : null,
      impactRunning: false,
      progress: { ...s.progress, impact: undefined },
    }));
    return undefined;
  },

  replayLog: async (input, path, refuses) => {
    const stopId = runs.start('replay');
    const { replayStopped } = get();
    set((s) => ({ replayRunning: true, replayStopped: null, progress: { ...s.progress, replay: undefined } }));
    const refused = (error: ApiErrorData): boolean => refuses?.(error) ?? false;
    const response = await request('analysis:replay', { ...input, path, stopId }, { handles: (error) => wasStopped(error) || refused(error) });
    runs.end('replay', stopId);
    if (!response.ok && refused(response.error)) {
      set((s) => ({ replayStopped, replayRunning: false, progress: { ...s.progress, replay: undefined } }));
      return response.error;
    }
    // A failed or stopped replay clears the last one: a result on screen must be the answer to the last request.
    set((s) => ({
      replay: response.ok ? { ...response.value, input } : null,
      replayRunning: false,
      replayStopped: !response.ok && wasStopped(response.error) ? path : null,
      progress: { ...s.progress, replay: undefined },
    }));
    return undefined;
  },

  stop: (task) => runs.stop(task),

  setShowImpactOnCanvas: (show) => set({ showImpactOnCanvas: show }),
  // A report that arrives after its run has ended (events and replies travel apart) is dropped, and
  // so is one of another run: every window hears every report, and a run asked for elsewhere (another
  // window, the deploy dialog's impact) carries another id or none.
  setProgress: ({ task, runId, ...progress }) =>
    set((s) => (runId !== undefined && runId === runs.current(task) ? { progress: { ...s.progress, [task]: progress } } : {})),
}));
