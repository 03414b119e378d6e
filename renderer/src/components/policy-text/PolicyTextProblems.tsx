import type { Diagnostic } from '@shared/diagnostics';
import type { JSX } from 'react';

interface PolicyTextProblemsProps {
  diagnostics: readonly Diagnostic[];
  /** Shows a problem's place in the editor. */
  onPick: (line: number, column: number) => void;
}

/** The YAML view's problems in line order, each a button that takes the cursor to its place. */
export function PolicyTextProblems({ diagnostics, onPick }: PolicyTextProblemsProps): JSX.Element | null {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="policy-text-problems" aria-label="Problems in the YAML" data-testid="policy-text-problems">
      {diagnostics.map((d, i) => {
        const line = d.location?.line ?? 1;
        const column = d.location?.column ?? 1;
        return (
          <li key={i}>
            <button type="button" className="link" data-testid="policy-text-problem" data-code={d.code}
              data-line={line} onClick={() => onPick(line, column)} title="Show it in the text">
              <span className={`mono severity-${d.severity}`}>{line}:{column}</span> <span className="code">{d.code}</span> {d.message}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
