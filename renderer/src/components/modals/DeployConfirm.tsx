import { useMemo, type JSX } from 'react';
import { deployPlan, describeTarget, hostLines } from '../../model/deploy-plan';
import { useCompileStore } from '../../stores/compile-store';
import { useDeployStore } from '../../stores/deploy-store';
import { usePolicyStore } from '../../stores/policy-store';
import { samePolicyContent } from '../../model/same-input';
import { Modal } from './Modal';

/** Says exactly which hosts get how many flows before anything touches a switch. */
export function DeployConfirm(): JSX.Element | null {
  const confirming = useDeployStore((s) => s.confirming);
  const setConfirming = useDeployStore((s) => s.setConfirming);
  const start = useDeployStore((s) => s.start);
  const targets = useDeployStore((s) => s.targets);
  const outcome = useCompileStore((s) => s.outcome);
  const input = useCompileStore((s) => s.input);
  const policy = usePolicyStore((s) => s.policy);
  const dirty = usePolicyStore((s) => s.dirty);
  const plan = useMemo(() => deployPlan(hostLines(outcome, targets)), [outcome, targets]);

  if (!confirming || !input) return null;
  const total = plan.deploy.reduce((sum, l) => sum + (l.flowCount ?? 0), 0);
  const warnings = outcome?.diagnostics.filter((d) => d.severity === 'warning') ?? [];

  return (
    <Modal title="Deploy flow tables?" onClose={() => setConfirming(false)} testId="deploy-modal">
      <p>
        Replaces the Microseg flows on {plan.deploy.length} {plan.deploy.length === 1 ? 'host' : 'hosts'} ({total} flows in all).
        Each host's current flows are backed up first, so you can roll back.
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
      {!samePolicyContent(input.policy, policy) ? (
        <p className="form-warning">The drawing changed after this compile. The compiled version is deployed, as previewed.</p>
      ) : null}
      <div className="button-row end">
        <button type="button" onClick={() => setConfirming(false)} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          data-testid="deploy-confirm"
          onClick={() => void start(input.policy, input.inventory, plan.deploy.map((l) => l.host))}
        >
          Deploy to {plan.deploy.length} {plan.deploy.length === 1 ? 'host' : 'hosts'}
        </button>
      </div>
    </Modal>
  );
}
