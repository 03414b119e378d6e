import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { isCompileCurrent } from '../model/same-input';
import { useInventoryStore } from '../stores/inventory-store';
import { usePolicyStore } from '../stores/policy-store';

/** Whether what was compiled or analysed from `input` still describes the drawing and inventory as they are now. */
export function useAboutDrawing(input: { policy: Policy; inventory: Inventory } | null | undefined): boolean {
  const policy = usePolicyStore((s) => s.policy);
  const inventory = useInventoryStore((s) => s.inventory);
  return isCompileCurrent(input ?? null, policy, inventory);
}
