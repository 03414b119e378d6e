import {
  Background,
  MarkerType,
  ReactFlow,
  useStore,
  type Connection,
  type Dimensions,
  type EdgeChange,
  type NodeChange,
  type NodePositionChange,
} from '@xyflow/react';
import { useCallback, useMemo, useState, type JSX } from 'react';
import { useEdgeDetours } from '../../hooks/use-edge-detours';
import { elementKey, useElementDiagnostics } from '../../hooks/use-element-diagnostics';
import { useImpactEdges } from '../../hooks/use-impact-edges';
import { useKeptElements } from '../../hooks/use-kept-elements';
import { useMembership } from '../../hooks/use-membership';
import { useWhileShown } from '../../hooks/use-while-shown';
import { edgeFans } from '../../model/edge-fan';
import { autoPosition, withEdgeRemoved, withGroupRemoved } from '../../model/policy-edits';
import { confirmGroupRemoval } from '../../actions/confirm-removal';
import { moveGroups } from '../../actions/move-groups';
import { useCanvasStore, type Selection } from '../../stores/canvas-store';
import { endStep, useDrawing, usePolicyStore } from '../../stores/policy-store';
import { CANVAS_FIT, LABEL_ZOOM } from './canvas-fit';
import { CanvasOverview } from './CanvasOverview';
import { CanvasToolbar } from './CanvasToolbar';
import { EdgeLabelLayerProvider, FindEdgeLabelLayer } from './EdgeLabelLayer';
import { FitOnOpen } from './FitOnOpen';
import { GroupNode, type GroupFlowNode } from './GroupNode';
import { ImpactEdge, type ImpactFlowEdge } from './ImpactEdge';
import { sameGroupNode, sameServiceEdge } from './same-element';
import { ServiceEdge, type ServiceFlowEdge } from './ServiceEdge';

// Not 'group': React Flow has a built-in node type by that name, with its own styling.
const nodeTypes = { policyGroup: GroupNode };
const edgeTypes = { service: ServiceEdge, impact: ImpactEdge };
const ARROW = { type: MarkerType.ArrowClosed, width: 18, height: 18, color: '#7f8ba3' } as const;
const DELETE_KEYS = ['Delete', 'Backspace'];
// One empty list for every element without members or problems, so an unchanged one compares equal.
const NONE: never[] = [];
// React Flow removes a deleted group's edges, then the group, in one go: one undo step for both.
const REMOVAL = 'remove';
// A hidden canvas listens to no keys: React Flow updates its store on every Ctrl or Shift press
// (multi-selection), and every node and edge checks what it reads, for Ctrl+Enter in the YAML too.
const NO_KEYS = { selectionKeyCode: null, multiSelectionKeyCode: null, panActivationKeyCode: null, zoomActivationKeyCode: null };

/**
 * The policy drawn as a graph. The policy store is the only truth: nodes and edges are derived
 * from it on every change, and React Flow's change events are turned into policy edits.
 * While hidden (`active` false) it keeps drawing the policy it last showed: on thousands of
 * groups, redrawing an unseen canvas made the YAML view's Apply take seconds.
 */
export function PolicyCanvas({ active }: { active: boolean }): JSX.Element {
  const policy = useWhileShown(useDrawing(), active);
  const edit = usePolicyStore((s) => s.edit);
  const selection = useCanvasStore((s) => s.selection);
  const formOpen = useCanvasStore((s) => s.form !== null);
  const { membership } = useMembership();
  const diagnostics = useElementDiagnostics(policy);
  // React Flow measures nodes and hands the sizes back; it needs them on every node we pass.
  const [measured, setMeasured] = useState<Record<string, Dimensions>>({});
  const [labelLayer, setLabelLayer] = useState<HTMLElement | null>(null);
  // Where the groups being dragged are now; the policy gets these places when they are let go.
  const dragged = useCanvasStore((s) => s.held);
  const overview = useCanvasStore((s) => s.overview);
  // Seen from far, a style (canvas.css) leaves the edge labels out and draws each group's name
  // large: only crossing LABEL_ZOOM redraws, not every step of a zoom.
  const far = useStore((s) => s.transform[2] < LABEL_ZOOM);

  // Each group or edge keeps its object while it would be drawn the same: React Flow redraws
  // every element it is handed anew (at 5,000 groups and edges, a second for a save).
  const builtNodes = useMemo<GroupFlowNode[]>(
    () =>
      policy.groups.map((group, index) => ({
        id: group.name,
        type: 'policyGroup',
        position: group.position ?? autoPosition(index, policy.groups.length),
        selected: isSelected(selection, 'group', group.name),
        measured: measured[group.name],
        data: {
          group,
          members: membership.get(group.name)?.workloads ?? NONE,
          diagnostics: diagnostics.get(elementKey('group', group.name)) ?? NONE,
        },
      })),
    [policy.groups, selection, measured, membership, diagnostics],
  );
  const kept = useKeptElements(builtNodes, sameGroupNode);
  // `dragging` also keeps a group React Flow would leave out of the page, out of view, drawn while held.
  const nodes = useMemo(
    () => (dragged.size === 0 ? kept : kept.map((n) => (dragged.has(n.id) ? { ...n, position: dragged.get(n.id)!, dragging: true } : n))),
    [kept, dragged],
  );

  const { routes, routed } = useEdgeDetours(policy.groups, policy.edges, measured, dragged);
  const fans = useMemo(() => edgeFans(policy.edges), [policy.edges]);
  const builtEdges = useMemo<ServiceFlowEdge[]>(() => {
    const names = new Set(policy.groups.map((g) => g.name));
    // An edge to a missing group cannot be drawn; the Problems list still reports it. An edge not
    // yet routed as it is waits for its way round rather than be drawn behind a group meanwhile.
    return policy.edges
      .filter((e) => names.has(e.from) && names.has(e.to) && routed.has(e.id))
      .map((edge) => ({
        id: edge.id,
        type: 'service',
        source: edge.from,
        target: edge.to,
        markerEnd: ARROW,
        selected: isSelected(selection, 'edge', edge.id),
        data: { edge, diagnostics: diagnostics.get(elementKey('edge', edge.id)) ?? NONE, routes, fan: fans.get(edge.id) },
      }));
  }, [policy.groups, policy.edges, selection, diagnostics, routes, routed, fans]);
  const edges = useKeptElements(builtEdges, sameServiceEdge);

  const impactEdges = useImpactEdges(policy.groups, measured, dragged);
  const drawn = useMemo(() => [...edges, ...impactEdges], [edges, impactEdges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<GroupFlowNode>[]) => {
      const sizes: Record<string, Dimensions> = {};
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) sizes[change.id] = change.dimensions;
      }
      if (Object.keys(sizes).length > 0) setMeasured((m) => ({ ...m, ...sizes }));

      // A drag sends a position per frame, drawn as it comes; its last (not dragging) is the drop.
      // A move by the arrow keys comes as that last position alone.
      const moves = changes.filter((c): c is NodePositionChange => c.type === 'position' && c.position !== undefined);
      if (moves.length > 0) moveGroups(moves.map((c) => ({ name: c.id, position: c.position!, held: c.dragging === true })));

      const removes = changes.some((c) => c.type === 'remove');
      if (removes) {
        edit((p) => changes.reduce((next, c) => (c.type === 'remove' ? withGroupRemoved(next, c.id) : next), p), REMOVAL);
        queueMicrotask(endStep);
      }
      applySelection('group', changes);
    },
    [edit],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<ServiceFlowEdge | ImpactFlowEdge>[]) => {
      const removes = changes.some((c) => c.type === 'remove');
      edit((p) => changes.reduce((next, c) => (c.type === 'remove' ? withEdgeRemoved(next, c.id) : next), p), removes ? REMOVAL : undefined);
      if (removes) queueMicrotask(endStep);
      applySelection('edge', changes);
    },
    [edit],
  );

  // React Flow asks before the Delete key removes anything; groups with edges need a yes.
  const onBeforeDelete = useCallback(
    ({ nodes: doomed }: { nodes: GroupFlowNode[]; edges: (ServiceFlowEdge | ImpactFlowEdge)[] }) => confirmGroupRemoval(doomed.map((n) => n.id)),
    [],
  );

  // A drawn edge needs its services before it is one: the New edge form opens with its ends filled
  // in, so it is added (one undo step) as by Add edge, and Escape leaves nothing behind.
  const onConnect = useCallback(({ source, target }: Connection) => {
    useCanvasStore.getState().openForm({ kind: 'edge', from: source, to: target });
  }, []);

  return (
    <div className="canvas">
      <CanvasToolbar />
      <div className={`canvas-view${far ? ' canvas-far' : ''}`} data-testid="canvas-view">
        <EdgeLabelLayerProvider value={labelLayer}>
          <ReactFlow<GroupFlowNode, ServiceFlowEdge | ImpactFlowEdge>
            onBeforeDelete={onBeforeDelete}
            nodes={nodes}
            edges={drawn}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            deleteKeyCode={active ? DELETE_KEYS : null}
            {...(active ? {} : NO_KEYS)}
            colorMode="dark"
            minZoom={0.2}
            fitView
            fitViewOptions={CANVAS_FIT}
            // Only the groups and edges in view stay in the page: at 5,000 of each, showing the canvas
            // again (after the YAML view) had the browser style and lay out all 10,000 (about 1 s).
            // React Flow still draws each group once to measure it, so fitting and the edges to
            // groups out of view work as before.
            onlyRenderVisibleElements
          >
            <Background gap={24} size={1} />
            <FitOnOpen active={active} />
            <FindEdgeLabelLayer onFound={setLabelLayer} />
          </ReactFlow>
        </EdgeLabelLayerProvider>
        {/* Not under an open add form, whose fields it would be written over. */}
        {policy.groups.length === 0 && !formOpen ? (
          <div className="canvas-empty">
            <p>No groups yet.</p>
            <p className="muted">Add a group for each tier of workloads, then draw the edges that may connect them.</p>
          </div>
        ) : null}
        {overview ? <CanvasOverview /> : null}
      </div>
    </div>
  );
}

function isSelected(selection: Selection, kind: 'group' | 'edge', id: string): boolean {
  return selection?.kind === kind && selection.id === id;
}

/** The canvas keeps one selection; a batch of changes ends on the last element selected. */
function applySelection(kind: 'group' | 'edge', changes: readonly (NodeChange | EdgeChange)[]): void {
  const { selection, select } = useCanvasStore.getState();
  let next = selection;
  for (const change of changes) {
    if (change.type === 'select' && change.selected) next = { kind, id: change.id };
    else if ((change.type === 'select' || change.type === 'remove') && isSelected(next, kind, change.id)) next = null;
  }
  if (next !== selection) select(next);
}
