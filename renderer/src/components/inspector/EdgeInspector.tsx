import type { Edge } from '@shared/policy/model';
import type { JSX } from 'react';
import { elementKey, useElementDiagnostics } from '../../hooks/use-element-diagnostics';
import { edgeDraftOf } from '../../model/drafts';
import { withEdgeRemoved, withEdgeReplaced } from '../../model/policy-edits';
import { useCanvasStore } from '../../stores/canvas-store';
import { usePolicyStore } from '../../stores/policy-store';
import { EdgeForm } from '../canvas/EdgeForm';
import { InspectorFrame } from './InspectorFrame';

interface EdgeInspectorProps {
  edge: Edge;
}

export function EdgeInspector({ edge }: EdgeInspectorProps): JSX.Element {
  const edit = usePolicyStore((s) => s.edit);
  const select = useCanvasStore((s) => s.select);
  const diagnostics = useElementDiagnostics().get(elementKey('edge', edge.id)) ?? [];

  const remove = (): void => {
    edit((p) => withEdgeRemoved(p, edge.id));
    select(null);
  };

  return (
    <InspectorFrame kind="edge" title={edge.id} diagnostics={diagnostics} onDelete={remove}>
      <EdgeForm
        initial={edgeDraftOf(edge)}
        submitLabel="Apply"
        onSubmit={(_draft, toEdge) => {
          // The id stays even if the ends change: flow cookies and selection map back to it.
          const next = toEdge(edge.id);
          if (next) edit((p) => withEdgeReplaced(p, edge.id, next));
        }}
      />
    </InspectorFrame>
  );
}
