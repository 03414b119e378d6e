import type { JSX } from 'react';
import { describeTarget, rollbackOff, sharedSwitchNote, type HostLine } from '../../model/deploy-plan';
import { rollbackStoppable, useDeployStore } from '../../stores/deploy-store';
import { useInventoryStore, type PortRead } from '../../stores/inventory-store';
import { HostTargetForm } from './HostTargetForm';

interface HostRowProps {
  line: HostLine;
  configuring: boolean;
  onConfigure: (open: boolean) => void;
}

const FINAL = new Set(['applied', 'done', 'rolled-back']);

export function HostRow({ line, configuring, onConfigure }: HostRowProps): JSX.Element {
  const status = useDeployStore((s) => s.statuses[line.host]);
  const rollingBack = useDeployStore((s) => s.rollbacks[line.host] !== undefined);
  const rollbackRuns = useDeployStore((s) => rollbackStoppable(s, line.host));
  const running = useDeployStore((s) => s.running);
  const rollback = useDeployStore((s) => s.rollback);
  const stopRollback = useDeployStore((s) => s.stopRollback);
  const hasBackup = useDeployStore((s) => s.backups.includes(line.host));
  const elsewhere = useDeployStore((s) => s.backupsElsewhere.find((b) => b.host === line.host));
  const sharer = useDeployStore((s) => s.sharedSwitches.find((sw) => sw.host === line.host)?.sharer);
  const ports = useInventoryStore((s) => s.containerPorts.get(line.host));
  const readContainerPorts = useInventoryStore((s) => s.readContainerPorts);
  const stopPortRead = useInventoryStore((s) => s.stopPortRead);
  const portRead = useInventoryStore((s) => s.portReads[line.host]);
  const remembered = useInventoryStore((s) => s.portHosts.includes(line.host));
  const forgetPortHost = useInventoryStore((s) => s.forgetPortHost);
  // Said as text beside the button, not only as a tooltip: a disabled button shows no tooltip on touch.
  const noRollback = rollbackOff(line, hasBackup, elsewhere, sharer);

  const tone = !status ? '' : status.status === 'failed' ? 'error' : status.status === 'cancelled' ? 'cancelled' : FINAL.has(status.status) ? 'ok' : 'busy';

  return (
    <li className="host-row" data-testid="host-row" data-host={line.host}>
      <div className="host-title">
        <span className="host-name">{line.host}</span>
        <span className="muted">{line.flowCount === null ? 'not in last compile' : `${line.flowCount} flows`}</span>
      </div>
      <p className={line.target ? 'host-target mono' : 'host-target muted'}>
        {line.target ? describeTarget(line.target) : line.suggestedAddress ? `No SSH target yet; node address ${line.suggestedAddress}` : 'No SSH target yet'}
      </p>
      {status ? (
        <p className={`deploy-status tone-${tone}`} data-testid="deploy-host-status" data-host={line.host} data-status={status.status} data-waiting={status.waiting?.bound}>
          <span className="step">{status.status}</span> {status.message}
        </p>
      ) : null}
      <div className="button-row">
        <button type="button" data-testid="host-configure" onClick={() => onConfigure(!configuring)} aria-expanded={configuring}>
          {line.target ? 'Edit target' : 'Configure'}
        </button>
        <button
          type="button"
          data-testid="rollback-button"
          data-host={line.host}
          disabled={!line.target || noRollback !== null || rollingBack || running}
          title={noRollback ?? 'Put back the flows this host had before our last deploy to it'}
          onClick={() => void rollback(line.host)}
        >
          {rollingBack ? 'Rolling back…' : 'Rollback'}
        </button>
        {rollbackRuns ? (
          <button
            type="button"
            data-testid="rollback-stop"
            data-host={line.host}
            title="Drop the SSH connection to this host at once. A rollback whose flows are not sent yet ends, and the switch keeps its flows; one already sent finishes and says how it went."
            onClick={() => stopRollback(line.host)}
          >
            Stop
          </button>
        ) : null}
        <button
          type="button"
          data-testid="host-read-ports"
          data-host={line.host}
          disabled={!line.target || portRead?.status === 'reading'}
          title="Read which bridge ports lead to which Docker containers (as ovs-docker records them), so each container's port is bound to its addresses"
          onClick={() => void readContainerPorts(line.host)}
        >
          {portRead?.status === 'reading' ? 'Reading switch ports…' : 'Read switch ports'}
        </button>
        {portRead?.status === 'reading' ? (
          <button type="button" data-testid="host-read-ports-stop" data-host={line.host} title="Drop the SSH connection to this host at once: a silent switch would hold the read for up to 10 seconds" onClick={() => stopPortRead(line.host)}>
            Stop
          </button>
        ) : null}
        {remembered || ports ? (
          <button
            type="button"
            data-testid="host-forget-ports"
            data-host={line.host}
            title="Forget this host: its Docker containers' switch ports are no longer read, now or after a reload, so the next compile gives them no spoof guard (a deploy that would remove a deployed guard asks first)"
            onClick={() => forgetPortHost(line.host)}
          >
            Stop reading ports
          </button>
        ) : null}
      </div>
      {ports ? (
        <p className="muted host-note" data-testid="host-ports-note" data-host={line.host} title={ports.skipped.join('\n')}>
          {ports.ports.length === 0 ? 'No bridge port names a container (ovs-docker external_ids:container_id).' : `${ports.ports.length} switch port${ports.ports.length === 1 ? '' : 's'} bound to Docker containers: ${ports.ports.map((p) => `${p.container} on ${p.port}`).join(', ')}.`}
          {ports.skipped.length > 0 ? ` ${ports.skipped.length} left out: ${ports.skipped.join('; ')}.` : ''}
        </p>
      ) : null}
      {portRead ? <PortReadNote read={portRead} host={line.host} /> : null}
      {noRollback ? <p className="muted host-note" data-testid="rollback-why" data-host={line.host}>{noRollback}</p> : null}
      {sharer !== undefined ? <p className="host-note form-warning" data-testid="host-shared-switch" data-host={line.host}>{sharedSwitchNote(line.host, sharer)}</p> : null}
      {configuring ? <HostTargetForm host={line.host} target={line.target} suggestedAddress={line.suggestedAddress} onDone={() => onConfigure(false)} /> : null}
    </li>
  );
}

/** How the last read of a host's switch ports went, when it is not the plain answer to the button. */
function PortReadNote({ read, host }: { read: PortRead; host: string }): JSX.Element | null {
  const at = read.at ? new Date(read.at).toLocaleTimeString() : '';
  const text =
    read.status === 'reading' ? (read.automatic ? 'Reading the switch ports again, since the Docker inventory was read again…' : null)
    : read.status === 'stopped' ? `${read.message ?? 'The read of the switch ports was stopped.'}${read.automatic ? ' Its Docker containers have no switch port now, so the compile gives them no spoof guard; Read switch ports to read them again.' : ''}`
    : read.status === 'failed' ? (read.automatic ? `Could not read the switch ports again with the Docker inventory (${at}): ${read.message ?? 'no reason given'} Its Docker containers have no switch port now, so the compile gives them no spoof guard; Read switch ports to try again, or Stop reading ports if the host is gone.` : null)
    : read.automatic ? `Read again at ${at}, with the Docker inventory.`
    : null;
  if (text === null) return null;
  return (
    <p className={read.status === 'failed' ? 'host-note form-error' : 'muted host-note'} role={read.status === 'failed' ? 'alert' : undefined} data-testid="host-ports-read" data-host={host} data-status={read.status}>
      {text}
    </p>
  );
}
