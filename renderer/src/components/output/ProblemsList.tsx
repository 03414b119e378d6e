import { useReactFlow } from '@xyflow/react';
import type { Diagnostic } from '@shared/diagnostics';
import type { JSX } from 'react';
import { formatLocation } from '../../model/format';
import { useCanvasStore } from '../../stores/canvas-store';
import { useCompileStore } from '../../stores/compile-store';

const ORDER: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

/** Every diagnostic of the last compile; one that names a canvas element selects it. */
export function ProblemsList(): JSX.Element {
  const diagnostics = useCompileStore((s) => s.outcome?.diagnostics ?? []);
  const select = useCanvasStore((s) => s.select);
  const { fitView } = useReactFlow();

  if (diagnostics.length === 0) return <p className="muted empty-note">No problems.</p>;
  const sorted = [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);

  const reveal = (d: Diagnostic): void => {
    const element = d.location?.element;
    if (!element) return;
    select({ kind: element.kind, id: element.id });
    if (element.kind === 'group') void fitView({ nodes: [{ id: element.id }], duration: 300, maxZoom: 1.2 });
  };

  return (
    <table className="problems">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Code</th>
          <th>Message</th>
          <th>Location</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((d, i) => (
          <tr
            key={i}
            data-testid="problem-row"
            data-code={d.code}
            data-severity={d.severity}
            className={d.location?.element ? 'clickable' : undefined}
            onClick={() => reveal(d)}
            title={d.location?.element ? 'Show on the canvas' : undefined}
          >
            <td><span className={`severity severity-${d.severity}`}>{d.severity}</span></td>
            <td className="mono">{d.code}</td>
            <td>{d.message}</td>
            <td className="muted">{formatLocation(d)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
