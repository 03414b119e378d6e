import type { JSX } from 'react';
import { compileCurrent } from '../../actions/compile-current';
import { countOf } from '../../model/format';
import { useCompileStore } from '../../stores/compile-store';
import { useInventoryStore } from '../../stores/inventory-store';

export function CompileButton(): JSX.Element {
  const running = useCompileStore((s) => s.running);
  const workloads = useInventoryStore((s) => s.inventory?.workloads.length ?? 0);
  // Compiled now, the tables would lack the workloads of a source still being read.
  const reading = useInventoryStore((s) => s.open.some((o) => o.status === 'loading'));

  return (
    <button
      type="button"
      className="primary compile"
      data-testid="compile-button"
      disabled={running || reading}
      title={reading ? 'Waiting for the inventory being read' : `Compile against the ${countOf(workloads, 'workload')} of the current inventory (Ctrl+Enter)`}
      onClick={() => void compileCurrent()}
    >
      {running ? 'Compiling…' : reading ? 'Reading inventory…' : '▶ Compile'}
    </button>
  );
}
