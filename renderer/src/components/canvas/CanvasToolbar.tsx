import type { CanvasPosition, Policy } from '@shared/policy/model';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect, useRef, useState, type JSX } from 'react';
import { arrangeFailureMessage, arrangeGroups } from '../../actions/arrange-groups';
import { useRevealGroup, visibleRect } from '../../hooks/use-reveal-group';
import { emptyGroupDraft } from '../../model/drafts';
import { freePosition, GROUP_SIZE, nextEdgeId, withEdgeAdded, withGroupAdded } from '../../model/policy-edits';
import { useCanvasStore } from '../../stores/canvas-store';
import { useNoticeStore } from '../../stores/notice-store';
import { usePolicyStore } from '../../stores/policy-store';
import { CANVAS_FIT_GLIDE } from './canvas-fit';
import { CanvasViewButtons } from './CanvasViewButtons';
import { EdgeForm } from './EdgeForm';
import { GroupForm } from './GroupForm';

const ARRANGING = 'Arranging the groups';

/**
 * The bar above the canvas: the add buttons, Arrange and the view's buttons; and, over the
 * canvas below it, whichever add form is open. The bar is not drawn over the canvas: with
 * hundreds of groups, a view fitted to the drawing has groups up to its edges, and buttons
 * over it hid the top row from sight and from the mouse.
 */
export function CanvasToolbar(): JSX.Element {
  const form = useCanvasStore((s) => s.form);
  const openForm = useCanvasStore((s) => s.openForm);
  const edit = usePolicyStore((s) => s.edit);
  const groupCount = usePolicyStore((s) => s.policy.groups.length);
  const store = useStoreApi();
  const reveal = useRevealGroup();
  const { fitView } = useReactFlow();
  const [arranging, setArranging] = useState(false);
  const addGroupButton = useRef<HTMLButtonElement>(null);
  const addEdgeButton = useRef<HTMLButtonElement>(null);
  const openKind = form?.kind ?? null;
  const lastKind = useRef(openKind);

  // A form closing (added, cancelled, Escape) takes the focused field with it, which left the focus
  // on the page itself, so Tab started again at the window's first button: it goes back to the
  // button that opened the form instead, unless the user has put it somewhere already.
  useEffect(() => {
    const closed = lastKind.current;
    lastKind.current = openKind;
    if (closed === null || openKind !== null) return;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    (closed === 'group' ? addGroupButton : addEdgeButton).current?.focus();
  }, [openKind]);

  // New groups go near the middle of what the user is looking at (node origin is top-left), in view if one fits.
  const placeNewGroup = (p: Policy): CanvasPosition => {
    const state = store.getState();
    if (state.width === 0) return freePosition(p, { x: 60, y: 60 });
    const view = visibleRect(state);
    const centre = { x: view.x + view.width / 2 - GROUP_SIZE.width / 2, y: view.y + view.height / 2 - GROUP_SIZE.height / 2 };
    return freePosition(p, centre, view);
  };

  // The layout takes the groups' sizes as drawn; React Flow measures every group, even those out of view.
  const arrange = async (): Promise<void> => {
    const sizes = new Map<string, { width: number; height: number }>();
    for (const [name, node] of store.getState().nodeLookup) {
      if (node.measured.width && node.measured.height) sizes.set(name, { width: node.measured.width, height: node.measured.height });
    }
    const notices = useNoticeStore.getState();
    notices.settle(ARRANGING);
    setArranging(true);
    try {
      // React Flow holds the fit until the groups are drawn at their new places. Not awaited: the
      // promise of an animated fit cut short (another fit, a pan) may never settle, and the button
      // would stay busy with the layout long done.
      if (await arrangeGroups(sizes)) void fitView(CANVAS_FIT_GLIDE);
      else notices.push({ title: ARRANGING, code: 'ARRANGE_OUTDATED', message: 'The groups kept changing while they were laid out; press Arrange again.' });
    } catch (error) {
      notices.push({ title: ARRANGING, code: 'ARRANGE_FAILED', message: arrangeFailureMessage(error as Error) });
    } finally {
      setArranging(false);
    }
  };

  return (
    <>
      <div className="button-row canvas-toolbar" data-testid="canvas-toolbar">
        <button ref={addGroupButton} type="button" data-testid="add-group" onClick={() => openForm(form?.kind === 'group' ? null : { kind: 'group' })}>
          + Add group
        </button>
        <button
          ref={addEdgeButton}
          type="button"
          data-testid="add-edge"
          disabled={groupCount === 0}
          title={groupCount === 0 ? 'Add a group first' : 'Permit connections from one group to another'}
          onClick={() => openForm(form?.kind === 'edge' ? null : { kind: 'edge' })}
        >
          + Add edge
        </button>
        <button
          type="button"
          data-testid="arrange"
          disabled={groupCount === 0 || arranging}
          aria-busy={arranging}
          title="Lay the groups out left to right along their edges (Undo takes it back)"
          onClick={() => void arrange()}
        >
          {arranging ? 'Arranging…' : 'Arrange'}
        </button>
        <CanvasViewButtons />
      </div>

      {form?.kind === 'group' ? (
        <div className="card floating-form">
          <h3>New group</h3>
          <GroupForm
            initial={emptyGroupDraft()}
            submitLabel="Add group"
            onCancel={() => openForm(null)}
            onSubmit={(group) => {
              edit((p) => withGroupAdded(p, { ...group, position: placeNewGroup(p) }));
              openForm(null);
              reveal(group.name);
            }}
          />
        </div>
      ) : null}

      {form?.kind === 'edge' ? (
        <div className="card floating-form">
          <h3>New edge</h3>
          <EdgeForm
            initial={{ from: form.from ?? '', to: form.to ?? '', services: '', action: 'allow', redirectTo: '', description: '' }}
            submitLabel="Add edge"
            focusServices={form.from !== undefined && form.to !== undefined}
            onCancel={() => openForm(null)}
            onSubmit={(draft, toEdge) => {
              edit((p) => {
                const edge = toEdge(nextEdgeId(p, draft.from, draft.to));
                return edge ? withEdgeAdded(p, edge) : p;
              });
              openForm(null);
            }}
          />
        </div>
      ) : null}
    </>
  );
}
