import type { ImpactBaseline, ImpactOutcome, MatrixOutcome } from '@shared/api/contract';
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
  matrix: (MatrixOutcome & { input: AnalysisInput }) | null;
  matrixRunning: boolean;
  impact: (ImpactOutcome & { input: AnalysisInput; against: ImpactBaseline }) | null;
  impactRunning: boolean;
  /** Draw the impact on the canvas: newly permitted and newly blocked group pairs as extra edges. */
  showImpactOnCanvas: boolean;
  computeMatrix: (input: AnalysisInput) => Promise<void>;
  computeImpact: (input: AnalysisInput, against: ImpactBaseline) => Promise<ImpactOutcome | null>;
  setShowImpactOnCanvas: (show: boolean) => void;
}

export const useAnalysisStore = create<AnalysisState>()((set) => ({
  matrix: null,
  matrixRunning: false,
  impact: null,
  impactRunning: false,
  showImpactOnCanvas: true,

  computeMatrix: async (input) => {
    set({ matrixRunning: true });
    const response = await request('analysis:matrix', input);
    set(response.ok ? { matrix: { ...response.value, input }, matrixRunning: false } : { matrixRunning: false });
  },

  computeImpact: async (input, against) => {
    set({ impactRunning: true });
    const response = await request('analysis:impact', { ...input, against });
    if (!response.ok) {
      set({ impactRunning: false });
      return null;
    }
    set({ impact: { ...response.value, input, against }, impactRunning: false });
    return response.value;
  },

  setShowImpactOnCanvas: (show) => set({ showImpactOnCanvas: show }),
}));
