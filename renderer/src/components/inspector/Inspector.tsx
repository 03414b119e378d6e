import type { JSX } from 'react';
import { useCanvasStore } from '../../stores/canvas-store';
import { usePolicyStore } from '../../stores/policy-store';
import { EdgeInspector } from './EdgeInspector';
import { GroupInspector } from './GroupInspector';
import { PolicySettings } from './PolicySettings';

/** Edits the selected group or edge; the policy's own settings when nothing is selected. */
export function Inspector(): JSX.Element {
  const selection = useCanvasStore((s) => s.selection);
  // A newly opened policy remounts the settings form so its text fields start from the file.
  const generation = usePolicyStore((s) => s.generation);
  // An undo or redo remounts the open form too, so its fields show the drawing as it now is.
  const restored = usePolicyStore((s) => s.restored);
  const group = usePolicyStore((s) => (selection?.kind === 'group' ? s.policy.groups.find((g) => g.name === selection.id) : undefined));
  const edge = usePolicyStore((s) => (selection?.kind === 'edge' ? s.policy.edges.find((e) => e.id === selection.id) : undefined));

  if (group) return <GroupInspector key={`group:${group.name}:${restored}`} group={group} />;
  if (edge) return <EdgeInspector key={`edge:${edge.id}:${restored}`} edge={edge} />;
  return <PolicySettings key={`${generation}:${restored}`} />;
}
