import type { Diagnostic } from '@shared/diagnostics';
import type { JSX } from 'react';
import { worstSeverity } from '../../model/format';

interface DiagnosticBadgeProps {
  diagnostics: readonly Diagnostic[];
}

/** A count in the colour of the worst problem; hovering lists the messages. */
export function DiagnosticBadge({ diagnostics }: DiagnosticBadgeProps): JSX.Element | null {
  const severity = worstSeverity(diagnostics);
  if (severity === null) return null;
  return (
    <span
      className={`badge badge-${severity}`}
      data-testid="diagnostic-badge"
      data-severity={severity}
      title={diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n')}
    >
      {severity === 'error' ? '✕' : '!'} {diagnostics.length}
    </span>
  );
}
