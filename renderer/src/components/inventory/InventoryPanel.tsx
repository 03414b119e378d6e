import type { JSX } from 'react';
import { useInventoryStore } from '../../stores/inventory-store';
import { ExampleList } from './ExampleList';
import { SourcePicker } from './SourcePicker';
import { SourceStatus } from './SourceStatus';
import { WorkloadList } from './WorkloadList';

/** Where workloads come from and which ones there are; the examples are offered when Docker is not. */
export function InventoryPanel(): JSX.Element {
  const failed = useInventoryStore((s) => s.status === 'failed');
  const loading = useInventoryStore((s) => s.status === 'loading');
  const refresh = useInventoryStore((s) => s.refresh);

  return (
    <section className="panel inventory-panel">
      <header className="panel-header">
        <h2>Inventory</h2>
        <button type="button" data-testid="source-refresh" disabled={loading} onClick={() => void refresh()} title="Read the sources and workloads again">
          ⟳ Refresh
        </button>
      </header>
      <div className="panel-body">
        <SourcePicker />
        <SourceStatus />
        {failed ? null : <WorkloadList />}
        {/* One place only: inside the failure box when the source failed, at the bottom otherwise. */}
        {failed ? null : <ExampleList compact />}
      </div>
    </section>
  );
}
