import { useRef, useState, type JSX, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

/** The output panel's height when nothing was chosen, and the least either side keeps. */
const DEFAULT_HEIGHT = 290;
const LEAST = 110;
const STEP = 24;
const HEIGHT_KEY = 'microseg.outputHeight';

/**
 * The design area above the output panel, with a handle between them to give either more
 * room: drag it, or focus it and use the arrow keys (Home: back to the default). The height
 * is kept for the next visit: on a small window the YAML view or a long trace needs it.
 */
export function CenterSplit({ top, bottom }: { top: ReactNode; bottom: ReactNode }): JSX.Element {
  const center = useRef<HTMLElement>(null);
  const [height, setHeight] = useState(() => Number(localStorage.getItem(HEIGHT_KEY)) || DEFAULT_HEIGHT);
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);

  const resize = (wanted: number): void => {
    const room = center.current?.clientHeight ?? window.innerHeight;
    const next = Math.round(Math.min(Math.max(wanted, LEAST), Math.max(LEAST, room - LEAST)));
    setHeight(next);
    localStorage.setItem(HEIGHT_KEY, String(next));
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startY: event.clientY, startHeight: height };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (drag.current) resize(drag.current.startHeight - (event.clientY - drag.current.startY));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const change = { ArrowUp: STEP, ArrowDown: -STEP }[event.key];
    if (change !== undefined) resize(height + change);
    else if (event.key === 'Home') resize(DEFAULT_HEIGHT);
    else return;
    event.preventDefault();
  };

  return (
    <main className="center" ref={center} style={{ gridTemplateRows: `minmax(0, 1fr) auto ${height}px` }}>
      {top}
      <div
        className="split-handle"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Output panel height: drag, or use the arrow keys"
        aria-valuenow={height}
        tabIndex={0}
        data-testid="output-split"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onDoubleClick={() => resize(DEFAULT_HEIGHT)}
        onKeyDown={onKeyDown}
      />
      {bottom}
    </main>
  );
}
