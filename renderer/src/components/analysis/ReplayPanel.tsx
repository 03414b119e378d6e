import { withinOneEndNote, type ReplayResult } from '@shared/analysis/replay';
import { formatDiagnostic, MAX_DIAGNOSTICS_PER_FILE } from '@shared/diagnostics';
import type { JSX } from 'react';
import { analyseChosenFile, CONNECTION_LOG, type FileAnalysis } from '../../actions/choose-analysis-file';
import { compiledDrawing } from '../../actions/compile-current';
import { useAboutDrawing } from '../../hooks/use-about-drawing';
import { useAnalysisStore } from '../../stores/analysis-store';
import { honeypotLabel } from '@shared/simulator/honeypot-label';
import { useCompileStore } from '../../stores/compile-store';
import { AnalysisProgress } from './AnalysisProgress';
import { OutdatedBadge } from './OutdatedBadge';
import { NotCompiledNote } from './NotCompiledNote';
import { StoppedNote } from './StoppedNote';

/** Entries shown; the rest are counted, and `microseg replay --json` lists them all. */
const SHOWN = 200;

/** How many lines the problems left out in all (one MS704 may cut millions), and how many problems are listed. */
function leftOutHeading(lines: number, problems: number): string {
  const count = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  const listed = problems > MAX_DIAGNOSTICS_PER_FILE ? `the first ${MAX_DIAGNOSTICS_PER_FILE} of ${count(problems, 'problem')} listed` : `${count(problems, 'problem')} listed`;
  return `${count(lines, 'line')} of the log left out: ${listed}`;
}

/** What a replay with nothing dropped or redirected says: only of the lines it judged, never of those it left out. */
function allThrough({ connections, linesLeftOut, withinOneEnd }: ReplayResult): string {
  if (connections === 0 && withinOneEnd > 0) return linesLeftOut > 0 ? 'No connection between two ends was replayed: each line is within one end, or left out (see above).' : 'No connection of the log goes through a switch: each is within one end.';
  if (connections === 0) return 'No connection of the log was replayed: every line of it was left out (see above).';
  if (linesLeftOut > 0) return 'Every connection replayed goes through; the lines left out were not judged.';
  if (withinOneEnd > 0) return 'Every connection between two ends goes through.';
  return 'Every connection of the log goes through.';
}

/**
 * "What would this policy do to the traffic that really ran?": a connection log (CSV
 * from,to,protocol,port[,count], e.g. from a flow collector) replayed against the compiled
 * tables; what would be dropped or sent to a honeypot, by group pair and service.
 */
export function ReplayPanel(): JSX.Element {
  const input = useCompileStore((s) => s.input);
  const outcome = useCompileStore((s) => s.outcome);
  const result = useAnalysisStore((s) => s.replay);
  const running = useAnalysisStore((s) => s.replayRunning);
  const stopped = useAnalysisStore((s) => s.replayStopped);
  const replayLog = useAnalysisStore((s) => s.replayLog);
  const current = useAboutDrawing(result?.input);
  const compiling = useCompileStore((s) => s.running);
  const compileIsCurrent = useAboutDrawing(input);

  if (!input || !outcome) return <NotCompiledNote why="connections are replayed against the compiled tables." />;
  // Errors of a compile the drawing has moved on from may be gone: replaying compiles it again.
  const hasErrors = compileIsCurrent && outcome.diagnostics.some((d) => d.severity === 'error');
  const replayOnDrawing: FileAnalysis = async (path, refuses) => {
    const compiled = await compiledDrawing();
    return compiled ? replayLog(compiled.input, path, refuses) : undefined;
  };
  const choose = (): Promise<void> => analyseChosenFile(CONNECTION_LOG, replayOnDrawing);
  const replay = result?.replay;
  const n = (count: number): string => count.toLocaleString('en-US');

  return (
    <div className="replay-panel">
      <div className="button-row">
        <button type="button" className="primary" data-testid="replay-choose" disabled={running || compiling || hasErrors} onClick={() => void choose()}>
          Replay a connection log…
        </button>
        {running ? <AnalysisProgress task="replay" note="Replaying…" /> : null}
      </div>
      {hasErrors ? <p className="form-warning">The compile has errors; fix them (see Problems) first.</p> : null}
      {stopped ? <StoppedNote task="replay" run={`Replaying ${stopped}`} again="Replay again" disabled={running || compiling || hasErrors} onAgain={() => void replayOnDrawing(stopped)} /> : null}
      {result && replay ? (
        <div data-testid="replay-result">
          <p data-testid="replay-summary">
            <strong>{result.log}</strong>: {n(replay.connections)} connection{replay.connections === 1 ? '' : 's'}, {n(replay.permitted)} permitted
            {replay.unenforced > 0 ? ` (${n(replay.unenforced)} with neither end behind one of our switches)` : ''}, <strong>{n(replay.dropped)} dropped</strong>,{' '}
            {n(replay.redirected)} redirected to a honeypot <span className="muted">({result.durationMs} ms)</span>
            {!current ? <OutdatedBadge /> : null}
          </p>
          {replay.withinOneEnd > 0 ? (
            <p className="muted" data-testid="replay-within-one-end">
              {withinOneEndNote(replay.withinOneEnd)}.
            </p>
          ) : null}
          {replay.diagnostics.length > 0 ? (
            <details className="form-warning" data-testid="replay-left-out" open={result.problems <= 5}>
              <summary>{leftOutHeading(replay.linesLeftOut, result.problems)}</summary>
              <ul className="mono">
                {replay.diagnostics.slice(0, SHOWN).map((d, i) => (
                  <li key={i}>{formatDiagnostic(d)}</li>
                ))}
              </ul>
            </details>
          ) : null}
          {replay.entries.length === 0 ? (
            <p data-testid="replay-all-through">{allThrough(replay)}</p>
          ) : (
            <table className="replay-entries">
              <thead>
                <tr>
                  <th>verdict</th>
                  <th>from</th>
                  <th>to</th>
                  <th>service</th>
                  <th>connections</th>
                  <th>example</th>
                </tr>
              </thead>
              <tbody>
                {replay.entries.slice(0, SHOWN).map((e) => (
                  <tr key={`${e.verdict} ${e.from} ${e.to} ${e.service} ${e.redirectedTo ?? ''}`} data-testid="replay-entry" data-from={e.from} data-to={e.to}>
                    <td>{e.verdict === 'redirected' ? `redirected to ${honeypotLabel(result.input.inventory, e.redirectedTo)}` : 'dropped'}</td>
                    <td>{e.from}</td>
                    <td>{e.to}</td>
                    <td className="mono">{e.service}</td>
                    <td>{n(e.connections)}</td>
                    <td className="muted">
                      line {e.example.line}: {e.example.from} → {e.example.to}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {replay.entries.length > SHOWN ? (
            <p className="muted" data-testid="replay-more">
              …and {n(replay.entries.length - SHOWN)} more kinds of connection (<code>microseg replay --json</code> lists them all).
            </p>
          ) : null}
        </div>
      ) : stopped ? null : (
        <p className="muted">What the drawing would do to the traffic that really ran: a CSV log with a header row from,to,protocol,port and optionally count, replayed against the compiled tables.</p>
      )}
    </div>
  );
}
