/**
 * Appends every item to `target` in order. Unlike `target.push(...items)`, which passes each
 * item as an argument and overflows the call stack past about 100,000 of them, any length works.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
