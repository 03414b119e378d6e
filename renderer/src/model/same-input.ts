import type { Inventory } from '@shared/inventory/model';
import type { Group, Policy } from '@shared/policy/model';

/**
 * Whether a compile of `compiled` still describes `current`. Saving bumps only the revision,
 * which changes no flow, so a save does not make the preview stale.
 */
export function samePolicyContent(compiled: Policy, current: Policy): boolean {
  return (
    compiled === current ||
    (compiled.groups === current.groups &&
      compiled.edges === current.edges &&
      compiled.defaults === current.defaults &&
      compiled.name === current.name)
  );
}

/** Whether the last compile was made from exactly this drawing and inventory. */
export function isCompileCurrent(
  input: { policy: Policy; inventory: Inventory } | null,
  policy: Policy,
  inventory: Inventory | null,
): boolean {
  return input !== null && samePolicyContent(input.policy, policy) && (inventory === null || input.inventory === inventory);
}

/**
 * Whether two lists of groups select the same members: same names and selectors, in order,
 * wherever the groups sit. Edits keep a selector object unless they change it, so references suffice.
 */
export function sameNamesAndSelectors(before: readonly Group[], after: readonly Group[]): boolean {
  return before.length === after.length && before.every((g, i) => g.name === after[i]!.name && g.selector === after[i]!.selector);
}
