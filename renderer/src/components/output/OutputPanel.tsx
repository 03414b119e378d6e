import type { JSX } from 'react';
import { compileReplaced, useCompileStore } from '../../stores/compile-store';
import { useAboutDrawing } from '../../hooks/use-about-drawing';
import { FlowEditor } from './FlowEditor';
import { useHostTableText } from './use-host-table-text';
import { OutputTabs } from './OutputTabs';
import { ProblemsList } from './ProblemsList';
import { TracePanel } from './TracePanel';
import { ImpactPanel } from '../analysis/ImpactPanel';
import { MatrixPanel } from '../analysis/MatrixPanel';
import { ReplayPanel } from '../analysis/ReplayPanel';

/** The compiled flow tables, one tab per host, the problems the compile found, traces, the matrix, the impact of a change and replayed traffic. */
export function OutputPanel(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const tab = useCompileStore((s) => s.tab);
  const input = useCompileStore((s) => s.input);
  const compiledDrawingNow = useAboutDrawing(input);
  const stale = input !== null && !compiledDrawingNow;
  const replaced = useCompileStore(compileReplaced);
  const table = tab.kind === 'host' ? outcome?.hosts.find((h) => h.host === tab.host) : undefined;
  const text = useHostTableText(outcome?.compileId, table?.host);

  return (
    <section className="output-panel" aria-label="Compile output">
      <header className="output-header" data-split-chrome>
        <OutputTabs />
        <div className="output-stats">
          {outcome ? (
            <>
              <span>
                <strong data-testid="flow-count-total">{outcome.flowCount}</strong> flows on {outcome.hosts.length}{' '}
                {outcome.hosts.length === 1 ? 'host' : 'hosts'}
              </span>
              <span className="muted" data-testid="compile-duration">
                {outcome.unchanged
                  ? 'the same policy and inventory as the last compile: its tables are kept'
                  : outcome.patchedWorkloads !== undefined
                    ? `patched for ${outcome.patchedWorkloads} changed workload${outcome.patchedWorkloads === 1 ? '' : 's'} since the last compile, in ${outcome.durationMs} ms`
                    : `compiled in ${Math.round(outcome.durationMs)} ms`}
              </span>
              {stale ? (
                <span className="badge badge-warning" data-testid="compile-outdated" title="The drawing or the inventory changed after this compile">
                  outdated
                </span>
              ) : null}
              {replaced ? (
                <span className="badge badge-warning" data-testid="compile-replaced" title="Another window compiled since; only the latest compile's tables are kept: compile again to read tables and trace">
                  replaced by another window
                </span>
              ) : null}
            </>
          ) : (
            <span className="muted">Not compiled yet</span>
          )}
        </div>
      </header>
      <div className="output-body">
        {/* Monaco stays mounted while Problems is open, so switching back is instant. */}
        <div className={tab.kind === 'host' && table ? 'output-pane' : 'output-pane hidden'}>
          <FlowEditor text={text} />
        </div>
        {tab.kind === 'trace' ? (
          <div className="output-pane scroll">
            <TracePanel />
          </div>
        ) : tab.kind === 'matrix' ? (
          <div className="output-pane scroll">
            <MatrixPanel />
          </div>
        ) : tab.kind === 'impact' ? (
          <div className="output-pane scroll">
            <ImpactPanel />
          </div>
        ) : tab.kind === 'replay' ? (
          <div className="output-pane scroll">
            <ReplayPanel />
          </div>
        ) : tab.kind === 'problems' || !table ? (
          <div className="output-pane">
            {outcome ? <ProblemsList /> : <p className="muted empty-note">Compile to see the Open vSwitch flow table each host gets.</p>}
          </div>
        ) : null}
      </div>
    </section>
  );
}
