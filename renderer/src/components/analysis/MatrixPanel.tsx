import type { MatrixCell } from '@shared/analysis/matrix';
import type { NamedPair } from '@shared/analysis/matrix-example';
import { leftOutNote } from '@shared/analysis/infrastructure-passes';
import type { MatrixOutcome } from '@shared/api/contract';
import { formatServices, isEmptyServiceSet } from '@shared/analysis/service-set';
import { useEffect, useMemo, useRef, type JSX, type MouseEvent } from 'react';
import { useAnalysisStore, type AnalysisInput } from '../../stores/analysis-store';
import { compiledDrawing } from '../../actions/compile-current';
import { useAboutDrawing } from '../../hooks/use-about-drawing';
import { isCompileCurrent } from '../../model/same-input';
import { useCompileStore } from '../../stores/compile-store';
import { useMatrixViewStore } from '../../stores/matrix-view-store';
import { AnalysisProgress } from './AnalysisProgress';
import { CellExample } from './CellExample';
import { heatMapPngUrl, SVG_ROW_LIMIT } from './heat-map-canvas';
import { onHeatMapKey } from './heat-map-keys';
import { HeatMapCanvas } from './HeatMapCanvas';
import { CELL, describeCell, heatMapLayout, heatMapSvg, LEGEND, type PictureFooter } from './heat-map-svg';
import { matrixView } from './matrix-view';
import { downloadPng, downloadSvg, save } from './picture-export';
import { OutdatedBadge } from './OutdatedBadge';
import { NotCompiledNote } from './NotCompiledNote';
import { StoppedNote } from './StoppedNote';

/** Said to a screen reader as the map takes the focus, since nothing on screen says the arrows work. */
const HEAT_MAP_KEYS = 'Reachability matrix: arrow keys, Home and End pick a cell to explain';
const NO_MATCH_EXPORT = 'No name contains the filter, so there is no map to export; change or clear the filter.';

/**
 * Which services each group may open to each other group, computed exactly from the tables
 * just compiled, as a heat map: click a cell to see what it permits and for which pairs.
 */
export function MatrixPanel(): JSX.Element {
  const input = useCompileStore((s) => s.input);
  const outcome = useCompileStore((s) => s.outcome);
  const result = useAnalysisStore((s) => s.matrix);
  const running = useAnalysisStore((s) => s.matrixRunning);
  const stopped = useAnalysisStore((s) => s.matrixStopped);
  const compute = useAnalysisStore((s) => s.computeMatrix);
  const { picked, level, filter, setPicked, setLevel, setFilter } = useMatrixViewStore();

  const current = useAboutDrawing(result?.input);
  // The cell's example pairs are traced on the latest compile, which must be the one the matrix was computed on; and
  // its link traces on the drawing as it is now, so the drawing must not have moved on from the matrix either.
  const ofLatestCompile = result !== null && input !== null && isCompileCurrent(result.input, input.policy, input.inventory);
  const compiling = useCompileStore((s) => s.running);
  const compileIsCurrent = useAboutDrawing(input);
  const grid = useMemo(() => (result ? matrixView(result.matrix, level, filter) : null), [result, level, filter]);
  // A big grid is drawn on a canvas (HeatMapCanvas); only a small one is an SVG picture.
  const onCanvas = grid !== null && grid.names.length > SVG_ROW_LIMIT;
  // A filter no name matches leaves no map: nothing to draw or export.
  const noMatch = grid !== null && grid.names.length === 0;
  const svg = useMemo(() => (grid && result && !onCanvas ? heatMapSvg(grid.names, grid.shown, footerOf(result, level, filter), picked ?? undefined) : ''), [grid, result, level, filter, picked, onCanvas]);
  const matrix = result?.matrix;
  // Kept while the same cell is shown: its example is looked for by tracing pairs, once.
  const shownCell = useMemo(() => {
    if (!grid || !picked || picked.row >= grid.names.length || picked.column >= grid.names.length) return undefined;
    return { cell: grid.cell(picked.row, picked.column), pairs: grid.pairsToTry?.(picked.row, picked.column) };
  }, [grid, picked]);
  const explanation = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (picked && explanation.current) showUnderMap(explanation.current);
  }, [picked]);

  if (!input || !outcome) return <NotCompiledNote why="the matrix is computed from the compiled tables." />;
  // Errors of a compile the drawing has moved on from may be gone: Compute compiles it again.
  const hasErrors = compileIsCurrent && outcome.diagnostics.some((d) => d.severity === 'error');
  const computeOnDrawing = async (): Promise<void> => {
    setPicked(null);
    const compiled = await compiledDrawing();
    if (compiled) await compute(compiled.input);
  };

  const pick = (event: MouseEvent<HTMLDivElement>): void => {
    if (!grid) return;
    const box = event.currentTarget.getBoundingClientRect();
    const { labelWidth } = heatMapLayout(grid.names);
    // The map scrolls inside its box when it is bigger than the panel.
    const column = Math.floor((event.clientX - box.left + event.currentTarget.scrollLeft - labelWidth) / CELL);
    const row = Math.floor((event.clientY - box.top + event.currentTarget.scrollTop - labelWidth) / CELL);
    if (row >= 0 && column >= 0 && row < grid.names.length && column < grid.names.length) setPicked({ row, column });
  };

  const leftOut = matrix ? leftOutNote(matrix.leftOut) : undefined;
  const statsText = matrix && result ? `${matrix.groups.length} groups, ${matrix.stats.classes} address classes, ${matrix.stats.simulations} simulated packets, ${result.durationMs} ms${leftOut ? `. ${leftOut}` : ''}` : '';
  const exportPng = (): void => {
    if (!grid || !result) return;
    if (onCanvas) save(heatMapPngUrl(grid, footerOf(result, level, filter)), 'reachability-matrix.png');
    else void downloadPng(svg, 'reachability-matrix.png');
  };
  return (
    <div className="matrix-panel">
      <div className="button-row">
        <button type="button" className="primary" data-testid="matrix-compute" disabled={running || compiling || hasErrors} onClick={() => void computeOnDrawing()}>
          {running ? 'Computing…' : compiling ? 'Compiling…' : current ? 'Compute again' : 'Compute matrix'}
        </button>
        {running ? <AnalysisProgress task="matrix" note="Working it out…" /> : null}
        {matrix ? (
          <>
            <button
              type="button"
              data-testid="matrix-export-svg"
              disabled={onCanvas || noMatch}
              title={onCanvas ? `An SVG file holds up to ${SVG_ROW_LIMIT} rows; filter by name to fewer, or export PNG.` : noMatch ? NO_MATCH_EXPORT : undefined}
              onClick={() => downloadSvg(svg, 'reachability-matrix.svg')}
            >
              Export SVG
            </button>
            <button type="button" data-testid="matrix-export-png" disabled={noMatch} title={noMatch ? NO_MATCH_EXPORT : undefined} onClick={exportPng}>
              Export PNG
            </button>
            <span className="muted matrix-stats" data-testid="matrix-stats" title={statsText}>
              {statsText}
            </span>
            {!current ? <OutdatedBadge testId="matrix-outdated" /> : null}
            <input
              type="search"
              className="matrix-filter"
              aria-label="Show only names containing"
              placeholder="filter names…"
              data-testid="matrix-filter"
              value={filter}
              onChange={(e) => {
                setPicked(null);
                setFilter(e.target.value);
              }}
            />
            {matrix.workloads ? (
              <select aria-label="Rows and columns" data-testid="matrix-level" value={level} onChange={(e) => { setPicked(null); setLevel(e.target.value as 'groups' | 'workloads'); }}>
                <option value="groups">by group</option>
                <option value="workloads">by workload</option>
              </select>
            ) : null}
          </>
        ) : null}
      </div>
      {hasErrors ? <p className="form-warning">The compile has errors; fix them (see Problems) to compute the matrix.</p> : null}
      {/* A matrix still shown is the last complete one: marked outdated above once the drawing moved on from it. */}
      {stopped ? <StoppedNote task="matrix" run="Computing the matrix" again="Compute again" disabled={running || compiling || hasErrors} onAgain={() => void computeOnDrawing()} /> : null}
      {matrix && noMatch ? (
        <p className="muted" data-testid="matrix-no-match">
          No {level === 'groups' ? 'group' : 'workload'} name contains “{filter.trim()}”; clear the filter to see the map.
        </p>
      ) : matrix && grid ? (
        <div className="matrix-body">
          {onCanvas ? (
            <HeatMapCanvas view={grid} picked={picked} onPick={setPicked} label={HEAT_MAP_KEYS} />
          ) : (
            // The SVG string is built from escaped text only (heat-map-svg.ts).
            <div
              className="heat-map"
              data-testid="matrix-heat-map"
              tabIndex={0}
              aria-label={HEAT_MAP_KEYS}
              onClick={pick}
              onKeyDown={onHeatMapKey(picked, grid.names.length, setPicked)}
              dangerouslySetInnerHTML={{ __html: svg }}
            />
          )}
          <div className="matrix-explain" data-testid="matrix-cell" ref={explanation}>
            {shownCell && picked ? <CellExplanation from={grid.names[picked.row]!} to={grid.names[picked.column]!} level={level} cell={shownCell.cell} pairs={shownCell.pairs} current={ofLatestCompile && current} /> : <p className="muted">Rows open connections to columns. Click a cell to see what it permits.</p>}
            <Legend note={leftOut} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

/**
 * A group cell's pairs are pairs of addresses (a dual-stack workload is a member once per family,
 * as the matrix is worked out per address pair), so it says address pairs; a workload cell is
 * one pair of workloads.
 */
const FACT_LABELS = {
  groups: { every: 'Every address pair', some: 'Some address pairs only', count: 'Address pairs' },
  workloads: { every: 'Every member pair', some: 'Some pairs only', count: 'Member pairs' },
} as const;

function CellExplanation({ from, to, level, cell, pairs, current }: { from: string; to: string; level: 'groups' | 'workloads'; cell: MatrixCell; pairs: NamedPair[] | undefined; current: boolean }): JSX.Element {
  const labels = FACT_LABELS[level];
  return (
    <div data-from={from} data-to={to}>
      <h4>
        {from} → {to}
      </h4>
      <p className="muted">{describeCell(from, to, cell.pairs === 0 ? null : cell)}</p>
      <dl className="matrix-facts">
        <dt>{labels.every}</dt>
        <dd className="mono" data-testid="matrix-cell-always">{isEmptyServiceSet(cell.always) ? 'nothing' : formatServices(cell.always)}</dd>
        <dt>{labels.some}</dt>
        <dd className="mono" data-testid="matrix-cell-sometimes">{isEmptyServiceSet(cell.sometimes) ? 'nothing' : formatServices(cell.sometimes)}</dd>
        <dt>Sent to a honeypot</dt>
        <dd className="mono">{isEmptyServiceSet(cell.redirected) ? 'nothing' : formatServices(cell.redirected)}</dd>
        <dt>{labels.count}</dt>
        <dd data-testid="matrix-cell-pairs">
          {cell.pairs}
          {outsideNote(cell)}
        </dd>
      </dl>
      {/* Pairs with outside addresses are traced one stand-in at a time, so they are not counted among the cell's. */}
      {pairs ? <CellExample services={cell} pairs={pairs} total={cell.outsidePairs === 0 ? cell.pairs : undefined} current={current} /> : null}
    </div>
  );
}

/**
 * Says which of a cell's pairs are of a workload address with a group's outside addresses: an
 * address block holds too many to count, so they count once per workload address (MatrixCell.pairs).
 */
function outsideNote({ pairs, outsidePairs }: MatrixCell): string {
  if (outsidePairs === 0) return '';
  return ` (${outsidePairs === pairs ? 'each' : `${outsidePairs} of them`} a workload address with a group's outside addresses, all of them as one end)`;
}

/**
 * On a narrow panel the explanation wraps under the map, out of view: a picked cell would seem to
 * do nothing, so its explanation's start is scrolled into view. Beside the map it is left alone.
 */
function showUnderMap(explain: HTMLElement): void {
  const map = explain.previousElementSibling;
  if (map && explain.getBoundingClientRect().top >= map.getBoundingClientRect().bottom) explain.scrollIntoView({ block: 'nearest' });
}

/** The colours, and what no cell shows (`note`), as the exported picture's footer says them. */
function Legend({ note }: { note: string | undefined }): JSX.Element {
  return (
    <ul className="matrix-legend">
      {LEGEND.map((entry) => (
        <li key={entry.text}>
          <span className={entry.dot ? 'swatch dot' : 'swatch'} style={entry.dot ? undefined : { background: entry.fill }} /> {entry.text}
        </li>
      ))}
      {note ? <li data-testid="matrix-left-out">{note}</li> : null}
    </ul>
  );
}

/** What the picture shows, for its footer: which policy, at which level, which names, computed when, and what no cell shows. */
function footerOf(result: MatrixOutcome & { input: AnalysisInput; computedAt: string }, level: 'groups' | 'workloads', filter: string): PictureFooter {
  const { policy } = result.input;
  const only = filter.trim() === '' ? '' : ` whose names contain "${filter.trim()}"`;
  const caption = `${policy.name} revision ${policy.revision}: rows open connections to columns, by ${level === 'groups' ? 'group' : 'workload'}${only}; computed ${result.computedAt}`;
  const note = leftOutNote(result.matrix.leftOut);
  return note ? { caption, note } : { caption };
}
