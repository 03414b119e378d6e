import { describe, expect, it } from 'vitest';
import { keepUnchanged } from './keep-unchanged';

interface Item {
  id: string;
  value: number;
}

const same = (a: Item, b: Item): boolean => a.value === b.value;

describe('unchanged elements keep their objects', () => {
  const before: Item[] = [
    { id: 'a', value: 1 },
    { id: 'b', value: 2 },
  ];

  it('gives back the previous list when nothing changed', () => {
    expect(keepUnchanged(before, [{ id: 'a', value: 1 }, { id: 'b', value: 2 }], same)).toBe(before);
  });

  it('keeps the unchanged element and takes the changed one', () => {
    const changed = { id: 'b', value: 3 };
    const after = keepUnchanged(before, [{ id: 'a', value: 1 }, changed], same);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(changed);
  });

  it('a new list for an element added, removed or moved in the order', () => {
    const added = keepUnchanged(before, [...before, { id: 'c', value: 0 }], same);
    expect(added).not.toBe(before);
    expect(added.slice(0, 2)).toEqual(before);
    expect(keepUnchanged(before, [{ id: 'a', value: 1 }], same)).toEqual([before[0]]);
    const swapped = keepUnchanged(before, [{ id: 'b', value: 2 }, { id: 'a', value: 1 }], same);
    expect(swapped).not.toBe(before);
    expect(swapped[0]).toBe(before[1]);
  });
});
