import type { JSX } from 'react';

/** Beside a what-if answer the drawing or the inventory has moved on from since it was worked out. */
export function OutdatedBadge({ testId }: { testId?: string }): JSX.Element {
  return (
    <span className="badge badge-warning" data-testid={testId}>
      {' '}
      outdated: the drawing or inventory changed since
    </span>
  );
}
