import type { JSX } from 'react';
import { compileCurrent } from '../../actions/compile-current';
import { countOf } from '../../model/format';
import { useCompileStore } from '../../stores/compile-store';
import { useInventoryStore } from '../../stores/inventory-store';

export function CompileButton(): JSX.Element {
  const running = useCompileStore((s) => s.running);
  const workloads = useInventoryStore((s) => s.inventory?.workloads.length ?? 0);

  return (
    <button
      type="button"
      className="primary compile"
      data-testid="compile-button"
      disabled={running}
      title={`Compile against the ${countOf(workloads, 'workload')} of the current inventory (Ctrl+Enter)`}
      onClick={() => void compileCurrent()}
    >
      {running ? 'Compiling…' : '▶ Compile'}
    </button>
  );
}
