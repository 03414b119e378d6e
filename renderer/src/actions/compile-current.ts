import type { CompileOutcome } from '@shared/api/contract';
import { hasErrors } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { isCompileCurrent } from '../model/same-input';
import type { AnalysisInput } from '../stores/analysis-store';
import { compileReplaced, useCompileStore } from '../stores/compile-store';
import { useInventoryStore } from '../stores/inventory-store';
import { usePolicyStore } from '../stores/policy-store';
import type { StoreApi } from 'zustand';

/**
 * Compiles the drawing against the current inventory; with none loaded, against no workloads. A
 * source still being read (an example's inventory just opened, a context connecting) is waited
 * for: compiled without it, every table would lack its workloads, and the result would be
 * outdated as soon as it came.
 */
export async function compileCurrent(): Promise<void> {
  await sourcesRead();
  const { policy } = usePolicyStore.getState();
  await compileDrawing(policy, useInventoryStore.getState().inventory);
}

/** A compile of the drawing as it was asked about, which the what-if tools answer on. */
export interface CompiledDrawing {
  input: AnalysisInput;
  outcome: CompileOutcome;
}

/**
 * The compile of the drawing and inventory as they are now: the last one when it is of them and
 * still the node side's latest, else a new one (the preview shows it too). A trace, the matrix,
 * the impact and a replay answer "what if I deploy this?", so they must not answer for a compile
 * the drawing has moved on from. Null when the compile could not run or found errors: Problems
 * shows why.
 */
export async function compiledDrawing(): Promise<CompiledDrawing | null> {
  await sourcesRead();
  const { policy } = usePolicyStore.getState();
  const { inventory } = useInventoryStore.getState();
  await compileSettled();
  // A compile another window's replaced has no tables left on the node side, which a trace names.
  const last = useCompileStore.getState();
  if (!isCompileCurrent(last.input, policy, inventory) || compileReplaced(last)) await compileDrawing(policy, inventory);
  const { input, outcome } = useCompileStore.getState();
  if (!input || !outcome || !isCompileCurrent(input, policy, inventory) || hasErrors(outcome.diagnostics)) return null;
  return { input, outcome };
}

function compileDrawing(policy: Policy, inventory: Inventory | null): Promise<void> {
  return useCompileStore.getState().compile(policy, inventory ?? { workloads: [], readAt: new Date().toISOString() });
}

/** Resolves once no open source is being read (each has loaded or failed; a source's open has its own timeout). */
function sourcesRead(): Promise<void> {
  return once(useInventoryStore, (s) => !s.open.some((o) => o.status === 'loading'));
}

/** Resolves once no compile is running, so a compile already under way is waited for, not repeated. */
function compileSettled(): Promise<void> {
  return once(useCompileStore, (s) => !s.running);
}

/** Resolves as soon as the store's state holds `settled`: at once when it does already. */
function once<T>(store: Pick<StoreApi<T>, 'getState' | 'subscribe'>, settled: (state: T) => boolean): Promise<void> {
  if (settled(store.getState())) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = store.subscribe((state) => {
      if (!settled(state)) return;
      unsubscribe();
      resolve();
    });
  });
}
