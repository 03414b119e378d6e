import type { ApiErrorData, ImpactBaseline } from '@shared/api/contract';
import { useState, type JSX } from 'react';
import { analyseChosenFile, BASELINE_FILE } from '../../actions/choose-analysis-file';
import { compiledDrawing } from '../../actions/compile-current';
import { useAboutDrawing } from '../../hooks/use-about-drawing';
import { useAnalysisStore } from '../../stores/analysis-store';
import { useCompileStore } from '../../stores/compile-store';
import { useDeployStore } from '../../stores/deploy-store';
import { AnalysisProgress } from './AnalysisProgress';
import { ImpactList } from './ImpactList';
import { PortGuardLossList } from './PortGuardLossList';
import { UnreadHostsList } from './UnreadHostsList';
import { OutdatedBadge } from './OutdatedBadge';
import { NotCompiledNote } from './NotCompiledNote';
import { StoppedNote } from './StoppedNote';
import { noticeCodeHint } from '../../stores/notice-store';
import { countOf } from '../../model/format';

/** The note that says why Compare with what the hosts run is off. */
const NO_TARGETS_ID = 'impact-no-targets-note';

/**
 * "What would this change do?": the compiled drawing against what the hosts run now (their
 * flows read back over SSH) or against a saved version of the policy; the result is listed
 * here and drawn on the canvas.
 */
export function ImpactPanel(): JSX.Element {
  const input = useCompileStore((s) => s.input);
  const outcome = useCompileStore((s) => s.outcome);
  const targets = useDeployStore((s) => s.targets);
  const result = useAnalysisStore((s) => s.impact);
  const running = useAnalysisStore((s) => s.impactRunning);
  const failure = useAnalysisStore((s) => s.impactFailure);
  const stopped = useAnalysisStore((s) => s.impactStopped);
  const compute = useAnalysisStore((s) => s.computeImpact);
  const showOnCanvas = useAnalysisStore((s) => s.showImpactOnCanvas);
  const setShowOnCanvas = useAnalysisStore((s) => s.setShowImpactOnCanvas);
  const [note, setNote] = useState<string | null>(null);
  const current = useAboutDrawing(result?.input);
  const compiling = useCompileStore((s) => s.running);
  const compileIsCurrent = useAboutDrawing(input);

  if (!input || !outcome) return <NotCompiledNote why="the impact is worked out on the compiled tables." />;
  // Errors of a compile the drawing has moved on from may be gone: comparing compiles it again.
  const hasErrors = compileIsCurrent && outcome.diagnostics.some((d) => d.severity === 'error');
  const configured = new Set(targets.map((t) => t.host));
  const readable = (hosts: readonly { host: string }[]): string[] => hosts.map((h) => h.host).filter((h) => configured.has(h));
  const noneReadable = readable(outcome.hosts).length === 0;

  const run = async (against: 'deployed' | Extract<ImpactBaseline, { kind: 'file' }>, refuses?: (error: ApiErrorData) => boolean): Promise<ApiErrorData | undefined> => {
    const compiled = await compiledDrawing();
    if (!compiled) return undefined;
    const unreadable = compiled.outcome.hosts.map((h) => h.host).filter((h) => !configured.has(h));
    const baseline: ImpactBaseline = against === 'deployed' ? { kind: 'deployed', hosts: readable(compiled.outcome.hosts) } : against;
    setNote(baseline.kind === 'deployed' && unreadable.length > 0 ? `No SSH target for ${unreadable.join(', ')}: compared as if they already ran this drawing.` : null);
    return compute(compiled.input, baseline, refuses);
  };
  const again = (baseline: ImpactBaseline): Promise<ApiErrorData | undefined> => run(baseline.kind === 'deployed' ? 'deployed' : baseline);
  const compareWithFile = (): Promise<void> => analyseChosenFile(BASELINE_FILE, (path, refuses) => run({ kind: 'file', path }, refuses));

  return (
    <div className="impact-panel">
      <div className="button-row">
        <button type="button" className="primary" data-testid="impact-deployed" disabled={running || compiling || hasErrors || noneReadable} aria-describedby={noneReadable ? NO_TARGETS_ID : undefined} onClick={() => void run('deployed')}>
          Compare with what the hosts run
        </button>
        <button type="button" data-testid="impact-file" disabled={running || compiling || hasErrors} onClick={() => void compareWithFile()}>
          Compare with a saved version…
        </button>
        <label className="checkbox">
          <input type="checkbox" data-testid="impact-on-canvas" checked={showOnCanvas} onChange={(e) => setShowOnCanvas(e.target.checked)} />
          show on the canvas
        </label>
        {running ? <AnalysisProgress task="impact" note="Working it out…" /> : null}
      </div>
      {hasErrors ? <p className="form-warning">The compile has errors; fix them (see Problems) first.</p> : null}
      {/* Said on the page, not in a tooltip: a disabled button takes no focus, so neither a keyboard nor a screen reader would reach one. */}
      {noneReadable && !hasErrors ? (
        <p className="muted" id={NO_TARGETS_ID} data-testid="impact-no-targets">
          No compiled host has an SSH target, so what the hosts run cannot be read: configure one under Hosts, or compare with a saved version.
        </p>
      ) : null}
      {note && (running || result?.against.kind === 'deployed') ? <p className="muted">{note}</p> : null}
      {failure ? (
        <div className="form-error" role="alert" data-testid="impact-failure" data-code={failure.error.code} title={noticeCodeHint(failure.error)}>
          <strong>Comparing with {baselineName(failure.against)} failed</strong>
          <p>{failure.error.message}</p>
          {failure.error.detail ? <pre className="detail">{failure.error.detail}</pre> : null}
        </div>
      ) : null}
      {stopped ? (
        <StoppedNote task="impact" run={`Comparing with ${baselineName(stopped)}`} again="Compare again" disabled={running || compiling || hasErrors || (stopped.kind === 'deployed' && noneReadable)} onAgain={() => void again(stopped)} />
      ) : null}
      {result ? (
        <div data-testid="impact-result">
          <p>
            Against <strong data-testid="impact-baseline">{result.baseline}</strong>{' '}
            <span className="muted">({countOf(result.impact.stats.pairsCompared, 'pair')} compared, {result.durationMs} ms)</span>
            {!current ? <OutdatedBadge /> : null}
          </p>
          <PortGuardLossList losses={result.portGuardsLost} />
          <UnreadHostsList unread={result.unread} />
          <ImpactList impact={result.impact} hosts={result.against.kind === 'deployed' ? { asked: result.against.hosts.length, unread: result.unread.length } : undefined} />
        </div>
      ) : running || failure || stopped ? null : (
        <p className="muted">The connections the drawing would newly permit or block, by group pair and service, exactly from the flow tables.</p>
      )}
    </div>
  );
}

function baselineName(against: ImpactBaseline): string {
  return against.kind === 'deployed' ? 'what the hosts run' : against.path;
}
