import type { ApiEvents } from '@shared/api/contract';
import { useState, type JSX } from 'react';
import { useAnalysisStore } from '../../stores/analysis-store';

/**
 * A bar for the running matrix, impact or replay; before the first report (short runs send
 * none), a note. A Stop beside it ends the run.
 */
export function AnalysisProgress({ task, note }: { task: ApiEvents['analysis:progress']['task']; note: string }): JSX.Element {
  const progress = useAnalysisStore((s) => s.progress[task]);
  const stop = useAnalysisStore((s) => s.stop);
  // The run ends at its next slice, which may be a moment away: say the stop was heard.
  const [stopping, setStopping] = useState(false);
  return (
    <>
      {progress ? (
        <span className="analysis-progress muted" data-testid={`${task}-progress`}>
          <progress value={progress.done} max={progress.total} /> {progress.done.toLocaleString()} of {progress.total.toLocaleString()} {progress.unit}
        </span>
      ) : (
        <span className="muted">{note}</span>
      )}
      <button
        type="button"
        data-testid={`${task}-stop`}
        disabled={stopping}
        onClick={() => {
          setStopping(true);
          stop(task);
        }}
      >
        {stopping ? 'Stopping…' : 'Stop'}
      </button>
    </>
  );
}
