import { MiniMap, useReactFlow, useStoreApi, type XYPosition } from '@xyflow/react';
import { useCallback, type JSX, type MouseEvent } from 'react';

// The overview's drawing, in screen pixels; the map keeps the drawing's proportions inside it.
const MAP_SIZE = { width: 220, height: 180 } as const;

/**
 * The whole drawing in small, beside the canvas rather than over it (a corner over the canvas
 * would hide the groups there), with the part in view framed. Dragging the frame or clicking
 * a place moves the view there; scrolling over it zooms.
 */
export function CanvasOverview(): JSX.Element {
  const { setCenter } = useReactFlow();
  const store = useStoreApi();

  const jump = useCallback(
    (_event: MouseEvent, place: XYPosition) => void setCenter(place.x, place.y, { zoom: store.getState().transform[2], duration: 200 }),
    [setCenter, store],
  );

  return (
    <aside className="canvas-overview" data-testid="canvas-overview" aria-label="Overview of the drawing">
      <MiniMap
        style={MAP_SIZE}
        pannable
        zoomable
        onClick={jump}
        ariaLabel="Overview of the whole drawing; the framed part is in view"
        nodeBorderRadius={8}
      />
      <p className="muted">Drag the frame or click a place to move there; scroll to zoom.</p>
    </aside>
  );
}
