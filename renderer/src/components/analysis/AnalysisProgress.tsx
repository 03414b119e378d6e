import type { ApiEvents } from '@shared/api/contract';
import type { JSX } from 'react';
import { useAnalysisStore } from '../../stores/analysis-store';

/**
 * A bar for the running matrix, impact or replay; before the first report (short runs send
 * none), a note. A matrix or replay has a Stop beside it.
 */
export function AnalysisProgress({ task, note }: { task: ApiEvents['analysis:progress']['task']; note: string }): JSX.Element {
  const progress = useAnalysisStore((s) => s.progress[task]);
  const stop = useAnalysisStore((s) => s.stop);
  const stoppable = task !== 'impact';
  return (
    <>
      {progress ? (
        <span className="analysis-progress muted" data-testid={`${task}-progress`}>
          <progress value={progress.done} max={progress.total} /> {progress.done.toLocaleString()} of {progress.total.toLocaleString()} {progress.unit}
        </span>
      ) : (
        <span className="muted">{note}</span>
      )}
      {stoppable ? (
        <button type="button" data-testid={`${task}-stop`} onClick={() => stop(task)}>
          Stop
        </button>
      ) : null}
    </>
  );
}
