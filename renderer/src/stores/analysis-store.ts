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

type AnalysisTask = ApiEvents['analysis:progress']['task'];
/** The analyses the user may stop while they run (the impact's read has its own Stop in the deploy dialog). */
export type StoppableAnalysis = 'matrix' | 'replay';

interface AnalysisState {
  /** `computedAt`: local date and time, for the exported picture's caption. */
  matrix: (MatrixOutcome & { input: AnalysisInput; computedAt: string }) | null;
  matrixRunning: boolean;
  impact: (ImpactOutcome & { input: AnalysisInput; against: ImpactBaseline }) | null;
  impactRunning: boolean;
  /** Why the last comparison failed; shown in its place, never beside an older comparison's result. */
  impactFailure: { against: ImpactBaseline; error: ApiErrorData } | null;
  replay: (ReplayOutcome & { input: AnalysisInput }) | null;
  replayRunning: boolean;
  /** The last progress report of each analysis running now (matrix, impact, replay); absent when not running or not reported yet. */
  progress: Partial<Record<AnalysisTask, AnalysisProgress>>;
  /** Draw the impact on the canvas: newly permitted and newly blocked group pairs as extra edges. */
  showImpactOnCanvas: boolean;
  computeMatrix: (input: AnalysisInput) => Promise<void>;
  computeImpact: (input: AnalysisInput, against: ImpactBaseline) => Promise<ImpactOutcome | null>;
  replayLog: (input: AnalysisInput, path: string) => Promise<void>;
  /** Stops the running matrix or replay: it ends at its next slice and shows nothing. */
  stop: (task: StoppableAnalysis) => void;
  setShowImpactOnCanvas: (show: boolean) => void;
  setProgress: (progress: ApiEvents['analysis:progress']) => void;
}

/** The matrix and the replay running now, by the stopId their requests carry (their progress reports carry it too). */
const runs = new StopIds<StoppableAnalysis>();

export const useAnalysisStore = create<AnalysisState>()((set) => ({
  matrix: null,
  matrixRunning: false,
  impact: null,
  impactRunning: false,
  impactFailure: null,
  replay: null,
  replayRunning: false,
  progress: {},
  showImpactOnCanvas: true,

  computeMatrix: async (input) => {
    const stopId = runs.start('matrix');
    set((s) => ({ matrixRunning: true, progress: { ...s.progress, matrix: undefined } }));
    const response = await request('analysis:matrix', { ...input, stopId }, { handles: wasStopped });
    runs.end('matrix', stopId);
    set((s) => ({
      ...(response.ok ? { matrix: { ...response.value, input, computedAt: new Date().toLocaleString() } } : {}),
      matrixRunning: false,
      progress: { ...s.progress, matrix: undefined },
    }));
  },

  computeImpact: async (input, against) => {
    // The last result goes as a new comparison starts: what is on screen answers the last request.
    set((s) => ({ impact: null, impactFailure: null, impactRunning: true, progress: { ...s.progress, impact: undefined } }));
    const response = await request('analysis:impact', { ...input, against }, { handles: () => true });
    set((s) => ({
      impact: response.ok ? { ...response.value, input, against } : null,
      impactFailure: response.ok ? null : { against, error: response.error },
      impactRunning: false,
      progress: { ...s.progress, impact: undefined },
    }));
    return response.ok ? response.value : null;
  },

  replayLog: async (input, path) => {
    const stopId = runs.start('replay');
    set((s) => ({ replayRunning: true, progress: { ...s.progress, replay: undefined } }));
    const response = await request('analysis:replay', { ...input, path, stopId }, { handles: wasStopped });
    runs.end('replay', stopId);
    // A failed or stopped replay clears the last one: a result on screen must be the answer to the last request.
    set((s) => ({ replay: response.ok ? { ...response.value, input } : null, replayRunning: false, progress: { ...s.progress, replay: undefined } }));
  },

  stop: (task) => runs.stop(task),

  setShowImpactOnCanvas: (show) => set({ showImpactOnCanvas: show }),
  // A report that arrives after its run has ended (events and replies travel apart) is dropped, and
  // so is one of another window's run: every window hears every report.
  setProgress: ({ task, runId, ...progress }) =>
    set((s) => {
      const running = { matrix: s.matrixRunning, impact: s.impactRunning, replay: s.replayRunning }[task];
      const ours = runId === undefined || task === 'impact' || runId === runs.current(task);
      return running && ours ? { progress: { ...s.progress, [task]: progress } } : {};
    }),
}));
