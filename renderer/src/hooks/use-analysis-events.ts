import { useEffect } from 'react';
import { api } from '../api/client';
import { useAnalysisStore } from '../stores/analysis-store';

/** Keeps the progress of a running matrix or impact, as the node side reports it, in the analysis store. */
export function useAnalysisEvents(): void {
  useEffect(() => api.subscribe('analysis:progress', (progress) => useAnalysisStore.getState().setProgress(progress)), []);
}
