import type { Inventory } from '@shared/inventory/model';
import type { Group, Policy } from '@shared/policy/model';

/**
 * Whether a compile of `compiled` still describes `current`. Saving bumps only the revision and
 * moving a group changes only where it is drawn, neither changes a flow: the preview, its
 * badges, the impact on the canvas and the live patching all stay.
 */
export function samePolicyContent(compiled: Policy, current: Policy): boolean {
  return (
    compiled === current ||
    (sameGroupsWherever(compiled.groups, current.groups) &&
      compiled.edges === current.edges &&
      compiled.defaults === current.defaults &&
      compiled.infrastructure === current.infrastructure &&
      compiled.name === current.name)
  );
}

/**
 * Whether the last compile was made from exactly this drawing and inventory. No inventory open
 * (none yet, or every source closed) is compiled as one without workloads: it matches only such a
 * compile, never the workloads of sources since closed.
 */
export function isCompileCurrent(
  input: { policy: Policy; inventory: Inventory } | null,
  policy: Policy,
  inventory: Inventory | null,
): boolean {
  if (input === null || !samePolicyContent(input.policy, policy)) return false;
  return inventory === null ? input.inventory.workloads.length === 0 : input.inventory === inventory;
}

/**
 * Whether two lists of groups select the same members: same names and selectors, in order,
 * wherever the groups sit. Edits keep a selector object unless they change it, so references suffice.
 */
export function sameNamesAndSelectors(before: readonly Group[], after: readonly Group[]): boolean {
  return before.length === after.length && before.every((g, i) => g.name === after[i]!.name && g.selector === after[i]!.selector);
}

/** The same groups in the same order, wherever each sits on the canvas. */
function sameGroupsWherever(before: readonly Group[], after: readonly Group[]): boolean {
  return before === after || (before.length === after.length && before.every((g, i) => sameButPosition(g, after[i]!)));
}

function sameButPosition(a: Group, b: Group): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof Group)[]);
  return [...keys].every((k) => k === 'position' || a[k] === b[k]);
}
