import type { ApiEvents, ImpactBaseline, ImpactOutcome, MatrixOutcome, ReplayOutcome } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { create } from 'zustand';
import { request } from '../api/request';

/** What was analysed, so a result is never shown for a drawing it does not belong to. */
export interface AnalysisInput {
  policy: Policy;
  inventory: Inventory;
}

interface AnalysisState {
  /** `computedAt`: local date and time, for the exported picture's caption. */
  matrix: (MatrixOutcome & { input: AnalysisInput; computedAt: string }) | null;
  matrixRunning: boolean;
  impact: (ImpactOutcome & { input: AnalysisInput; against: ImpactBaseline }) | null;
  impactRunning: boolean;
  replay: (ReplayOutcome & { input: AnalysisInput }) | null;
  replayRunning: boolean;
  /** The last progress report of the matrix or impact running now; null when none runs or none has reported. */
  progress: ApiEvents['analysis:progress'] | null;
  /** Draw the impact on the canvas: newly permitted and newly blocked group pairs as extra edges. */
  showImpactOnCanvas: boolean;
  computeMatrix: (input: AnalysisInput) => Promise<void>;
  computeImpact: (input: AnalysisInput, against: ImpactBaseline) => Promise<ImpactOutcome | null>;
  replayLog: (input: AnalysisInput, path: string) => Promise<void>;
  setShowImpactOnCanvas: (show: boolean) => void;
  setProgress: (progress: ApiEvents['analysis:progress']) => void;
}

export const useAnalysisStore = create<AnalysisState>()((set) => ({
  matrix: null,
  matrixRunning: false,
  impact: null,
  impactRunning: false,
  replay: null,
  replayRunning: false,
  progress: null,
  showImpactOnCanvas: true,

  computeMatrix: async (input) => {
    set({ matrixRunning: true, progress: null });
    const response = await request('analysis:matrix', input);
    set(response.ok ? { matrix: { ...response.value, input, computedAt: new Date().toLocaleString() }, matrixRunning: false, progress: null } : { matrixRunning: false, progress: null });
  },

  computeImpact: async (input, against) => {
    set({ impactRunning: true, progress: null });
    const response = await request('analysis:impact', { ...input, against });
    if (!response.ok) {
      set({ impactRunning: false, progress: null });
      return null;
    }
    set({ impact: { ...response.value, input, against }, impactRunning: false, progress: null });
    return response.value;
  },

  replayLog: async (input, path) => {
    set({ replayRunning: true });
    const response = await request('analysis:replay', { ...input, path });
    set(response.ok ? { replay: { ...response.value, input }, replayRunning: false } : { replayRunning: false });
  },

  setShowImpactOnCanvas: (show) => set({ showImpactOnCanvas: show }),
  // A report that arrives after its run has ended (events and replies travel apart) is dropped.
  setProgress: (progress) => set((s) => ((progress.task === 'matrix' ? s.matrixRunning : s.impactRunning) ? { progress } : {})),
}));
