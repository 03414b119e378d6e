import type { JSX } from 'react';
import { useCompileStore } from '../../stores/compile-store';

export function OutputTabs(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const tab = useCompileStore((s) => s.tab);
  const setTab = useCompileStore((s) => s.setTab);
  const errors = outcome?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  const warnings = outcome?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0;

  return (
    <div className="tabs" role="tablist">
      {(outcome?.hosts ?? []).map((h) => (
        <button
          key={h.host}
          type="button"
          role="tab"
          aria-selected={tab.kind === 'host' && tab.host === h.host}
          className="tab"
          data-testid="flow-host-tab"
          data-host={h.host}
          onClick={() => setTab({ kind: 'host', host: h.host })}
          title={`${h.workloadCount} workloads on ${h.host}`}
        >
          {h.host} <span className="count">{h.flows.length}</span>
        </button>
      ))}
      <button
        type="button"
        role="tab"
        aria-selected={tab.kind === 'problems'}
        className="tab"
        data-testid="problems-tab"
        onClick={() => setTab({ kind: 'problems' })}
      >
        Problems
        {errors > 0 ? <span className="count count-error">{errors}</span> : null}
        {warnings > 0 ? <span className="count count-warning">{warnings}</span> : null}
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={tab.kind === 'trace'}
        className="tab"
        data-testid="trace-tab"
        onClick={() => setTab({ kind: 'trace' })}
      >
        Trace
      </button>
    </div>
  );
}
