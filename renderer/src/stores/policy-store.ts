import type { Diagnostic } from '@shared/diagnostics';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { create } from 'zustand';

/** Why the file-error list is showing: a file that would not open, a save that was refused, an import or export's report. */
export interface FileProblem {
  title: string;
  diagnostics: Diagnostic[];
  /** Diagnostics come from several files (an import): each names its file, not only line and column. */
  manyFiles?: boolean;
}

interface PolicyState {
  policy: Policy;
  /** Where the policy was last opened from or saved to; null for a new drawing. */
  path: string | null;
  /** True when the drawing has changes that are not in `path`. */
  dirty: boolean;
  fileProblem: FileProblem | null;
  /** Counts replacements, so the canvas can fit a newly opened drawing into view. */
  generation: number;
  /**
   * Starts over with a policy from a file (or a new one); nothing is unsaved afterwards unless
   * `unsaved` says the policy is in no file yet (an import), so leaving it asks first.
   */
  replace: (policy: Policy, path: string | null, unsaved?: boolean) => void;
  edit: (change: (policy: Policy) => Policy) => void;
  markSaved: (path: string, revision: number) => void;
  setFileProblem: (problem: FileProblem | null) => void;
}

export const usePolicyStore = create<PolicyState>()((set) => ({
  policy: emptyPolicy(),
  path: null,
  dirty: false,
  fileProblem: null,
  generation: 0,
  replace: (policy, path, unsaved = false) =>
    set((s) => ({ policy, path, dirty: unsaved, fileProblem: null, generation: s.generation + 1 })),
  edit: (change) =>
    set((s) => {
      const policy = change(s.policy);
      return policy === s.policy ? {} : { policy, dirty: true };
    }),
  markSaved: (path, revision) =>
    set((s) => ({ path, dirty: false, fileProblem: null, policy: { ...s.policy, revision } })),
  setFileProblem: (fileProblem) => set({ fileProblem }),
}));
