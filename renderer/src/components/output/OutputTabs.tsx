import type { JSX, ReactNode } from 'react';
import { useCompileStore, type OutputTab } from '../../stores/compile-store';

/** One tab per host's table, then Problems (with counts), Trace, Matrix, Impact and Replay. */
export function OutputTabs(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const tab = useCompileStore((s) => s.tab);
  const errors = outcome?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  const warnings = outcome?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0;

  return (
    <div className="tabs" role="tablist">
      {(outcome?.hosts ?? []).map((h) => (
        <Tab key={h.host} to={{ kind: 'host', host: h.host }} selected={tab.kind === 'host' && tab.host === h.host} testId="flow-host-tab" host={h.host}
          title={`${h.workloadCount} workloads on ${h.host}`}>
          {h.host} <span className="count">{h.flowCount}</span>
        </Tab>
      ))}
      <Tab to={{ kind: 'problems' }} selected={tab.kind === 'problems'} testId="problems-tab">
        Problems
        {errors > 0 ? <span className="count count-error">{errors}</span> : null}
        {warnings > 0 ? <span className="count count-warning">{warnings}</span> : null}
      </Tab>
      <Tab to={{ kind: 'trace' }} selected={tab.kind === 'trace'} testId="trace-tab">
        Trace
      </Tab>
      <Tab to={{ kind: 'matrix' }} selected={tab.kind === 'matrix'} testId="matrix-tab">
        Matrix
      </Tab>
      <Tab to={{ kind: 'impact' }} selected={tab.kind === 'impact'} testId="impact-tab">
        Impact
      </Tab>
      <Tab to={{ kind: 'replay' }} selected={tab.kind === 'replay'} testId="replay-tab">
        Replay
      </Tab>
    </div>
  );
}

interface TabProps {
  to: OutputTab;
  selected: boolean;
  testId: string;
  host?: string;
  title?: string;
  children: ReactNode;
}

function Tab({ to, selected, testId, host, title, children }: TabProps): JSX.Element {
  const setTab = useCompileStore((s) => s.setTab);
  return (
    <button type="button" role="tab" aria-selected={selected} className="tab" data-testid={testId} data-host={host} title={title} onClick={() => setTab(to)}>
      {children}
    </button>
  );
}
