import type { Workload } from '@shared/inventory/model';
import { resolveMembership, ungroupedWorkloads, type Membership } from '@shared/policy/membership';
import { useMemo } from 'react';
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
  const policy = usePolicyStore((s) => s.policy);
  const workloads = useInventoryStore((s) => s.inventory?.workloads ?? NO_WORKLOADS);

  return useMemo(() => {
    const membership = resolveMembership(policy, workloads);
    const ungrouped = new Set(ungroupedWorkloads(membership, workloads).map((w) => w.id));
    return { membership, ungrouped, workloads };
  }, [policy, workloads]);
}
