import { useState } from 'react';
import { keepUnchanged } from '../model/keep-unchanged';

/**
 * `next`, with each element that `same` finds unchanged since the last render kept as the object
 * it was then (and the last array itself when none changed): React Flow redraws only the nodes and
 * edges it is handed anew.
 */
export function useKeptElements<T extends { id: string }>(next: T[], same: (a: T, b: T) => boolean): T[] {
  const [kept, setKept] = useState({ from: next, elements: next });
  if (kept.from === next) return kept.elements;
  const elements = keepUnchanged(kept.elements, next, same);
  setKept({ from: next, elements });
  return elements;
}
