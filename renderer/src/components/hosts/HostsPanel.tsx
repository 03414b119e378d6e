import { useMemo, useState, type JSX } from 'react';
import { deployPlan, hostLines } from '../../model/deploy-plan';
import { useCompileStore } from '../../stores/compile-store';
import { useDeployStore } from '../../stores/deploy-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { HostRow } from './HostRow';

/** Enforcement points: how to reach each over SSH, and deploying the last compile to them. */
export function HostsPanel(): JSX.Element {
  const outcome = useCompileStore((s) => s.outcome);
  const targets = useDeployStore((s) => s.targets);
  const running = useDeployStore((s) => s.running);
  const setConfirming = useDeployStore((s) => s.setConfirming);
  const open = useInventoryStore((s) => s.open);
  const reported = useMemo(() => open.flatMap((o) => o.hosts), [open]);
  // One configuration form at a time, so its fields are never ambiguous.
  const [configuring, setConfiguring] = useState<string | null>(null);

  const lines = useMemo(() => hostLines(outcome, targets, reported), [outcome, targets, reported]);
  const plan = deployPlan(lines);
  const why = !outcome
    ? 'Compile first: a deploy sends the tables you previewed'
    : plan.deploy.length === 0
      ? 'Configure an SSH target for at least one compiled host'
      : running
        ? 'A deploy is running'
        : `Deploy to ${plan.deploy.length} configured host(s)`;

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
