/**
 * `next`, with every element equal (by `same`) to the previous element of its id replaced by
 * that previous object; `previous` itself when nothing changed at all. React Flow redraws a node
 * or edge whenever its object is new, so at thousands of groups an edit of one, or a save,
 * must not hand it thousands of new objects.
 */
export function keepUnchanged<T extends { id: string }>(previous: T[], next: T[], same: (a: T, b: T) => boolean): T[] {
  const before = new Map(previous.map((element) => [element.id, element]));
  let changed = previous.length !== next.length;
  const kept = next.map((element, index) => {
    const old = before.get(element.id);
    const keep = old !== undefined && same(old, element);
    if (!keep || previous[index] !== old) changed = true;
    return keep ? old : element;
  });
  return changed ? kept : previous;
}

/** Same items in the same order, compared by reference. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((item, i) => item === b[i]));
}
