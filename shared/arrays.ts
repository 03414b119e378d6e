/**
 * Appends every item to `target` in order. Unlike `target.push(...items)`, which passes each
 * item as an argument and overflows the call stack past about 100,000 of them, any length works.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Appends `item` to the list `map` keeps under `key`, starting the list when there is none. */
export function pushUnder<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The number `key` has in `ids`, giving it the next one (0, 1, …) the first time: numbering keys as they are first seen. */
export function intern<K>(ids: Map<K, number>, key: K): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

/** Sets array[index], filling a gap with undefined first: a write far past the end would turn the array into a slow dictionary. */
export function storeAt<T>(array: (T | undefined)[], index: number, value: T): void {
  while (array.length < index) array.push(undefined);
  array[index] = value;
}

/** A copy of a typed array lengthened to `length`, the new part set to `fill`. */
export function lengthened(array: Int32Array, length: number, fill: number): Int32Array {
  const longer = new Int32Array(length);
  longer.set(array);
  // A new typed array is zeroed already; only the part past the copy needs another fill.
  if (fill !== 0) longer.fill(fill, array.length);
  return longer;
}
