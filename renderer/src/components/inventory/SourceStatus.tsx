import type { JSX } from 'react';
import { formatLocation } from '../../model/format';
import { useInventoryStore } from '../../stores/inventory-store';
import { ExampleList } from './ExampleList';

/** One plain sentence about the chosen source: loading, how many workloads, or why it failed. */
export function SourceStatus(): JSX.Element {
  const status = useInventoryStore((s) => s.status);
  const failure = useInventoryStore((s) => s.failure);
  const inventory = useInventoryStore((s) => s.inventory);
  const diagnostics = useInventoryStore((s) => s.diagnostics);
  const source = useInventoryStore((s) => s.sources.find((x) => x.id === s.sourceId));

  if (status === 'failed' && failure) {
    // The service's message names the endpoint and the reason; the headline only classifies.
    const headline = failure.code === 'docker-unreachable' ? 'Docker is not reachable.' : 'This source could not be read.';
    return (
      <div className="source-status failed" data-testid="docker-status" data-status="failed" data-code={failure.code} role="status">
        <p>
          <strong>{headline}</strong> {failure.message}
        </p>
        {failure.detail ? <pre className="detail">{failure.detail}</pre> : null}
        <ExampleList />
      </div>
    );
  }

  const text =
    status === 'loading'
      ? `Loading workloads from ${source?.name ?? 'the source'}…`
      : status === 'loaded' && inventory
        ? `${inventory.workloads.length} workloads from ${source?.name ?? 'the source'}, read ${new Date(inventory.readAt).toLocaleTimeString()}`
        : 'No source chosen.';

  return (
    <div className={`source-status ${status}`} data-testid="docker-status" data-status={status} role="status">
      <p>{text}</p>
      {diagnostics.length > 0 ? (
        <ul className="element-problems">
          {diagnostics.map((d, i) => (
            <li key={i} className={`severity-${d.severity}`}>
              <span className="code">{d.code}</span> {d.message} <span className="muted">{formatLocation(d)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
