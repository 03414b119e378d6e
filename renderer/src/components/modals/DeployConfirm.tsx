import { useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { ImpactOutcome } from '@shared/api/contract';
import { deployPlan, describeTarget, hostLines, sharedSwitchNote } from '../../model/deploy-plan';
import { useCompileStore } from '../../stores/compile-store';
import { useDeployStore } from '../../stores/deploy-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { usePolicyStore } from '../../stores/policy-store';
import { isCompileCurrent } from '../../model/same-input';
import { request } from '../../api/request';
import { wasStopped } from '../../api/stop-ids';
import { ImpactList } from '../analysis/ImpactList';
import { PortGuardLossList } from '../analysis/PortGuardLossList';
import { UnreadHostsList } from '../analysis/UnreadHostsList';
import { Modal } from './Modal';

/** Says exactly which hosts get how many flows before anything touches a switch. */
export function DeployConfirm(): JSX.Element | null {
  const confirming = useDeployStore((s) => s.confirming);
  const setConfirming = useDeployStore((s) => s.setConfirming);
  const start = useDeployStore((s) => s.start);
  const targets = useDeployStore((s) => s.targets);
  const sharedSwitches = useDeployStore((s) => s.sharedSwitches);
  const loadTargets = useDeployStore((s) => s.loadTargets);
  const outcome = useCompileStore((s) => s.outcome);
  const input = useCompileStore((s) => s.input);
  const policy = usePolicyStore((s) => s.policy);
  const inventory = useInventoryStore((s) => s.inventory);
  const dirty = usePolicyStore((s) => s.dirty);
  const plan = useMemo(() => deployPlan(hostLines(outcome, targets), sharedSwitches), [outcome, targets, sharedSwitches]);
  // Read again on opening: hosts.json may have been edited by hand since, and the question must not offer what the service refuses.
  useEffect(() => {
    if (confirming) void loadTargets();
  }, [confirming, loadTargets]);
  // What this deploy changes, against what the hosts run now; kept with the question it
  // answers, so a stale answer is never shown (undefined while it is worked out).
  const [answer, setAnswer] = useState<{ input: unknown; hosts: string; result: ImpactOutcome | null } | null>(null);
  const deployHosts = plan.deploy.map((l) => l.host).join(',');
  const impact = answer && answer.input === input && answer.hosts === deployHosts ? answer.result : undefined;
  // Agreeing to remove guards holds for the losses it was given for, never for a later answer's.
  const [guardsAccepted, setGuardsAccepted] = useState<ImpactOutcome | null>(null);
  const guardLoss = impact?.portGuardsLost ?? [];
  const removePortGuards = impact && guardsAccepted === impact ? guardLoss : [];
  const guardLossOpen = guardLoss.length > 0 && removePortGuards.length === 0;
  // The comparison under way, to stop when the user goes on without its answer: its own id ends all
  // of it, the read's id only the read of the hosts' flows (to show what was read).
  const comparing = useRef<{ stopId: string; readStopId: string } | null>(null);
  const stopReading = (): void => {
    if (comparing.current) void request('work:stop', { stopId: comparing.current.readStopId });
  };
  const stopComparing = (): void => {
    if (comparing.current === null) return;
    void request('work:stop', { stopId: comparing.current.stopId });
    comparing.current = null;
  };
  useEffect(() => {
    if (!confirming || !input) return;
    let live = true;
    const ids = { stopId: crypto.randomUUID(), readStopId: crypto.randomUUID() };
    comparing.current = ids;
    const hosts = deployHosts === '' ? [] : deployHosts.split(',');
    // Asked directly, not through the analysis store: this answer belongs to the dialog and
    // should not stay drawn on the canvas once the deploy has changed what the hosts run. Its own
    // stopId also keeps its progress reports out of the Impact tab's bar.
    void request('analysis:impact', { ...input, against: { kind: 'deployed', hosts, stopId: ids.readStopId }, stopId: ids.stopId }, { handles: wasStopped }).then((response) => {
      if (comparing.current === ids) comparing.current = null;
      if (live) setAnswer({ input, hosts: deployHosts, result: response.ok ? response.value : null });
    });
    return () => {
      live = false;
      // Closed, deployed or asked anew: nobody waits for this answer, so the comparison ends, and with
      // it the read (a silent host must not keep its SSH sessions).
      if (comparing.current === ids) stopComparing();
      // Its answer goes with it: opened again, the dialog reads the hosts again and says so, rather
      // than showing this read's answer (a stopped one, or one from before a deploy) meanwhile.
      setAnswer(null);
    };
  }, [confirming, input, deployHosts]);

  if (!confirming || !input) return null;
  const total = plan.deploy.reduce((sum, l) => sum + (l.flowCount ?? 0), 0);
  const warnings = outcome?.diagnostics.filter((d) => d.severity === 'warning') ?? [];

  return (
    <Modal title="Deploy flow tables?" onClose={() => setConfirming(false)} testId="deploy-modal">
      <p>
        Replaces the Microseg flows on {plan.deploy.length} {plan.deploy.length === 1 ? 'host' : 'hosts'} ({total} flows in all).
        Each host's current flows are backed up first, so you can roll back. Hosts are worked on a few at a time; while the
        deploy runs, Cancel in the Hosts panel stops those not yet applying.
      </p>
      <table className="plan">
        <tbody>
          {plan.deploy.map((l) => (
            <tr key={l.host} data-testid="deploy-plan-row" data-host={l.host}>
              <td className="host-name nowrap">{l.host}</td>
              <td className="nowrap">{l.flowCount} flows</td>
              <td className="muted mono">{l.target ? describeTarget(l.target) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="deploy-impact" data-testid="deploy-impact">
        <h4>What changes</h4>
        {impact === undefined ? (
          <p className="muted">
            Reading each host's flows and working out what this deploy newly permits and blocks… A host that does not answer holds
            this up to 10 seconds.{' '}
            <button type="button" className="link" data-testid="deploy-impact-stop" onClick={stopReading}>
              Stop reading and show what was read
            </button>
          </p>
        ) : impact === null ? (
          <p className="form-warning">The change could not be worked out (see the notice). The deploy itself does not depend on it, but a host whose spoof guard it would remove keeps its flows and says why.</p>
        ) : (
          <>
            <PortGuardLossList losses={guardLoss} />
            {guardLoss.length > 0 ? (
              <label className="checkbox">
                <input type="checkbox" data-testid="guard-loss-accept" checked={removePortGuards.length > 0} onChange={(e) => setGuardsAccepted(e.target.checked ? impact : null)} />
                Remove {guardLoss.length === 1 && guardLoss[0]!.ports.length === 1 ? 'this spoof guard' : 'these spoof guards'}
              </label>
            ) : null}
            <UnreadHostsList unread={impact.unread} />
            <ImpactList impact={impact.impact} limit={20} hosts={{ asked: plan.deploy.length, unread: impact.unread.length }} />
          </>
        )}
      </div>
      {plan.shared.length > 0 ? (
        <div className="form-warning" data-testid="deploy-shared-switch">
          <p>Left out, as the service refuses to deploy where two hosts' targets reach one switch:</p>
          <ul>
            {plan.shared.map(({ line, sharer }) => (
              <li key={line.host} data-host={line.host}>
                {sharedSwitchNote(line.host, sharer)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.skipped.length > 0 ? (
        <p className="form-warning">Skipped, no SSH target: {plan.skipped.map((l) => l.host).join(', ')}</p>
      ) : null}
      {warnings.length > 0 ? (
        <div className="form-warning" data-testid="deploy-warnings">
          <p>The compile warned about {warnings.length === 1 ? 'one thing' : `${warnings.length} things`}; deploying enforces them as they are:</p>
          <ul>
            {warnings.slice(0, 5).map((d, i) => (
              <li key={i}>{d.message}</li>
            ))}
            {warnings.length > 5 ? <li>… and {warnings.length - 5} more (see Problems)</li> : null}
          </ul>
        </div>
      ) : null}
      {dirty ? <p className="form-warning">The policy has unsaved changes: save it, so the file matches what the switches enforce.</p> : null}
      {/* A workload added to the inventory since is in none of the compiled tables, as an edge drawn since is not. */}
      {!isCompileCurrent(input, policy, inventory) ? (
        <p className="form-warning" data-testid="deploy-outdated">
          The drawing or the inventory changed after this compile. The compiled version is deployed, as previewed.
        </p>
      ) : null}
      <div className="button-row end">
        <button type="button" data-testid="deploy-dismiss" onClick={() => setConfirming(false)} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          data-testid="deploy-confirm"
          disabled={guardLossOpen || plan.deploy.length === 0}
          title={
            plan.deploy.length === 0
              ? 'No host left to deploy to: give each host whose target shares a switch a switch of its own (see above)'
              : guardLossOpen
                ? 'This deploy removes spoof guards: tick "Remove" above to deploy anyway'
                : undefined
          }
          onClick={() => {
            // Before the deploy asks for sessions, so that its hosts do not queue behind the read.
            stopComparing();
            void start(input.policy, input.inventory, plan.deploy.map((l) => l.host), removePortGuards);
          }}
        >
          Deploy to {plan.deploy.length} {plan.deploy.length === 1 ? 'host' : 'hosts'}
        </button>
      </div>
    </Modal>
  );
}
