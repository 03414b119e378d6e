import type { Diagnostic } from '@shared/diagnostics';
import type { JSX, ReactNode } from 'react';
import { useCanvasStore } from '../../stores/canvas-store';

interface InspectorFrameProps {
  kind: string;
  title: string;
  diagnostics: readonly Diagnostic[];
  onDelete: () => void;
  children: ReactNode;
}

/** The inspector's frame: title, close, the element's problems, its form, and Delete. */
export function InspectorFrame({ kind, title, diagnostics, onDelete, children }: InspectorFrameProps): JSX.Element {
  const select = useCanvasStore((s) => s.select);
  return (
    <section className="panel inspector" data-testid="inspector" aria-label={`${kind} ${title}`}>
      <header className="panel-header">
        <h2 title={`${kind} ${title}`}>
          <span className="muted">{kind}</span> {title}
        </h2>
        <button type="button" className="icon" title="Close" onClick={() => select(null)}>
          ✕
        </button>
      </header>
      <div className="panel-body">
        {diagnostics.length > 0 ? (
          <ul className="element-problems">
            {diagnostics.map((d) => (
              <li key={`${d.code}:${d.message}`} className={`severity-${d.severity}`}>
                <span className="code">{d.code}</span> {d.message}
              </li>
            ))}
          </ul>
        ) : null}
        {children}
        <div className="danger-zone">
          <button type="button" className="danger" data-testid="inspector-delete" onClick={onDelete}>
            Delete {kind}
          </button>
          <span className="muted">or press Delete on the canvas</span>
        </div>
      </div>
    </section>
  );
}
