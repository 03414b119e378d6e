import { useLayoutEffect, useRef, useState, type JSX, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

/** The output panel's height when nothing was chosen, and the least either side keeps. */
const DEFAULT_HEIGHT = 290;
/**
 * The least room the output panel keeps beside its header (its content and top border) when
 * nothing was chosen: what DEFAULT_HEIGHT leaves on a wide window, where the header takes one
 * line of tabs (63 px). On a 1024 px window it wraps to three (100 px), and the same height
 * left the matrix a strip under its buttons.
 */
const DEFAULT_CONTENT = 227;
const LEAST = 110;
const STEP = 24;
const HEIGHT_KEY = 'microseg.outputHeight';

/**
 * The design area above the output panel, with a handle between them to give either more
 * room: drag it, or focus it and use the arrow keys (Home: back to the default). The height
 * is kept for the next visit: on a small window the YAML view or a long trace needs it. Until
 * one is chosen, the default follows the bottom's header (marked `data-split-chrome`), so a
 * header that wraps on a narrow window does not take its room from the content.
 */
export function CenterSplit({ top, bottom }: { top: ReactNode; bottom: ReactNode }): JSX.Element {
  const center = useRef<HTMLElement>(null);
  const [chosen, setChosen] = useState(() => Number(localStorage.getItem(HEIGHT_KEY)) || null);
  // The bottom's header and the whole center, measured: the default grows with the first, never leaving the design area less than LEAST.
  const [measured, setMeasured] = useState({ chrome: 0, room: 0 });
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);
  const byDefault = Math.round(Math.max(DEFAULT_HEIGHT, Math.min(DEFAULT_CONTENT + measured.chrome, measured.room - LEAST)));
  const height = chosen ?? byDefault;

  // Measured before the first paint, so a narrow window never shows the short panel first.
  useLayoutEffect(() => {
    const main = center.current;
    const header = main?.querySelector<HTMLElement>('[data-split-chrome]');
    if (!main || !header) return;
    const measure = (): void => setMeasured({ chrome: header.getBoundingClientRect().height, room: main.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(header);
    observer.observe(main);
    return () => observer.disconnect();
  }, []);

  const resize = (wanted: number): void => {
    const room = center.current?.clientHeight ?? window.innerHeight;
    const next = Math.round(Math.min(Math.max(wanted, LEAST), Math.max(LEAST, room - LEAST)));
    setChosen(next);
    localStorage.setItem(HEIGHT_KEY, String(next));
  };
  const resetHeight = (): void => {
    setChosen(null);
    localStorage.removeItem(HEIGHT_KEY);
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
    else if (event.key === 'Home') resetHeight();
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
        onDoubleClick={resetHeight}
        onKeyDown={onKeyDown}
      />
      {bottom}
    </main>
  );
}
