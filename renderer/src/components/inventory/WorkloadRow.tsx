import type { Workload } from '@shared/inventory/model';
import type { JSX } from 'react';

interface WorkloadRowProps {
  workload: Workload;
  ungrouped: boolean;
}

/** One workload in three short lines: name and host; image, addresses and compose service; labels. */
export function WorkloadRow({ workload: w, ungrouped }: WorkloadRowProps): JSX.Element {
  const labels = Object.entries(w.labels).sort(([a], [b]) => a.localeCompare(b));
  return (
    <li
      className={`workload-row${ungrouped ? ' ungrouped' : ''}`}
      data-testid="workload-row"
      data-name={w.name}
      data-ungrouped={String(ungrouped)}
    >
      <div className="workload-title">
        <span className={`state-dot state-${w.state ?? 'unknown'}`} title={w.state ?? 'state unknown'} />
        <span className="workload-name" title={w.id}>{w.name}</span>
        {ungrouped ? (
          <span className="badge badge-warning" title="No group selects this workload: every new connection to or from it will be dropped">
            in no group
          </span>
        ) : null}
        <span className="workload-host" title="Open vSwitch host">{w.host}</span>
      </div>
      <div className="workload-facts">
        <span className="mono" title="image">{w.image ?? 'no image'}</span>
        <span className="mono" title="IP addresses">{w.addresses.join(', ') || 'no address'}</span>
        {w.composeService ? <span title="compose service">service {w.composeService}</span> : null}
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
    </li>
  );
}
