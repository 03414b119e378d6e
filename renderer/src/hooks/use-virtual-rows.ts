import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useState } from 'react';

export interface VirtualRowsOptions<T> {
  items: readonly T[];
  /** A stable key per item, so a row keeps its measured height while the list is filtered. */
  keyOf: (item: T, index: number) => string;
  /** A typical row's height in pixels, before the row is drawn and measured. */
  estimatedHeight: number;
  /** Space between rows, in pixels (rows are placed by the virtualizer, so CSS gaps do not apply). */
  gap?: number;
}

export interface VirtualRows {
  /** For the element that holds the rows. */
  ref: (element: HTMLElement | null) => void;
  virtualizer: Virtualizer<HTMLElement, Element>;
  /** Where the rows' element starts inside its scroller: subtract it from an item's `start` to place the row in that element. */
  offset: number;
}

/** Rows drawn beyond the visible ones at each end: a short list is drawn whole, and a quick scroll shows no blank. */
const OVERSCAN = 24;

/**
 * Draws only the rows of a long list that are in or near view (the inventory's tens of
 * thousands of workloads, a large compile's thousands of problems): drawing every row made a
 * 10,000-workload inventory 150,000 elements, and clearing its filter froze the window for
 * seconds. The element given to `ref` holds the rows and has no scroll bar of its own: it scrolls
 * with its nearest scrolling ancestor (a sidebar, the output panel), below whatever that holds
 * above it.
 */
export function useVirtualRows<T>({ items, keyOf, estimatedHeight, gap = 0 }: VirtualRowsOptions<T>): VirtualRows {
  // A state, not a ref: the rows' element may come later than the list (after an empty list's note).
  const [rows, setRows] = useState<HTMLElement | null>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [offset, setOffset] = useState(0);

  // Where the rows start inside the scroller moves when what stands above them grows or shrinks
  // (a source opened or closed): read again whenever anything the scroller holds changes size.
  useLayoutEffect(() => {
    const parent = rows && scrollParentOf(rows);
    if (!rows || !parent) return;
    setScroller(parent);
    const measure = (): void => setOffset(rows.getBoundingClientRect().top - parent.getBoundingClientRect().top + parent.scrollTop);
    measure();
    const watch = new ResizeObserver(measure);
    for (const child of parent.children) watch.observe(child);
    return () => watch.disconnect();
  }, [rows]);

  // The React Compiler, which cannot memoize this hook's results, is not part of this build.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLElement, Element>({
    count: items.length,
    getScrollElement: () => scroller,
    estimateSize: () => estimatedHeight,
    getItemKey: useCallback((index: number) => keyOf(items[index]!, index), [items, keyOf]),
    overscan: OVERSCAN,
    scrollMargin: offset,
    gap,
  });
  return { ref: setRows, virtualizer, offset };
}

/** The nearest ancestor that scrolls vertically. */
function scrollParentOf(element: HTMLElement): HTMLElement | null {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    const { overflowY } = getComputedStyle(parent);
    if (overflowY === 'auto' || overflowY === 'scroll') return parent;
  }
  return null;
}
