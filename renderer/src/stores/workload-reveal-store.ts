import { create } from 'zustand';

interface WorkloadRevealState {
  /** The workload the inventory list is to scroll to and mark, by its id; null when none is asked for. */
  revealed: string | null;
  /** Counts the requests, so asking for the same workload again scrolls to it again. */
  requests: number;
  reveal: (workloadId: string) => void;
}

/** A workload another panel asks the inventory list to show (a problem about it, picked in the Problems list). */
export const useWorkloadRevealStore = create<WorkloadRevealState>()((set) => ({
  revealed: null,
  requests: 0,
  reveal: (workloadId) => set((s) => ({ revealed: workloadId, requests: s.requests + 1 })),
}));
