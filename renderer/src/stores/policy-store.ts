import type { Diagnostic } from '@shared/diagnostics';
import { renamesBetween, type Rename, type Renames } from '@shared/policy/renames';
import { emptyPolicy, type Group, type Policy } from '@shared/policy/model';
import { temporal } from 'zundo';
import { create } from 'zustand';
import { useStoreWithEqualityFn } from 'zustand/traditional';
import { withGroupReplaced } from '../model/policy-edits';

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
  /**
   * The text the drawing was last read from, written as, or applied from in the YAML view; null
   * for a drawing in no text yet. Printing the drawing again keeps its comments (keepComments).
   */
  fileText: string | null;
  /**
   * The groups renamed and edges given another id since the drawing was opened, in order. Undo takes
   * a rename back with its edit, so the file's notes of a group or edge follow it whichever way (see renamesSinceFile).
   */
  renames: readonly Rename[];
  /** `renames` as they were in the drawing `fileText` was printed from or applied as. */
  fileRenames: readonly Rename[];
  /** True when the drawing, or the comments of its text, have changes that are not in `path`. */
  dirty: boolean;
  fileProblem: FileProblem | null;
  /** Counts replacements, so the canvas can fit a newly opened drawing into view. */
  generation: number;
  /** Counts undo and redo steps, so forms that keep their own text start again from the policy. */
  restored: number;
  /**
   * Starts over with a policy from a file (or a new one); nothing is unsaved afterwards unless
   * `unsaved` says the policy is in no file yet (an import), so leaving it asks first. The undo
   * history starts over too: undoing into another file's drawing would be a surprise.
   */
  replace: (policy: Policy, path: string | null, unsaved?: boolean, fileText?: string | null) => void;
  /**
   * Changes the drawing. Edits that pass the same `step` one after another are one undo step
   * (a drag, typing in one field) until `endStep` is called or another edit comes between.
   */
  edit: (change: (policy: Policy) => Policy, step?: string) => void;
  /** Replaces the group `name` with `group` (renamed, the edges follow), one undo step; a new name is recorded in `renames`. */
  replaceGroup: (name: string, group: Group) => void;
  /**
   * Replaces the whole drawing as one undo step (the YAML view's Apply of `fileText`). Open forms
   * start again from the new drawing, as after an undo, since any of their fields may have
   * changed. A text that changes only comments keeps the drawing and makes no undo step. The group
   * and edges the text `renamed` are recorded in `renames` with the step, as `replaceGroup` records one.
   */
  rewrite: (policy: Policy, fileText: string, renamed?: readonly Rename[]) => void;
  /**
   * The drawing `saved` (at its new revision, with its `renames` as they were) is in `path`.
   * Edits made while it was being written are not: the drawing stays unsaved then.
   */
  markSaved: (path: string, saved: Policy, fileText: string, savedRenames: readonly Rename[]) => void;
  setFileProblem: (problem: FileProblem | null) => void;
}

/** The part of the state undo and redo bring back: the drawing, and nothing about files. */
type Drawing = Pick<PolicyState, 'policy' | 'renames'>;

const HISTORY_LIMIT = 200;

/** The step the last edit belonged to, while further edits may still join it. */
let openStep: string | null = null;

/** The drawing as the file at `path` holds it (bar the revision); null while it is in no file (new, imported). */
let savedDrawing: Policy | null = null;
/** The text of that file, whose comments count as part of what is saved. */
let savedText: string | null = null;

export const usePolicyStore = create<PolicyState>()(
  temporal(
    (set, get) => ({
      policy: emptyPolicy(),
      path: null,
      fileText: null,
      renames: [],
      fileRenames: [],
      dirty: false,
      fileProblem: null,
      generation: 0,
      restored: 0,
      replace: (policy, path, unsaved = false, fileText = null) => {
        savedDrawing = unsaved ? null : policy;
        savedText = fileText;
        set((s) => ({ policy, path, fileText, renames: [], fileRenames: [], dirty: unsaved, fileProblem: null, generation: s.generation + 1 }));
        openStep = null;
        usePolicyStore.temporal.getState().clear();
      },
      edit: (change, step) => {
        const policy = change(get().policy);
        if (policy !== get().policy) commit({ policy, renames: get().renames }, step);
      },
      replaceGroup: (name, group) => {
        const { policy, renames } = get();
        const next = withGroupReplaced(policy, name, group);
        if (next === policy) return;
        const renamed = group.name === name ? renames : [...renames, { kind: 'group' as const, from: name, to: group.name }];
        commit({ policy: next, renames: renamed });
      },
      // The text is the drawing as it is named now: the renames that led here, its own included, are in it.
      rewrite: (policy, fileText, renamed = []) => {
        openStep = null;
        if (sameDrawing(policy, get().policy)) {
          set((s) => ({ fileText, fileRenames: s.renames, dirty: s.dirty || fileText !== savedText }));
          return;
        }
        set((s) => {
          const renames = renamed.length > 0 ? [...s.renames, ...renamed] : s.renames;
          return { policy, renames, fileText, fileRenames: renames, dirty: true, restored: s.restored + 1 };
        });
      },
      // Saving bumps only the revision, which is not an edit the user could want to undo.
      markSaved: (path, saved, fileText, savedRenames) => {
        savedDrawing = saved;
        savedText = fileText;
        set((s) => ({ path, fileText, fileRenames: savedRenames, dirty: !sameDrawing(s.policy, saved), fileProblem: null, policy: { ...s.policy, revision: saved.revision } }));
      },
      setFileProblem: (fileProblem) => set({ fileProblem }),
    }),
    {
      partialize: (s): Drawing => ({ policy: s.policy, renames: s.renames }),
      equality: (a, b) => sameDrawing(a.policy, b.policy) && a.renames === b.renames,
      limit: HISTORY_LIMIT,
    },
  ),
);

/**
 * Changes the drawing as one edit of `step` (see `edit`). Joining the open step records nothing:
 * its undo goes back to before the step began.
 */
function commit(drawing: Drawing, step?: string): void {
  const history = usePolicyStore.temporal.getState();
  const joins = step !== undefined && step === openStep;
  openStep = step ?? null;
  if (joins) history.pause();
  usePolicyStore.setState({ ...drawing, dirty: true });
  if (joins) history.resume();
}

/** The groups renamed and edges given another id since `fileText` (its name there -> its name now), for printing the drawing with the file's notes. */
export function renamesSinceFile(state: Pick<PolicyState, 'renames' | 'fileRenames'>): Renames {
  return renamesBetween(state.fileRenames, state.renames);
}

/** Ends the open undo step, so the next edit starts a new one even if it passes the same `step`. */
export function endStep(): void {
  openStep = null;
}

/** Takes back the last undo step; nothing when there is none. */
export function undoEdit(): void {
  travel(() => usePolicyStore.temporal.getState().undo());
}

/** Makes again the last step undone; nothing when there is none. */
export function redoEdit(): void {
  travel(() => usePolicyStore.temporal.getState().redo());
}

/**
 * Moves through the history, keeping the revision the file is at: the drawing goes back, the
 * file does not, so the next save still counts on from the last one. A step back to the drawing
 * the file holds leaves nothing unsaved, so leaving it asks nothing.
 */
function travel(move: () => void): void {
  const before = usePolicyStore.getState().policy;
  openStep = null;
  move();
  if (usePolicyStore.getState().policy === before) return;
  usePolicyStore.setState((s) => {
    const policy = { ...s.policy, revision: before.revision };
    return { policy, dirty: savedDrawing === null || !sameDrawing(policy, savedDrawing) || s.fileText !== savedText, restored: s.restored + 1 };
  });
}

/**
 * The drawing, as components that do not show the revision should read it: the object stays the
 * same while only the revision changes. A save bumps the revision; to the canvas at thousands of
 * groups it had looked like an edit (everything checked again and redrawn, about a second).
 */
export function useDrawing(): Policy {
  return useStoreWithEqualityFn(usePolicyStore, (s) => s.policy, sameDrawing);
}

/** Same drawing, whatever the revision: edits replace what they change, so identity suffices. */
export function sameDrawing(a: Policy, b: Policy): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof Policy)[]);
  return [...keys].every((k) => k === 'revision' || a[k] === b[k]);
}
