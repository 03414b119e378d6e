import { useEffect } from 'react';
import { compileCurrent } from '../actions/compile-current';
import { openPolicy, savePolicy, savePolicyAs } from '../actions/policy-files';

/** Ctrl/Cmd+S save, +Shift+S save as, +O open, +Enter compile. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      const action =
        key === 's' ? (e.shiftKey ? savePolicyAs : savePolicy) : key === 'o' ? openPolicy : key === 'enter' ? compileCurrent : null;
      if (!action) return;
      e.preventDefault();
      void action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
