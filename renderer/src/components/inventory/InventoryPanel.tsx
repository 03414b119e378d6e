import type { JSX } from 'react';
import { useInventoryStore } from '../../stores/inventory-store';
import { usePolicyStore } from '../../stores/policy-store';
import { ExampleList } from './ExampleList';
import { SourcePicker } from './SourcePicker';
import { SourceStatus } from './SourceStatus';
import { WorkloadList } from './WorkloadList';

/** Where workloads come from (several sources at once) and which ones there are. */
export function InventoryPanel(): JSX.Element {
  const open = useInventoryStore((s) => s.open);
  const loading = open.some((o) => o.status === 'loading');
  const refresh = useInventoryStore((s) => s.refresh);
  const anyLoaded = open.some((o) => o.inventory !== null);
  // The examples are offered inside a failed Docker source's box; otherwise once, at the bottom.
  const offeredAbove = open.some((o) => o.failure?.kind === 'docker');
  const groupCount = usePolicyStore((s) => s.policy.groups.length);

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
        {groupCount > 0 && !anyLoaded && !loading ? (
          <p className="form-warning" data-testid="no-inventory-hint">
            No workloads are loaded, so every group shows 0 workloads. Open the source the drawing was made for: a context or
            inventory file above, or a bundled example below.
          </p>
        ) : null}
        {open.length === 0 ? (
          <p className="muted empty-note">No source open.</p>
        ) : (
          <ul className="source-list" data-testid="source-list">
            {open.map((source) => (
              <SourceStatus key={source.sourceId} source={source} />
            ))}
          </ul>
        )}
        {anyLoaded ? <WorkloadList /> : null}
        {offeredAbove ? null : <ExampleList compact />}
      </div>
    </section>
  );
}
