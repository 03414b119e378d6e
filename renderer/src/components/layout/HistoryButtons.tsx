import type { JSX } from 'react';
import { useStore } from 'zustand';
import { redoEdit, undoEdit, usePolicyStore } from '../../stores/policy-store';

/** Undo and redo of the drawing, each disabled while there is nothing to take back or make again. */
export function HistoryButtons(): JSX.Element {
  const canUndo = useStore(usePolicyStore.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(usePolicyStore.temporal, (s) => s.futureStates.length > 0);
  return (
    <nav className="button-row" aria-label="Edit">
      <button type="button" data-testid="policy-undo" disabled={!canUndo} onClick={undoEdit}
        title={canUndo ? 'Undo the last change to the drawing (Ctrl+Z)' : 'Nothing to undo'}>
        ↶ Undo
      </button>
      <button type="button" data-testid="policy-redo" disabled={!canRedo} onClick={redoEdit}
        title={canRedo ? 'Redo the change just undone (Ctrl+Shift+Z or Ctrl+Y)' : 'Nothing to redo'}>
        ↷ Redo
      </button>
    </nav>
  );
}
