import { qualifiedName } from '@shared/inventory/model';
import type { TraceOutcome } from '@shared/api/contract';
import { traceAgrees } from '@shared/simulator/ovs-trace';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type JSX } from 'react';
import { compiledDrawing, type CompiledDrawing } from '../../actions/compile-current';
import { request } from '../../api/request';
import { useAboutDrawing } from '../../hooks/use-about-drawing';
import { useCanvasStore } from '../../stores/canvas-store';
import { useCompileStore } from '../../stores/compile-store';
import { useTraceRequestStore } from '../../stores/trace-request-store';
import { honeypotLabel } from '@shared/simulator/honeypot-label';
import { nameSuggestions } from '../../model/name-suggestions';
import { Field } from '../layout/Field';
import type { TraceProtocol } from '../../model/trace-packet';
import { traceConnection, type TraceAnswer, type TraceQuestion } from './trace-connection';
import { OutdatedBadge } from '../analysis/OutdatedBadge';
import { NotCompiledNote } from '../analysis/NotCompiledNote';

const VERDICT_BADGE: Record<TraceOutcome['verdict'], string> = { permitted: 'badge-ok', dropped: 'badge-error', redirected: 'badge-warning' };

/** One host's switch's own answer, next to the simulator's for that hop. */
interface SwitchAnswer {
  host: string;
  simulated: string;
  switchSays: string;
  agrees: boolean;
  /** Why the switch could not be asked: then it said nothing, and nothing is compared. */
  error?: string;
}

/**
 * "What happens to this connection?" answered on the tables just compiled, by the same
 * simulator the CLI and the tests use (on the node side, which keeps the tables): the verdict, the rule that decided on each host (click
 * to select it on the canvas), and the table-by-table trace.
 */
export function TracePanel(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const compiledInput = useCompileStore((s) => s.input);
  const inventory = compiledInput?.inventory;
  const compileIsCurrent = useAboutDrawing(compiledInput);
  const select = useCanvasStore((s) => s.select);
  const id = useId();
  // Opened from the matrix with a connection to trace, the form starts with it and traces it at once;
  // otherwise with what the tab showed when another tab replaced it.
  const [opened] = useState(() => {
    const asked = useTraceRequestStore.getState().take();
    const kept = asked ? null : useTraceRequestStore.getState().kept;
    if (kept) return { question: kept.question, run: false, kept };
    const question: TraceQuestion = { from: asked?.from ?? '', to: asked?.to ?? '', sender: '', protocol: asked?.protocol ?? 'tcp', port: String(asked?.port ?? 80), icmpType: '', icmpCode: '', established: false };
    return { question, run: asked !== null, kept: null };
  });
  const [form, setFormState] = useState(opened.question);
  const [answer, setAnswer] = useState<TraceAnswer | null>(opened.kept?.answer ?? null);
  // The drawing the answer was traced on: once the drawing moves on, the answer is marked outdated.
  const [tracedOn, setTracedOn] = useState<CompiledDrawing['input'] | null>(opened.kept?.tracedOn ?? null);
  const answerCurrent = useAboutDrawing(tracedOn);
  const [switches, setSwitches] = useState<SwitchAnswer[] | null>(null);
  // The stopId of the switches being asked (see work:stop); null when none is.
  const [asking, setAsking] = useState<string | null>(null);
  // The same id for the cleanup on unmount, which sees only the first render's state.
  const askingNow = useRef<string | null>(null);
  const stopAsking = (): void => {
    if (askingNow.current !== null) void request('work:stop', { stopId: askingNow.current });
  };
  // A tab closed while the switches are asked drops their answers: their connections go with them.
  useEffect(() => stopAsking, []);
  // A question brought from elsewhere is being traced as the tab opens.
  const [tracing, setTracing] = useState(opened.run);
  const [error, setError] = useState<string | null>(opened.kept?.error ?? null);
  useEffect(() => useTraceRequestStore.getState().keep({ question: form, answer, tracedOn, error }), [form, answer, tracedOn, error]);
  // As trace reads them: a name shared across namespaces needs its namespace.
  const names = useMemo(() => inventory?.workloads.map(qualifiedName) ?? [], [inventory]);
  // Counts questions, so an answer arriving after the question changed is dropped.
  const asked = useRef(0);
  // An answer belongs to the question above it: editing the question clears it.
  const setForm = (next: TraceQuestion): void => {
    asked.current++;
    // The switches asked about the question before have nobody to answer, and its Stop goes with its answer.
    stopAsking();
    setFormState(next);
    setAnswer(null);
    setSwitches(null);
    setTracing(false);
  };

  // The Trace button and a trace asked for from elsewhere (the matrix) both come here; `current`
  // numbers the question, and an answer to an older one is dropped.
  const answerTrace = async (question: TraceQuestion, current: number): Promise<void> => {
    const compiled = await compiledDrawing();
    if (current !== asked.current) return;
    // No tables to trace on: the note above the form and Problems say why.
    if (!compiled) {
      setTracing(false);
      return;
    }
    const reply = await traceConnection(compiled.input.inventory, compiled.outcome.compileId, question);
    if (current !== asked.current) return;
    setTracing(false);
    setAnswer(reply.ok ? reply.answer : null);
    setTracedOn(compiled.input);
    setError(reply.ok ? null : reply.error);
  };
  // Traced once, when the tab opens with a question: its asker (a click on "Trace …") expects the answer.
  useEffect(() => {
    if (opened.run) void answerTrace(opened.question, ++asked.current);
  }, [opened]);

  // Each hop's switch is asked about the packet as it reaches that hop: after a redirect, on
  // its way to the honeypot.
  const askSwitches = async (): Promise<void> => {
    if (!answer) return;
    const question = asked.current;
    // One id for every hop: Stop ends them all.
    const stopId = crypto.randomUUID();
    setAsking(stopId);
    askingNow.current = stopId;
    const replies = await Promise.all(
      answer.path.hops.map(async (hop, i): Promise<SwitchAnswer> => {
        const dst = i > 0 && answer.path.redirectedTo ? answer.path.redirectedTo : answer.packet.dst;
        // A later packet carries its connection's mark, which decides where a redirected one goes;
        // only the first hop's switch sees the sender's port.
        const { inPort, ...sent } = answer.packet;
        const packet = { ...sent, dst, ...(hop.ctMark ? { ctMark: hop.ctMark } : {}), ...(i === 0 && inPort ? { inPort } : {}) };
        // Said on the host's line; a notice on top would say it twice.
        const reply = await request('trace:switch', { host: hop.host, packet, state: answer.state, stopId }, { handles: () => true });
        if (!reply.ok) return { host: hop.host, simulated: hop.verdict, switchSays: 'nothing', agrees: false, error: reply.error.message };
        return { host: hop.host, simulated: hop.verdict, switchSays: reply.value.verdict, agrees: traceAgrees(hop, reply.value, answer.state) };
      }),
    );
    setAsking(null);
    if (askingNow.current === stopId) askingNow.current = null;
    // An answer to a question since changed is dropped, as the trace's own is.
    if (asked.current === question) setSwitches(replies);
  };

  if (!outcome || !inventory) return <NotCompiledNote why="traces run on the compiled tables." />;
  // Errors of a compile the drawing has moved on from may be gone: Trace compiles it again.
  const hasErrors = compileIsCurrent && outcome.diagnostics.some((d) => d.severity === 'error');

  const run = (event: FormEvent): void => {
    event.preventDefault();
    setTracing(true);
    void answerTrace(form, ++asked.current);
  };

  return (
    <div className="trace-panel">
      <form className="trace-form" onSubmit={run} noValidate>
        <NameSuggestions id={`${id}-from-names`} names={names} typed={form.from} />
        <NameSuggestions id={`${id}-to-names`} names={names} typed={form.to} />
        <NameSuggestions id={`${id}-sender-names`} names={names} typed={form.sender} />
        <Field id={`${id}-from`} label="From">
          <input id={`${id}-from`} data-testid="trace-from" list={`${id}-from-names`} value={form.from} placeholder="workload or address" onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </Field>
        <Field id={`${id}-to`} label="To">
          <input id={`${id}-to`} data-testid="trace-to" list={`${id}-to-names`} value={form.to} placeholder="workload or address" onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </Field>
        <Field id={`${id}-sender`} label="Sent by">
          <input
            id={`${id}-sender`}
            data-testid="trace-sender"
            list={`${id}-sender-names`}
            value={form.sender}
            placeholder="(From itself)"
            title="Another workload that sends From's address from its own switch port: what would a forged source meet?"
            onChange={(e) => setForm({ ...form, sender: e.target.value })}
          />
        </Field>
        <Field id={`${id}-proto`} label="Protocol">
          <select id={`${id}-proto`} data-testid="trace-proto" value={form.protocol} onChange={(e) => setForm({ ...form, protocol: e.target.value as TraceProtocol })}>
            <option value="tcp">tcp</option>
            <option value="udp">udp</option>
            <option value="sctp">sctp</option>
            <option value="icmp">icmp</option>
          </select>
        </Field>
        {form.protocol === 'icmp' ? (
          <>
            <Field id={`${id}-icmp-type`} label="ICMP type">
              <input
                id={`${id}-icmp-type`}
                data-testid="trace-icmp-type"
                className="mono"
                value={form.icmpType}
                placeholder="echo request"
                title="0 to 255, read in the destination's family; empty: an echo request (8, or 128 towards IPv6)"
                onChange={(e) => setForm({ ...form, icmpType: e.target.value })}
              />
            </Field>
            <Field id={`${id}-icmp-code`} label="ICMP code">
              <input id={`${id}-icmp-code`} data-testid="trace-icmp-code" className="mono" value={form.icmpCode} placeholder="0" title="0 to 255; empty: 0" onChange={(e) => setForm({ ...form, icmpCode: e.target.value })} />
            </Field>
          </>
        ) : (
          <Field id={`${id}-port`} label="Port">
            <input id={`${id}-port`} data-testid="trace-port" className="mono" value={form.port} onChange={(e) => setForm({ ...form, port: e.target.value })} />
          </Field>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={form.established} onChange={(e) => setForm({ ...form, established: e.target.checked })} />
          a later packet (established)
        </label>
        <button type="submit" className="primary" data-testid="trace-run" disabled={tracing || hasErrors}>
          {tracing ? 'Tracing…' : 'Trace'}
        </button>
      </form>
      {hasErrors ? (
        <p className="form-warning" data-testid="trace-compile-errors">
          The compile has errors and made no tables to trace on; fix them (see Problems) first.
        </p>
      ) : null}
      {error ? <p className="field-error" role="alert" data-testid="trace-error">{error}</p> : null}
      {answer ? (
        <div className="trace-result">
          <p>
            <span className={`badge ${VERDICT_BADGE[answer.path.verdict]}`} data-testid="trace-verdict" data-verdict={answer.path.verdict}>
              {answer.path.verdict === 'redirected' ? `redirected to ${honeypotLabel(tracedOn?.inventory ?? inventory, answer.path.redirectedTo)}` : answer.path.verdict}
            </span>{' '}
            {answer.heading} <span className="muted">({answer.path.reason})</span>
            {!answerCurrent ? <OutdatedBadge testId="trace-outdated" /> : null}
          </p>
          {answer.note ? <p className="muted" data-testid="trace-note">{answer.note}</p> : null}
          <ul className="trace-decisions">
            {answer.path.decisions.map((d) => (
              <li key={`${d.host}:${d.table}`} data-testid="trace-decision" data-host={d.host}>
                on <strong>{d.host}</strong>, table {d.table}: {d.rule && d.rule.ref.kind !== 'setting' ? (
                  <button type="button" className="link" data-testid="trace-decision-rule" onClick={() => select({ kind: d.rule!.ref.kind as 'group' | 'edge', id: d.rule!.ref.id })}>
                    {d.what}
                  </button>
                ) : (
                  d.what
                )}
              </li>
            ))}
          </ul>
          <p>
            <button type="button" data-testid="trace-switch" disabled={asking !== null} onClick={() => void askSwitches()}>
              {asking !== null ? 'Asking the switches…' : 'Ask the real switches (ofproto/trace over SSH)'}
            </button>
            {asking !== null ? (
              <>
                {' '}
                <button type="button" data-testid="trace-switch-stop" title="Drop the SSH connections at once: a silent switch would hold its answer for up to 10 seconds" onClick={stopAsking}>
                  Stop
                </button>
              </>
            ) : null}
          </p>
          {switches ? (
            <ul className="trace-switches">
              {switches.map((s) => (
                <li key={s.host} data-testid="trace-switch-result" data-host={s.host} data-agrees={s.error === undefined ? String(s.agrees) : 'unknown'}>
                  {s.error !== undefined ? (
                    <span className="form-error">
                      switch on <strong>{s.host}</strong> could not be asked: {s.error}
                    </span>
                  ) : (
                    <>
                      switch on <strong>{s.host}</strong> says <strong>{s.switchSays}</strong>
                    </>
                  )}
                  {s.error !== undefined ? null : s.agrees && s.simulated !== s.switchSays ? (
                    <span className="muted"> (the simulation agrees: its trace cannot apply the connection's NAT, and sends the packet to the honeypot's MAC)</span>
                  ) : s.agrees ? (
                    <span className="muted"> (the simulation agrees)</span>
                  ) : (
                    <span className="badge badge-error"> DISAGREES: the simulation says {s.simulated}. The deployed table differs from this compile, or this is a bug.</span>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
          {answer.path.hops.map((hop) => (
            <pre key={hop.host} className="trace-text mono">{hop.trace}</pre>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** How many names a workload field suggests at a time: enough to pick from, few enough to draw at every keystroke. */
const SUGGESTED = 50;

/** The suggestions of one workload field, for what it holds now (see nameSuggestions). */
function NameSuggestions({ id, names, typed }: { id: string; names: readonly string[]; typed: string }): JSX.Element {
  return (
    <datalist id={id}>
      {nameSuggestions(names, typed, SUGGESTED).map((n) => (
        <option key={n} value={n} />
      ))}
    </datalist>
  );
}
