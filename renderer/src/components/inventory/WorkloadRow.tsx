import type { Workload } from '@shared/inventory/model';
import type { JSX } from 'react';

interface WorkloadRowProps {
  workload: Workload;
  /** Picked elsewhere (a problem about it in the Problems list): marked until another is. */
  revealed: boolean;
  ungrouped: boolean;
  /** What happens to its connections should it be in no group (ungroupedOutcome), as the rest of a sentence. */
  ungroupedOutcome: string;
}

/** One workload in short lines: name and host; image, addresses, ports; where it came from; labels. */
export function WorkloadRow({ workload: w, revealed, ungrouped, ungroupedOutcome }: WorkloadRowProps): JSX.Element {
  const labels = Object.entries(w.labels).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div
      className={`workload-row${ungrouped ? ' ungrouped' : ''}${revealed ? ' revealed' : ''}`}
      data-testid="workload-row"
      data-name={w.name}
      data-revealed={String(revealed)}
      data-ungrouped={String(ungrouped)}
      data-origin={`${w.origin.kind}:${w.origin.source}`}
    >
      <div className="workload-title">
        <span className={`state-dot state-${w.state ?? 'unknown'}`} title={w.state ?? 'state unknown'} />
        <span className="workload-name" title={w.id}>{w.name}</span>
        {ungrouped ? (
          <span className="badge badge-warning" title={`No group selects this workload: ${ungroupedOutcome}`}>
            in no group
          </span>
        ) : null}
        <span className="workload-host" title="Open vSwitch host">{w.host}</span>
      </div>
      <div className="workload-facts">
        <span className="mono" title="image">{w.image ?? 'no image'}</span>
        <span className="mono" title="IP addresses">{w.addresses.join(', ') || 'no address'}</span>
        {w.composeService ? <span title="compose service">service {w.composeService}</span> : null}
        {w.switchPort ? (
          <span className="mono" title="switch port: its host drops what comes in there from any other source address">
            port {w.switchPort}
          </span>
        ) : null}
        {w.ports && w.ports.length > 0 ? (
          <span className="mono" title="declared container ports">{w.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.protocol}/${p.port}`).join(', ')}</span>
        ) : null}
      </div>
      <div className="workload-origin" data-testid="workload-origin">
        {originText(w)}
        {w.namespace ? ` · namespace ${w.namespace}` : ''}
        {w.owner ? ` · ${w.owner.kind} ${w.owner.name}` : ''}
      </div>
      {labels.length > 0 ? (
        <div className="labels">
          {labels.map(([k, v]) => (
            <span key={k} className="label-chip mono">
              {k}={v}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** `Kubernetes double`, `Docker default`, `file inventory.yaml`. */
function originText(w: Workload): string {
  const { kind, source } = w.origin;
  if (kind === 'static') return `from file ${source.split(/[\\/]/).pop() ?? source}`;
  return `from ${kind === 'kubernetes' ? 'Kubernetes' : 'Docker'} ${source}`;
}
