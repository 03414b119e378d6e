import type { JSX } from 'react';
import type { AnalysisTask } from '../../stores/analysis-store';

/**
 * Where a matrix, impact or replay the user stopped would be: that it was stopped, that nothing
 * of it is shown (a half-done analysis would read as the answer), and the same run a click away.
 */
export function StoppedNote({
  task,
  run,
  again,
  disabled,
  onAgain,
}: {
  task: AnalysisTask;
  /** The run, as the sentence's subject: "Comparing with policy.yaml". */
  run: string;
  /** The button's label: "Compare again". */
  again: string;
  disabled: boolean;
  onAgain: () => void;
}): JSX.Element {
  return (
    <p className="muted" data-testid={`${task}-stopped`}>
      {run} was stopped before it was complete; nothing of it is shown.{' '}
      <button type="button" className="link" data-testid={`${task}-again`} disabled={disabled} onClick={onAgain}>
        {again}
      </button>
    </p>
  );
}
