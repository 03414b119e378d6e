import type { PortGuardLoss } from '@shared/compiler/port-guard-loss';
import type { JSX } from 'react';

/**
 * The spoof guards the drawing's tables would take away from the hosts that have them, per host.
 * Said apart from the impact list: that compares packets sent from their own addresses, which a
 * guard never changes, so a lost guard never shows there.
 */
export function PortGuardLossList({ losses }: { losses: readonly PortGuardLoss[] }): JSX.Element | null {
  if (losses.length === 0) return null;
  const count = losses.reduce((sum, l) => sum + l.ports.length, 0);
  return (
    <div className="form-error" role="alert" data-testid="guard-loss">
      <strong>
        Removes the spoof guard of {count} switch {count === 1 ? 'port' : 'ports'}
      </strong>
      <ul>
        {losses.map((l) => (
          <li key={l.host} data-testid="guard-loss-host" data-host={l.host}>
            {l.host}: <span className="mono">{l.ports.join(', ')}</span>
          </li>
        ))}
      </ul>
      <p>
        The switch binds {count === 1 ? 'this port' : 'these ports'} to {count === 1 ? 'its workload\'s addresses' : 'their workloads\' addresses'} now; this
        drawing's inventory names no workload behind {count === 1 ? 'it' : 'them'}, so afterwards {count === 1 ? 'it' : 'they'} may send from any address.
        Unless those workloads really left, give the inventory their ports (for Docker containers, <em>Read switch ports</em> under Hosts) and compile
        again.
      </p>
    </div>
  );
}
