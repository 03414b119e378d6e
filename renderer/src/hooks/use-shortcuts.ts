import { useEffect } from 'react';
import { compileCurrent } from '../actions/compile-current';
import { openPolicy, savePolicy, savePolicyAs } from '../actions/policy-files';
import { useCanvasStore } from '../stores/canvas-store';
import { useModalStore } from '../stores/modal-store';
import { redoEdit, undoEdit } from '../stores/policy-store';

/** Escape closes the add form; Ctrl/Cmd+S save, +Shift+S save as, +O open, +Enter compile, +Z undo, +Shift+Z or +Y redo. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      // Escape cancels the add form over the canvas, as it does a dialog (which closes itself first).
      if (e.key === 'Escape' && useCanvasStore.getState().form && !useModalStore.getState().modal) {
        useCanvasStore.getState().openForm(null);
        return;
      }
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      // A dialog waits for its answer: nothing is saved, opened, compiled or undone behind it (Ctrl+S in
      // the inventory file editor saved the policy; under "Delete group?" it saved the drawing). The
      // browser's own Save and Open stay off too.
      if (document.querySelector('[aria-modal="true"]')) {
        if (key === 's' || key === 'o') e.preventDefault();
        return;
      }
      const action =
        key === 's' ? (e.shiftKey ? savePolicyAs : savePolicy) : key === 'o' ? openPolicy : key === 'enter' ? compileCurrent : null;
      if (action) {
        e.preventDefault();
        void action();
        return;
      }

      // A text field (and the flow editor) undoes its own typing; the drawing's history is for the rest.
      const history = key === 'z' ? (e.shiftKey ? redoEdit : undoEdit) : key === 'y' && !e.shiftKey ? redoEdit : null;
      if (!history || isTyping(e.target)) return;
      e.preventDefault();
      history();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

// Fields with their own typing history; a checkbox or a select has none, so the drawing's applies.
const TYPING = 'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]), textarea, .monaco-editor, [role="dialog"]';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest(TYPING) !== null;
}
