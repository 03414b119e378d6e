import type { UnreadHost } from '@shared/api/contract';
import type { JSX } from 'react';

/**
 * The hosts whose deployed flows could not be read, with the server asked and why. Said apart
 * from the impact list: those hosts keep their tables in the comparison, so it shows no change
 * on them, whatever the drawing changes there.
 */
export function UnreadHostsList({ unread }: { unread: readonly UnreadHost[] }): JSX.Element | null {
  if (unread.length === 0) return null;
  return (
    <div className="form-warning" data-testid="unread-hosts">
      <p>{unread.length === 1 ? 'One host' : `${unread.length} hosts`} could not be read, so what the drawing changes there is not shown below:</p>
      <ul>
        {unread.map((u) => (
          <li key={u.host} data-testid="unread-host" data-host={u.host}>
            <strong>{u.host}</strong> ({u.server}): {u.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
