import { parsePolicyFile, type PolicyParse } from '@shared/policy/policy-file';
import { edgeIdChangesInText, renameInText, withTextApplied } from '../model/policy-text';
import { useCanvasStore } from '../stores/canvas-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { usePolicyTextStore } from '../stores/policy-text-store';

/*
 * The YAML view's Apply, and the questions asked before its unapplied text could be lost or
 * left out of a save. The text is read by the same parser that opens policy files.
 */

/** The name the YAML view's diagnostics carry: the open file's (`path`), as if the text were in it. */
export function policyTextFileName(path = usePolicyStore.getState().path): string {
  return path ?? 'policy.yaml';
}

/** The last text read, and what the parser said: Apply reads the text the check as you type just read. */
let lastCheck: { text: string; file: string; parse: PolicyParse } | null = null;

/** Reads the YAML view's text as a policy file would be read. The same text twice is read once. */
export function checkPolicyText(text: string): PolicyParse {
  const file = policyTextFileName();
  if (lastCheck?.text !== text || lastCheck.file !== file) lastCheck = { text, file, parse: parsePolicyFile(text, file) };
  return lastCheck.parse;
}

/**
 * Replaces the drawing with the policy the text describes, as one undo step, and the text
 * follows the drawing again. With errors nothing changes; the parse says what they are.
 */
export function applyPolicyText(text: string): PolicyParse {
  const parsed = checkPolicyText(text);
  if (!parsed.policy) return parsed;

  const { policy, rewrite } = usePolicyStore.getState();
  // A rename typed in the text is recorded as the inspector's are, so the notes of the file the
  // drawing was printed from follow the group when the Apply is undone or redone; an edge's new id too.
  const renamed = renameInText(policy, parsed.policy);
  const next = withTextApplied(policy, parsed.policy, renamed);
  const renames = [...(renamed ? [renamed] : []), ...edgeIdChangesInText(policy, parsed.policy, renamed)];
  // Text that only reformats the drawing (comments, quoting, order of keys) is no undo step:
  // it gives back the drawing's own parts, and comparing those costs nothing (printing both did).
  // Its comments are kept all the same, for the drawing's next printing.
  rewrite(next, text, renames);
  usePolicyTextStore.getState().discard();
  dropVanishedSelection();
  return parsed;
}

/** True when the YAML view holds text that is not applied to the drawing. */
export function hasPolicyTextDraft(): boolean {
  return usePolicyTextStore.getState().draft !== null;
}

/** Asks before a save writes the drawing while the YAML view holds text not applied to it; true to save anyway. */
export async function maySaveWithoutPolicyTextDraft(): Promise<boolean> {
  if (!hasPolicyTextDraft()) return true;
  return useModalStore.getState().confirm({
    title: 'Save without the YAML edits?',
    message:
      'The YAML view has edits that are not applied, so the file would not have them. To save them too, cancel, then Apply them in the YAML view (Ctrl+S there applies and saves). Saving now writes the drawing as it is; the edits stay in the YAML view.',
    confirmLabel: 'Save the drawing',
  });
}

/** The inspector must not keep showing a group or edge the text took away. */
function dropVanishedSelection(): void {
  const { selection, select } = useCanvasStore.getState();
  const { groups, edges } = usePolicyStore.getState().policy;
  if (!selection) return;
  const exists = selection.kind === 'group' ? groups.some((g) => g.name === selection.id) : edges.some((e) => e.id === selection.id);
  if (!exists) select(null);
}
