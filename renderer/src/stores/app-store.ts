import type { AppInfo, ExampleProject } from '@shared/api/contract';
import { create } from 'zustand';

interface AppState {
  /** `ready` once app info and sources have answered (or failed); tests wait on it. */
  status: 'loading' | 'ready';
  info: AppInfo | null;
  examples: ExampleProject[];
  setStarted: (info: AppInfo | null, examples: ExampleProject[]) => void;
}

export const useAppStore = create<AppState>()((set) => ({
  status: 'loading',
  info: null,
  examples: [],
  setStarted: (info, examples) => set({ status: 'ready', info, examples }),
}));
