import { useEffect, type JSX, type ReactNode } from 'react';
import { useVirtualRows, type VirtualRowsOptions } from '../../hooks/use-virtual-rows';

interface VirtualListProps<T> extends VirtualRowsOptions<T> {
  /** One row's content; the list wraps it in its own `li`. */
  row: (item: T) => ReactNode;
  className: string;
  /** A row to scroll into view, drawn or not; each new `request` scrolls to it again. */
  reveal?: { index: number; request: number } | null;
}

/** A list that draws only the rows in or near view (see useVirtualRows). */
export function VirtualList<T>({ row, className, reveal, ...options }: VirtualListProps<T>): JSX.Element {
  const { ref, virtualizer, offset } = useVirtualRows(options);
  const revealIndex = reveal?.index;
  const revealRequest = reveal?.request;
  useEffect(() => {
    if (revealIndex !== undefined) virtualizer.scrollToIndex(revealIndex, { align: 'center' });
  }, [virtualizer, revealIndex, revealRequest]);
  return (
    <ul ref={ref} className={className} style={{ position: 'relative', height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((item) => (
        <li
          key={item.key}
          data-index={item.index}
          ref={virtualizer.measureElement}
          style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start - offset}px)` }}
        >
          {row(options.items[item.index]!)}
        </li>
      ))}
    </ul>
  );
}
