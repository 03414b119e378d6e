import { useCompileStore } from '../stores/compile-store';
import { useInventoryStore } from '../stores/inventory-store';
import { usePolicyStore } from '../stores/policy-store';

/** Compiles the drawing against the current inventory; with none loaded, against no workloads. */
export async function compileCurrent(): Promise<void> {
  const { policy } = usePolicyStore.getState();
  const inventory = useInventoryStore.getState().inventory ?? { workloads: [], readAt: new Date().toISOString() };
  await useCompileStore.getState().compile(policy, inventory);
}
