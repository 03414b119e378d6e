import type { Workload } from '@shared/inventory/model';
import { resolveMembership, ungroupedWorkloads, type Membership } from '@shared/policy/membership';
import { useMemo } from 'react';
import { useStoreWithEqualityFn } from 'zustand/traditional';
import { sameNamesAndSelectors } from '../model/same-input';
import { useInventoryStore } from '../stores/inventory-store';
import { usePolicyStore } from '../stores/policy-store';

export interface MembershipView {
  membership: Map<string, Membership>;
  /** Ids of workloads no group selects. */
  ungrouped: Set<string>;
  workloads: Workload[];
}

const NO_WORKLOADS: Workload[] = [];

/** Who each group holds right now, and which workloads no group holds, from the shared resolver. */
export function useMembership(): MembershipView {
  // A drag moves a group on every frame: with thousands of workloads, resolving them all again
  // each time (and redrawing every workload row) made the drag stutter. Only names and selectors count.
  const groups = useStoreWithEqualityFn(usePolicyStore, (s) => s.policy.groups, sameNamesAndSelectors);
  const workloads = useInventoryStore((s) => s.inventory?.workloads ?? NO_WORKLOADS);

  return useMemo(() => {
    const membership = resolveMembership({ groups }, workloads);
    const ungrouped = new Set(ungroupedWorkloads(membership, workloads).map((w) => w.id));
    return { membership, ungrouped, workloads };
  }, [groups, workloads]);
}
