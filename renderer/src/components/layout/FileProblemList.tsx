import type { JSX } from 'react';
import { formatLocation } from '../../model/format';
import { usePolicyStore } from '../../stores/policy-store';

/** Why a file was not opened (or saved), or an import or export's report: every diagnostic with its place. */
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
              <span className="mono where">{problem.manyFiles ? formatLocation(d) : loc?.line ? `line ${loc.line}, column ${loc.column ?? 1}` : (loc?.path ?? '')}</span>
              <span className="code">{d.code}</span>
              <span>{d.message}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
