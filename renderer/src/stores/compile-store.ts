import type { CompileOutcome } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { create } from 'zustand';
import { request } from '../api/request';

/** The bottom panel's tab: one host's flow table, the problems list, or one of the what-if tools. */
export type OutputTab = { kind: 'host'; host: string } | { kind: 'problems' } | { kind: 'trace' } | { kind: 'matrix' } | { kind: 'impact' } | { kind: 'replay' };

interface CompileState {
  outcome: CompileOutcome | null;
  /** Exactly what was compiled; deploy sends this, so what runs is what was previewed. */
  input: { policy: Policy; inventory: Inventory } | null;
  running: boolean;
  /** The latest compile of any window (the node side keeps only that one's tables); null until told. */
  latestCompileId: string | null;
  tab: OutputTab;
  compile: (policy: Policy, inventory: Inventory) => Promise<void>;
  setTab: (tab: OutputTab) => void;
  setLatestCompile: (compileId: string) => void;
  reset: () => void;
}

export const useCompileStore = create<CompileState>()((set, get) => ({
  outcome: null,
  input: null,
  running: false,
  latestCompileId: null,
  tab: { kind: 'problems' },

  compile: async (policy, inventory) => {
    set({ running: true });
    const response = await request('policy:compile', { policy, inventory });
    if (!response.ok) {
      set({ running: false });
      return;
    }
    const outcome = response.value;
    set({ outcome, input: { policy, inventory }, running: false, tab: nextTab(get().tab, outcome) });
  },

  setTab: (tab) => set({ tab }),
  setLatestCompile: (latestCompileId) => set({ latestCompileId }),
  reset: () => set({ outcome: null, input: null, tab: { kind: 'problems' } }),
}));

/** Whether another window compiled since this window's compile: the node side keeps only the latest compile's tables. */
export function compileReplaced(state: Pick<CompileState, 'outcome' | 'latestCompileId'>): boolean {
  return state.outcome !== null && state.latestCompileId !== null && state.latestCompileId !== state.outcome.compileId;
}

/**
 * Stay on the host being read if it still has a table, and on a what-if tool (which compiles a
 * changed drawing first, to show its answer there); errors and empty results open Problems.
 */
function nextTab(current: OutputTab, outcome: CompileOutcome): OutputTab {
  const hosts = outcome.hosts.map((h) => h.host);
  if (outcome.diagnostics.some((d) => d.severity === 'error') || hosts.length === 0) return { kind: 'problems' };
  if (current.kind === 'host' && hosts.includes(current.host)) return current;
  if (current.kind === 'trace' || current.kind === 'matrix' || current.kind === 'impact' || current.kind === 'replay') return current;
  return { kind: 'host', host: hosts[0] ?? '' };
}
