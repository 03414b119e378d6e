import { useEffect, useRef, type JSX, type ReactNode } from 'react';
import { countOf } from '../../model/format';
import { useCompileStore, type OutputTab } from '../../stores/compile-store';
import { onTablistKeyDown } from '../tablist-keys';

// Past this many hosts their tabs scroll, and a list picks any of them.
const PICKER_FROM = 5;

/**
 * One tab per host's table, then Problems (with counts), Trace, Matrix, Impact and Replay. Only
 * the host tabs scroll when space runs out: the analysis tabs are always in view, on a line of
 * their own under the host tabs when the panel is narrow (output.css).
 */
export function OutputTabs(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const tab = useCompileStore((s) => s.tab);
  const setTab = useCompileStore((s) => s.setTab);
  const errors = outcome?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
  const warnings = outcome?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0;
  const hosts = outcome?.hosts ?? [];

  return (
    <div className="tabs output-tabs" role="tablist" aria-label="Output" onKeyDown={onTablistKeyDown}>
      {hosts.length >= PICKER_FROM ? (
        <select className="host-picker" data-testid="flow-host-picker" aria-label="Show the flow table of host"
          value={tab.kind === 'host' ? tab.host : ''} onChange={(e) => setTab({ kind: 'host', host: e.target.value })}>
          <option value="" disabled>{hosts.length} hosts…</option>
          {hosts.map((h) => (
            <option key={h.host} value={h.host}>{h.host}</option>
          ))}
        </select>
      ) : null}
      <div className="host-tabs">
        {hosts.map((h) => (
          <Tab key={h.host} to={{ kind: 'host', host: h.host }} selected={tab.kind === 'host' && tab.host === h.host} testId="flow-host-tab" host={h.host}
            title={`${countOf(h.workloadCount, 'workload')} on ${h.host}`}>
            {h.host} <span className="count">{h.flowCount}</span>
          </Tab>
        ))}
      </div>
      <div className="analysis-tabs">
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
  const ref = useRef<HTMLButtonElement>(null);
  // A host picked from the list may have its tab scrolled out of view.
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [selected]);
  return (
    <button ref={ref} type="button" role="tab" aria-selected={selected} className="tab" data-testid={testId} data-host={host} title={title} onClick={() => setTab(to)}>
      {children}
    </button>
  );
}
