import { useReactFlow } from '@xyflow/react';
import type { Diagnostic } from '@shared/diagnostics';
import { useMemo, type JSX } from 'react';
import { useVirtualRows } from '../../hooks/use-virtual-rows';
import { formatLocation } from '../../model/format';
import { settingAt } from '../../model/policy-setting';
import { useCanvasStore } from '../../stores/canvas-store';
import { useCompileStore } from '../../stores/compile-store';
import { useWorkloadRevealStore } from '../../stores/workload-reveal-store';

const ORDER: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

/**
 * Every diagnostic of the last compile; one that names a canvas element selects it, one about a
 * policy setting shows that field, one about a workload shows it in the inventory list.
 */
export function ProblemsList(): JSX.Element {
  const diagnostics = useCompileStore((s) => s.outcome?.diagnostics ?? []);
  const select = useCanvasStore((s) => s.select);
  const showSetting = useCanvasStore((s) => s.showSetting);
  const revealWorkload = useWorkloadRevealStore((s) => s.reveal);
  const { fitView } = useReactFlow();
  const sorted = useMemo(() => [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]), [diagnostics]);
  // A large estate's compile warns thousands of times: only the rows in view are drawn.
  const { ref, virtualizer, offset } = useVirtualRows({ items: sorted, keyOf: byPlace, estimatedHeight: 44 });

  if (diagnostics.length === 0) return <p className="muted empty-note">No problems.</p>;
  const rows = virtualizer.getVirtualItems();
  // Rows stay rows of the table (its columns line up); blank rows above and below hold the place of those not drawn.
  const above = rows.length > 0 ? rows[0]!.start - offset : 0;
  const below = rows.length > 0 ? virtualizer.getTotalSize() - rows.at(-1)!.end : 0;

  const reveal = (d: Diagnostic): void => {
    const element = d.location?.element;
    const setting = settingAt(d.location?.path);
    const workload = d.location?.workload;
    if (!element) {
      if (workload !== undefined) revealWorkload(workload);
      else if (setting) showSetting(setting);
      return;
    }
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
      <tbody ref={ref}>
        {above > 0 ? <tr aria-hidden style={{ height: above }} /> : null}
        {rows.map(({ index, key }) => (
          <ProblemRow
            key={key}
            index={index}
            diagnostic={sorted[index]!}
            measure={virtualizer.measureElement}
            onReveal={reveal}
          />
        ))}
        {below > 0 ? <tr aria-hidden style={{ height: below }} /> : null}
      </tbody>
    </table>
  );
}

interface ProblemRowProps {
  index: number;
  diagnostic: Diagnostic;
  measure: (row: Element | null) => void;
  onReveal: (d: Diagnostic) => void;
}

function ProblemRow({ index, diagnostic: d, measure, onReveal }: ProblemRowProps): JSX.Element {
  const onCanvas = d.location?.element !== undefined;
  const inInventory = !onCanvas && d.location?.workload !== undefined;
  const revealable = onCanvas || inInventory || settingAt(d.location?.path) !== null;
  return (
    <tr
      ref={measure}
      data-index={index}
      data-testid="problem-row"
      data-code={d.code}
      data-severity={d.severity}
      className={revealable ? 'clickable' : undefined}
      onClick={() => onReveal(d)}
      // Reachable by keyboard too: Tab to the row, Enter or Space shows it on the canvas, in the settings or in the inventory.
      tabIndex={revealable ? 0 : undefined}
      onKeyDown={(event) => {
        if (!revealable || (event.key !== 'Enter' && event.key !== ' ')) return;
        event.preventDefault();
        onReveal(d);
      }}
      title={onCanvas ? 'Show on the canvas' : inInventory ? 'Show the workload in the inventory' : revealable ? 'Show the setting in the inspector' : undefined}
    >
      <td>
        <span className={`severity severity-${d.severity}`}>{d.severity}</span>
      </td>
      <td className="mono">{d.code}</td>
      <td>{d.message}</td>
      <td className="muted">{formatLocation(d)}</td>
    </tr>
  );
}

/** A problem's key: its place in the sorted list, which a compile's list keeps until the next compile. */
function byPlace(_d: Diagnostic, index: number): string {
  return String(index);
}
