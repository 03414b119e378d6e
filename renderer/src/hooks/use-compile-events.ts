import { useEffect } from 'react';
import { api } from '../api/client';
import { useCompileStore } from '../stores/compile-store';

/** Keeps which compile is the latest (another window may have compiled since this one did) in the compile store. */
export function useCompileEvents(): void {
  useEffect(() => api.subscribe('compile:replaced', ({ latestCompileId }) => useCompileStore.getState().setLatestCompile(latestCompileId)), []);
}
