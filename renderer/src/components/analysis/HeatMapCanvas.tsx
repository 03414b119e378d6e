import { useEffect, useRef, useState, type JSX, type MouseEvent } from 'react';
import { canvasCellSize, drawCells } from './heat-map-canvas';
import { onHeatMapKey, type PickedCell } from './heat-map-keys';
import { describeCell } from './heat-map-svg';
import type { MatrixView } from './matrix-view';

/**
 * The heat map of a big grid on a canvas: a cell per few pixels, no labels. The cell under the
 * pointer is named below the map; a click picks it, as on the SVG map.
 */
export function HeatMapCanvas({ view, picked, onPick, label }: { view: MatrixView; picked: PickedCell | null; onPick: (cell: PickedCell) => void; label: string }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hovered, setHovered] = useState<{ row: number; column: number } | null>(null);
  const size = canvasCellSize(view.names.length);
  const side = view.names.length * size;

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (context) drawCells(context, view, size);
  }, [view, size]);

  const cellUnder = (event: MouseEvent<HTMLCanvasElement>): { row: number; column: number } | null => {
    const box = event.currentTarget.getBoundingClientRect();
    const column = Math.floor((event.clientX - box.left) / size);
    const row = Math.floor((event.clientY - box.top) / size);
    return row >= 0 && column >= 0 && row < view.names.length && column < view.names.length ? { row, column } : null;
  };
  const named = hovered ?? picked;

  return (
    <div className="heat-map-canvas">
      <div className="heat-map" data-testid="matrix-heat-map" data-rows={view.names.length} tabIndex={0} aria-label={label} onKeyDown={onHeatMapKey(picked, view.names.length, onPick)}>
        <div className="heat-map-layers" style={{ width: side, height: side }}>
          <canvas
            ref={canvas}
            width={side}
            height={side}
            data-testid="matrix-canvas"
            onMouseMove={(e) => setHovered(cellUnder(e))}
            onMouseLeave={() => setHovered(null)}
            onClick={(e) => {
              const cell = cellUnder(e);
              if (cell) onPick(cell);
            }}
          />
          {picked ? <div className="heat-map-picked" style={{ left: picked.column * size - 2, top: picked.row * size - 2, width: size + 4, height: size + 4 }} /> : null}
        </div>
      </div>
      <p className="muted heat-map-pointer" data-testid="matrix-pointer">
        {named ? describeCell(view.names[named.row]!, view.names[named.column]!, view.shown(named.row, named.column)) : `${view.names.length} × ${view.names.length} cells, ${size} px each: point at one to name it, click to explain it, or filter by name for labels.`}
      </p>
    </div>
  );
}
