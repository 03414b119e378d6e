import { useMemo, useState, type JSX } from 'react';
import { deployPlan, hostLines } from '../../model/deploy-plan';
import { deployNote } from '../../model/deploy-note';
import { useCompileStore } from '../../stores/compile-store';
import { deployCounts, useDeployStore } from '../../stores/deploy-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { HostRow } from './HostRow';

/** Enforcement points: how to reach each over SSH, and deploying the last compile to them. */
export function HostsPanel(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const input = useCompileStore((s) => s.input);
  const targets = useDeployStore((s) => s.targets);
  const sharedSwitches = useDeployStore((s) => s.sharedSwitches);
  const running = useDeployStore((s) => s.running);
  const setConfirming = useDeployStore((s) => s.setConfirming);
  const deployHosts = useDeployStore((s) => s.deployHosts);
  const statuses = useDeployStore((s) => s.statuses);
  const progress = useMemo(() => (running ? deployCounts(deployHosts, statuses) : null), [running, deployHosts, statuses]);
  const cancelling = useDeployStore((s) => s.cancelling);
  const cancelNote = useDeployStore((s) => s.cancelNote);
  const canCancel = useDeployStore((s) => s.deployId !== null);
  const cancel = useDeployStore((s) => s.cancel);
  const open = useInventoryStore((s) => s.open);
  const reported = useMemo(() => open.flatMap((o) => o.hosts), [open]);
  // One configuration form at a time, so its fields are never ambiguous.
  const [configuring, setConfiguring] = useState<string | null>(null);

  const lines = useMemo(() => hostLines(outcome, targets, reported), [outcome, targets, reported]);
  const plan = deployPlan(lines, sharedSwitches);
  const why = running ? runningNote(progress, cancelling, cancelNote) : deployNote(outcome, input, plan.deploy.length, plan.shared.length > 0);

  return (
    <section className="panel hosts-panel">
      <header className="panel-header">
        <h2>Hosts &amp; deploy</h2>
        <button
          type="button"
          className="primary"
          data-testid="deploy-button"
          disabled={!outcome || plan.deploy.length === 0 || running}
          title={why}
          onClick={() => setConfirming(true)}
        >
          {running ? 'Deploying…' : 'Deploy…'}
        </button>
      </header>
      <div className="panel-body">
        {!outcome || plan.deploy.length === 0 || running ? <p className="muted deploy-why" data-testid="deploy-why">{why}.</p> : null}
        {running ? (
          <div className="button-row deploy-cancel-row">
            <button
              type="button"
              data-testid="deploy-cancel"
              disabled={cancelling || !canCancel}
              title="Hosts still queued, connecting or reading their switch stop and keep their flows. A host already applying its bundle is not interrupted (the switch applies a bundle whole or not at all): it finishes and reports its result."
              onClick={() => void cancel()}
            >
              {cancelling ? 'Cancelling…' : 'Cancel: stop hosts not yet applying'}
            </button>
          </div>
        ) : null}
        {lines.length === 0 ? (
          <p className="muted empty-note">Hosts appear here after a compile (one per Open vSwitch host with workloads), and Kubernetes nodes as soon as their context is open.</p>
        ) : (
          <ul className="host-list">
            {lines.map((line) => (
              <HostRow
                key={line.host}
                line={line}
                configuring={configuring === line.host}
                onConfigure={(open) => setConfiguring(open ? line.host : null)}
              />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** What the running deploy has got to, and what a cancel is waiting for. */
function runningNote(progress: ReturnType<typeof deployCounts> | null, cancelling: boolean, cancelNote: string | null): string {
  const counts = progress ? `: ${progress.ended} ended, ${progress.inFlight} in flight, ${progress.queued} queued` : '';
  if (!cancelling) return `A deploy is running${counts}`;
  return cancelNote ?? `The deploy is being cancelled${counts}: hosts not yet applying stop and keep their flows; hosts applying their table finish first`;
}
