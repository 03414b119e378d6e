import { useReactFlow, useStore } from '@xyflow/react';
import type { JSX } from 'react';
import { CANVAS_FIT_GLIDE } from './canvas-fit';

/** Zoom out, zoom in and fit the drawing into view: the canvas bar's right end. */
export function CanvasViewButtons(): JSX.Element {
  const { zoomIn, zoomOut, fitView } = useReactFlow();
  const atMin = useStore((s) => s.transform[2] <= s.minZoom);
  const atMax = useStore((s) => s.transform[2] >= s.maxZoom);

  return (
    <div className="button-row canvas-view-buttons">
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
  );
}
