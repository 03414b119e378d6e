import { describe, expect, it } from 'vitest';
import type { FlowMatch } from '../simulator/flow-model';
import { MatchLists } from './match-lists';

describe('MatchLists', () => {
  it('numbers lists of the same match objects in the same order alike, and every other list apart', () => {
    const [a, b, c] = [{}, {}, {}] as FlowMatch[];
    const lists = new MatchLists();
    const ab = lists.numberOf([a!, b!]);
    expect(lists.numberOf([a!, b!])).toBe(ab);
    const others = [[b!, a!], [a!], [a!, b!, c!], [a!, b!, b!], [{ ...a! }, b!], []].map((list) => lists.numberOf(list));
    expect(new Set([ab, ...others]).size).toBe(7);
    // Long lists after short ones: the scratch grows and earlier numbers stay.
    const long = Array.from({ length: 300 }, () => ({}));
    const n = lists.numberOf(long);
    expect(lists.numberOf([...long])).toBe(n);
    expect(lists.numberOf([a!, b!])).toBe(ab);
  });
});
