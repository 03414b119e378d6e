import { useReactFlow, useStoreApi, type ReactFlowState, type Viewport } from '@xyflow/react';
import { useCallback, useEffect, useRef } from 'react';
import { overlaps, union } from '../model/canvas-rects';
import type { CanvasRect } from '../model/policy-edits';

const MARGIN = 10;

/** The part of the canvas the pane shows, in canvas coordinates. */
export function visibleRect({ transform: [x, y, zoom], width, height }: ReactFlowState): CanvasRect {
  return { x: -x / zoom, y: -y / zoom, width: width / zoom, height: height / zoom };
}

/**
 * Under the ReactFlowProvider: returns `reveal(group)`, which brings a group just added into view once
 * React Flow has measured it. A group that does not lie wholly in the view (on a narrow canvas,
 * where even the one beside the first does not fit) moves and zooms the view to hold the new group
 * and every group it showed, so none the user was looking at leaves it.
 */
export function useRevealGroup(): (group: string) => void {
  const store = useStoreApi();
  const { setViewport } = useReactFlow();
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);

  return useCallback(
    (group: string) => {
      stop.current?.();
      const revealOnceMeasured = (state: ReactFlowState): void => {
        const node = state.nodeLookup.get(group);
        const width = node?.measured.width;
        const height = node?.measured.height;
        if (!node || !width || !height) return;
        stop.current?.();
        stop.current = null;

        const view = visibleRect(state);
        const box = { ...node.internals.positionAbsolute, width, height };
        if (contains(view, box)) return;
        // What the user was looking at: the groups the view showed, whole or in part.
        let bounds = box;
        for (const other of state.nodeLookup.values()) {
          const shown = {
            ...other.internals.positionAbsolute,
            width: other.measured.width ?? 0,
            height: other.measured.height ?? 0,
          };
          if (other.id !== group && overlaps(view, shown)) bounds = union(bounds, shown);
        }
        void setViewport(viewportShowing(bounds, state), { duration: 200 });
      };
      stop.current = store.subscribe(revealOnceMeasured);
      revealOnceMeasured(store.getState());
    },
    [store, setViewport],
  );
}

/** The viewport that shows `bounds` whole, centred, as large as the zoom limits allow. */
function viewportShowing(bounds: CanvasRect, { width, height, minZoom, maxZoom }: ReactFlowState): Viewport {
  const room = { width: width - 2 * MARGIN, height: height - 2 * MARGIN };
  const fit = Math.min(room.width / bounds.width, room.height / bounds.height);
  const zoom = Math.min(maxZoom, Math.max(minZoom, fit));
  return {
    x: MARGIN + (room.width - bounds.width * zoom) / 2 - bounds.x * zoom,
    y: MARGIN + (room.height - bounds.height * zoom) / 2 - bounds.y * zoom,
    zoom,
  };
}

function contains(outer: CanvasRect, inner: CanvasRect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}
