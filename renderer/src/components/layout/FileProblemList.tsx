import type { JSX } from 'react';
import { usePolicyStore } from '../../stores/policy-store';

/** Why a file was not opened (or saved), every diagnostic with its line and column. */
export function FileProblemList(): JSX.Element | null {
  const problem = usePolicyStore((s) => s.fileProblem);
  const setFileProblem = usePolicyStore((s) => s.setFileProblem);
  if (!problem) return null;

  return (
    <section className="file-problems" role="alert" data-testid="file-errors">
      <header>
        <strong>{problem.title}</strong>
        <button type="button" className="icon" title="Dismiss" onClick={() => setFileProblem(null)}>
          ✕
        </button>
      </header>
      <ul>
        {problem.diagnostics.map((d, i) => {
          const loc = d.location;
          return (
            <li key={i} data-testid="file-error" data-line={loc?.line} data-column={loc?.column} className={`severity-${d.severity}`}>
              <span className="mono where">{loc?.line ? `line ${loc.line}, column ${loc.column ?? 1}` : (loc?.path ?? '')}</span>
              <span className="code">{d.code}</span>
              <span>{d.message}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
