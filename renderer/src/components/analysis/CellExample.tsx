import {
  exampleGoal,
  findExample,
  tracedServiceText,
  type ExampleGoal,
  type ExampleSearch,
  type NamedPair,
} from '@shared/analysis/matrix-example';
import type { CellServices } from '@shared/analysis/matrix-grid';
import { useEffect, useMemo, useState, type JSX } from 'react';
import { useCompileStore } from '../../stores/compile-store';
import { useTraceRequestStore } from '../../stores/trace-request-store';
import { traceConnection } from '../output/trace-connection';

/** Thrown into a search whose cell is no longer shown, to stop it tracing more pairs. */
const SUPERSEDED = 'superseded';

/**
 * An address pair of the cell to trace, with a service the cell names: one whose trace really
 * shows what the cell says of that service. Only some pairs may open a `sometimes` service, and
 * the grid keeps no per-pair answers (5,000 groups make 25 million cells), so the pairs are
 * traced when the cell is looked at, on the same path as the Trace tab, up to a bound; when
 * none of those shows it, the panel says so rather than offer a trace that contradicts the cell.
 * Only while the matrix is `current`: the Trace tab traces on the drawing as it is now (its
 * latest compile), whose tables an outdated matrix does not describe.
 */
export function CellExample({
  services,
  pairs,
  total,
  current,
}: {
  services: CellServices;
  pairs: readonly NamedPair[];
  /** The cell's address pairs, when those traced are counted among them (no outside addresses: see MatrixCell.pairs). */
  total: number | undefined;
  current: boolean;
}): JSX.Element | null {
  const outcome = useCompileStore((s) => s.outcome);
  const inventory = useCompileStore((s) => s.input?.inventory);
  const setTab = useCompileStore((s) => s.setTab);
  const ask = useTraceRequestStore((s) => s.ask);
  const goal = useMemo(() => exampleGoal(services), [services]);
  // The search's result, with what it was for: another cell's (or compile's) is not shown while this one's runs.
  const [found, setFound] = useState<{
    pairs: readonly NamedPair[];
    goal: ExampleGoal;
    compileId: string;
    search: ExampleSearch | { error: string };
  } | null>(null);
  const search =
    found && found.pairs === pairs && found.goal === goal && found.compileId === outcome?.compileId
      ? found.search
      : null;

  useEffect(() => {
    if (!current || !outcome || !inventory || pairs.length === 0) return;
    let shown = true;
    const { service } = goal;
    const verdictOf = async (pair: NamedPair): Promise<ExampleGoal['verdict']> => {
      if (!shown) throw new Error(SUPERSEDED);
      const reply = await traceConnection(inventory, outcome.compileId, {
        ...pair,
        sender: '',
        protocol: service.protocol,
        port: service.protocol === 'icmp' ? '' : String(service.port),
        // An echo request, as the matrix asks.
        icmpType: '',
        icmpCode: '',
        established: false,
      });
      if (!reply.ok) throw new Error(reply.error);
      return reply.answer.path.verdict;
    };
    findExample(pairs, goal, verdictOf).then(
      (result) => shown && setFound({ pairs, goal, compileId: outcome.compileId, search: result }),
      (failure: Error) =>
        shown && setFound({ pairs, goal, compileId: outcome.compileId, search: { error: failure.message } }),
    );
    return () => {
      shown = false;
    };
  }, [current, outcome, inventory, pairs, goal]);

  if (pairs.length === 0) return null;
  if (!current)
    return (
      <p className="muted" data-testid="matrix-example-outdated">
        No example to trace: the drawing or its compile changed since the matrix was computed. Compute it again.
      </p>
    );
  const service = tracedServiceText(goal.service);
  const open = (pair: NamedPair): void => {
    ask({
      ...pair,
      protocol: goal.service.protocol,
      ...(goal.service.protocol === 'icmp' ? {} : { port: goal.service.port }),
    });
    setTab({ kind: 'trace' });
  };
  const link = (pair: NamedPair): JSX.Element => (
    <button
      type="button"
      className="link"
      data-testid="matrix-trace-example"
      data-from={pair.from}
      data-to={pair.to}
      onClick={() => open(pair)}
    >
      Trace {pair.from} → {pair.to} {service}
    </button>
  );

  if (search === null)
    return (
      <p className="muted" data-testid="matrix-example-search">
        Looking for an address pair for which {service} is {goal.verdict}…
      </p>
    );
  if ('error' in search)
    return (
      <p className="form-warning" data-testid="matrix-example-error">
        No example traced: {search.error}
      </p>
    );
  if (search.found)
    return (
      <p>
        {link(search.pair)} <span className="muted">to see the rule that decides.</span>
      </p>
    );
  return (
    <p data-testid="matrix-example-none">
      <span className="muted">
        {service} is {goal.verdict} for none of the {search.tried} address pairs traced{total === undefined ? '' : ` (of ${total})`}, so no example shows
        it.{' '}
      </span>
      {search.first ? (
        <>
          {link(search.first)} <span className="muted">to see what decides for that pair.</span>
        </>
      ) : null}
    </p>
  );
}
