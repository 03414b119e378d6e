import type { JSX } from 'react';
import { compileCurrent } from '../../actions/compile-current';
import { useCompileStore } from '../../stores/compile-store';

/**
 * What a what-if tab shows before the first compile: why it needs one, and the compile itself a
 * click away, so the tab is no dead end (once compiled, the tab compiles again by itself when the
 * drawing changes).
 */
export function NotCompiledNote({ why }: { why: string }): JSX.Element {
  const running = useCompileStore((s) => s.running);
  return (
    <p className="muted empty-note" data-testid="not-compiled">
      Not compiled yet: {why}{' '}
      <button type="button" className="link" data-testid="not-compiled-compile" disabled={running} onClick={() => void compileCurrent()}>
        {running ? 'Compiling…' : 'Compile now'}
      </button>
    </p>
  );
}
