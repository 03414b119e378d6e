import { useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import type { JSX } from 'react';
import { useCanvasStore } from '../../stores/canvas-store';
import { CANVAS_FIT_GLIDE, drawingFitsView, type DrawnRect } from './canvas-fit';

/**
 * The overview switch, zoom out, zoom in and fit the drawing into view: the canvas bar's right end. A fit cannot go below the smallest zoom, so on a big drawing it shows only the middle:
 * a note by the buttons says so while part of the drawing is out of view at that zoom.
 */
export function CanvasViewButtons(): JSX.Element {
  const { zoomIn, zoomOut, fitView } = useReactFlow();
  const atMin = useStore((s) => s.transform[2] <= s.minZoom);
  const atMax = useStore((s) => s.transform[2] >= s.maxZoom);
  const tooBig = useStore(tooBigAtSmallestZoom);
  const overview = useCanvasStore((s) => s.overview);
  const toggleOverview = useCanvasStore((s) => s.toggleOverview);

  return (
    <>
      {tooBig ? (
        <span
          className="canvas-fit-note"
          role="status"
          data-testid="canvas-fit-note"
          title="The drawing is larger than the view even at the smallest zoom; the overview shows all of it"
        >
          Too big to fit: see Overview
        </span>
      ) : null}
      <div className="button-row canvas-view-buttons">
        <button
          type="button"
          data-testid="canvas-overview-toggle"
          aria-pressed={overview}
          title={overview ? 'Hide the overview of the whole drawing' : 'Show the whole drawing in small beside the canvas'}
          onClick={toggleOverview}
        >
          Overview
        </button>
        <button type="button" data-testid="canvas-zoom-out" aria-label="Zoom out" title="Zoom out" disabled={atMin} onClick={() => void zoomOut()}>
          −
        </button>
        <button type="button" data-testid="canvas-zoom-in" aria-label="Zoom in" title="Zoom in" disabled={atMax} onClick={() => void zoomIn()}>
          +
        </button>
        <button type="button" data-testid="canvas-fit" title="Fit the whole drawing into view" onClick={() => void fitView(CANVAS_FIT_GLIDE)}>
          Fit
        </button>
      </div>
    </>
  );
}

// Runs on every change to React Flow's store: it goes through the groups only at the smallest zoom.
function tooBigAtSmallestZoom(s: ReactFlowState): boolean {
  if (s.transform[2] > s.minZoom || s.width === 0) return false;
  return !drawingFitsView(drawnRects(s), { width: s.width, height: s.height }, s.minZoom);
}

function* drawnRects(s: ReactFlowState): Generator<DrawnRect> {
  for (const node of s.nodeLookup.values()) {
    const { x, y } = node.internals.positionAbsolute;
    yield { x, y, width: node.measured.width ?? 0, height: node.measured.height ?? 0 };
  }
}
