import type { Diagnostic } from '@shared/diagnostics';
import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { applyPolicyText, checkPolicyText, policyTextFileName } from '../../actions/policy-text';
import { savePolicy } from '../../actions/policy-files';
import { useDrawingText } from '../../hooks/use-drawing-text';
import { diagnosticRanges } from '../../model/diagnostic-ranges';
import { redoEdit, renamesSinceFile, undoEdit, usePolicyStore } from '../../stores/policy-store';
import { usePolicyTextStore } from '../../stores/policy-text-store';
import { PolicyTextEditor, type PolicyTextEditorHandle } from './PolicyTextEditor';
import { PolicyTextProblems } from './PolicyTextProblems';

// Long enough not to parse on every keystroke, short enough to feel immediate.
const CHECK_DELAY_MS = 250;

interface PolicyTextViewProps {
  /** False while the canvas is shown: the view stays mounted (keeping the editor) but idle. */
  active: boolean;
}

/** The text a check read, and what the policy parser said about it. */
interface Check {
  text: string;
  diagnostics: Diagnostic[];
}

/**
 * The drawing as the YAML Save writes, editable. The text follows the drawing until the user
 * edits it; then it is a draft, checked as they type, until Apply makes it the drawing (one
 * undo step) or Revert drops it.
 */
export function PolicyTextView({ active }: PolicyTextViewProps): JSX.Element {
  // Idle while hidden: a drag on the canvas must not write the YAML on every frame.
  const policy = usePolicyStore((s) => (active ? s.policy : null));
  const draft = usePolicyTextStore((s) => s.draft);
  const base = usePolicyTextStore((s) => s.base);
  const type = usePolicyTextStore((s) => s.type);
  const discard = usePolicyTextStore((s) => s.discard);
  const file = policyTextFileName(usePolicyStore((s) => s.path));
  const fileText = usePolicyStore((s) => s.fileText);
  const renames = usePolicyStore((s) => s.renames);
  const fileRenames = usePolicyStore((s) => s.fileRenames);
  const renamed = useMemo(() => renamesSinceFile({ renames, fileRenames }), [renames, fileRenames]);
  // Printed in a worker; until it is done (null) the editor keeps what it shows and takes no typing,
  // since whether typed text is a draft depends on the drawing's text.
  const printed = useDrawingText(policy, fileText, renamed, file);
  const drawing = printed.text;
  const text = drawing === null ? null : (draft ?? drawing);
  const stale = draft !== null && drawing !== null && base !== drawing;

  // The drawing's own text is read back with its printing; a draft is checked here as it is typed.
  const [typedCheck, setTypedCheck] = useState<Check | null>(null);
  const ownCheck = useMemo(() => (drawing !== null && printed.diagnostics !== null ? { text: drawing, diagnostics: printed.diagnostics } : null), [drawing, printed.diagnostics]);
  const check = draft === null ? ownCheck : typedCheck;
  const editor = useRef<PolicyTextEditorHandle | null>(null);
  // Why the last Ctrl+S saved nothing; shown while the text is the one it was about.
  const [refusal, setRefusal] = useState<{ text: string; message: string } | null>(null);

  useEffect(() => {
    if (!active || draft === null) return;
    const timer = setTimeout(() => setTypedCheck({ text: draft, diagnostics: checkPolicyText(draft).diagnostics }), CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [active, draft]);

  // Markers of an older text would sit on the wrong words; until the next check, Monaco moves the ones it has.
  const current = check !== null && check.text === text ? check : null;
  const ranges = useMemo(() => (current ? diagnosticRanges(current.diagnostics, current.text) : null), [current]);
  const errors = current?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;

  /** Applies the draft; with errors, nothing changes and the cursor goes to the first. True when applied. */
  const apply = (): boolean => {
    if (draft === null) return true;
    const parsed = applyPolicyText(draft);
    // Ctrl+Z right after Apply takes the Apply back, not the last keystroke before it (which would make a draft again).
    if (parsed.policy) {
      editor.current?.forgetTyping();
      return true;
    }
    setTypedCheck({ text: draft, diagnostics: parsed.diagnostics });
    const first = parsed.diagnostics.find((d) => d.severity === 'error')?.location;
    editor.current?.reveal(first?.line ?? 1, first?.column ?? 1);
    return false;
  };

  return (
    <div className={text === null ? 'policy-text printing' : 'policy-text'} data-testid="policy-text-view">
      <div className="policy-text-bar">
        <span className="policy-text-status" role="status" data-testid="policy-text-status">
          {draft === null
            ? 'The text follows the drawing. Edit it, then Apply (Ctrl+Enter).'
            : current === null
              ? 'Checking…'
              : errors > 0
                ? `${errors} ${errors === 1 ? 'error' : 'errors'}: fix ${errors === 1 ? 'it' : 'them'} to apply; the drawing is unchanged.`
                : 'Edited, not applied yet.'}
        </span>
        {/* Both buttons turn disabled once used: the focus goes back to the text rather than to nowhere. */}
        <button type="button" data-testid="policy-text-revert" disabled={draft === null}
          onClick={() => {
            discard();
            editor.current?.focus();
          }}
          title="Throw the edits away and show the drawing as it is">
          Revert
        </button>
        <button type="button" className="primary" data-testid="policy-text-apply" disabled={draft === null || errors > 0}
          onClick={() => apply() && editor.current?.focus()} title="Make this text the drawing, as one step Undo takes back (Ctrl+Enter in the editor)">
          Apply
        </button>
      </div>
      {stale ? (
        <p className="policy-text-stale" role="alert" data-testid="policy-text-stale">
          The drawing changed since you began editing (an undo, or an edit on the canvas or in the inspector), and this text does
          not show that change. Apply replaces the drawing with this text; Revert shows the drawing as it is now.
        </p>
      ) : null}
      {refusal !== null && refusal.text === draft ? (
        <p className="policy-text-refused" role="alert" data-testid="policy-text-refused">
          {refusal.message}
        </p>
      ) : null}
      {policy !== null && (drawing === null || printed.error !== null) ? (
        <p className="policy-text-printing" role={printed.error ? 'alert' : 'status'} data-testid="policy-text-printing">
          {printed.error ? `The drawing could not be shown as YAML: ${printed.error}` : 'Writing the drawing as YAML…'}
        </p>
      ) : null}
      <PolicyTextEditor
        text={text}
        ranges={ranges}
        onType={(typed) => drawing !== null && type(typed, drawing)}
        onApply={() => void apply()}
        onApplyAndSave={() => {
          if (apply()) void savePolicy();
          else if (draft !== null) setRefusal({ text: draft, message: saveRefusal(checkPolicyText(draft).diagnostics) });
        }}
        // Only while the text follows the drawing: undoing the drawing under a draft would leave the draft behind it.
        onHistory={(step) => draft === null && (step === 'undo' ? undoEdit() : redoEdit())}
        onReady={(handle) => (editor.current = handle)}
      />
      <PolicyTextProblems diagnostics={check?.diagnostics ?? []} onPick={(line, column) => editor.current?.reveal(line, column)} />
    </div>
  );
}

/** What Ctrl+S says when the text has errors: nothing was saved, where the first error is, and the two ways on. */
function saveRefusal(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const line = first?.location?.line;
  const where = line ? `, the first at line ${line}, column ${first.location?.column ?? 1}` : ', listed below the text';
  const what = first ? ` (${first.code}: ${first.message})` : '';
  const count = errors.length === 1 ? 'an error' : `${errors.length} errors`;
  return `Not saved: the YAML has ${count}${where}${what}. Fix ${errors.length === 1 ? 'it' : 'them'} (the cursor is there), then press Ctrl+S again; or Revert to drop the edits, and Ctrl+S saves the drawing as it is. The file and the drawing are unchanged.`;
}
