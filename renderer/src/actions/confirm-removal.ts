import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';

/**
 * Removing a group also removes the edges that start or end at it; say which before doing
 * it. Groups without edges go without asking.
 */
export async function confirmGroupRemoval(groups: readonly string[]): Promise<boolean> {
  const names = new Set(groups);
  const edges = usePolicyStore.getState().policy.edges.filter((e) => names.has(e.from) || names.has(e.to));
  if (edges.length === 0) return true;
  const list = edges.map((e) => e.id).join(', ');
  return useModalStore.getState().confirm({
    title: `Delete ${groups.length === 1 ? `group "${groups[0]}"` : `${groups.length} groups`}?`,
    message: `${edges.length === 1 ? 'Its edge' : `Its ${edges.length} edges`} (${list}) will be deleted too. Reopening the file without saving brings them back.`,
    confirmLabel: 'Delete',
  });
}
