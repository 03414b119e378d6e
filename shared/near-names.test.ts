import { describe, expect, it } from 'vitest';
import { didYouMean, nearNames } from './near-names';

describe('nearNames', () => {
  it('offers the names that differ in case only, before any a slip away', () => {
    expect(nearNames('FE-1', ['fe-10', 'fe-1', 'Fe-1'])).toEqual(['fe-1', 'Fe-1']);
    expect(nearNames('fe-l', ['web-1', 'fe-12', 'fe-1'])).toEqual(['fe-1']);
    // The nearest first: two neighbours swapped before a letter deleted and two swapped.
    expect(nearNames('inventroy', ['invent', 'inventor', 'inventory'])).toEqual(['inventory', 'inventor']);
  });

  it('allows a slip per four letters, so a short name does not match anything short', () => {
    expect(nearNames('db', ['fe', 'db-1', 'dc'])).toEqual(['dc']);
    expect(nearNames('inventroy', ['inventory', 'in'])).toEqual(['inventory']);
  });

  it('compares no pasted line, and offers a name once', () => {
    expect(nearNames('a'.repeat(101), ['a'.repeat(101)])).toEqual([]);
    expect(nearNames('web', ['weB', 'weB'])).toEqual(['weB']);
  });
});

describe('didYouMean', () => {
  it('lists up to three names, or says nothing of none', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['port'], '--')).toBe(' (did you mean --port?)');
    expect(didYouMean(['a', 'b', 'c', 'd'])).toBe(' (did you mean a, b or c?)');
  });
});
