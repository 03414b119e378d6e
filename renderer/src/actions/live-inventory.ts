import type { InventoryChange } from '@shared/api/contract';
import { samePolicyContent } from '../model/same-input';
import { useCompileStore } from '../stores/compile-store';
import { useInventoryStore } from '../stores/inventory-store';
import { usePolicyStore } from '../stores/policy-store';
import { compileCurrent } from './compile-current';

let recompileQueued = false;

/**
 * Takes in a watched source's new picture. Group membership follows by itself (it is derived
 * from the store); a flow preview on show is compiled again so that it follows the cluster too.
 */
export function applyInventoryChange(change: InventoryChange): void {
  const before = useInventoryStore.getState().inventory;
  useInventoryStore.getState().applyChange(change);
  if (useInventoryStore.getState().inventory !== before) void recompilePreview();
}

/**
 * Only a preview of the current drawing follows: one made before the drawing changed stays
 * marked outdated until the user compiles. Events during a compile make one more compile after it.
 */
async function recompilePreview(): Promise<void> {
  const { input, running } = useCompileStore.getState();
  if (!input || !samePolicyContent(input.policy, usePolicyStore.getState().policy)) return;
  if (running) {
    recompileQueued = true;
    return;
  }
  await compileCurrent();
  if (recompileQueued) {
    recompileQueued = false;
    await recompilePreview();
  }
}
