import { describe, expect, it } from 'vitest';
import { ActionLists } from './action-lists';
import { FlowTexts } from './flow-texts';
import { MatchIds } from './match-ids';

const text = (code: number): string => `c${code}`;

describe('ActionLists', () => {
  it('gives matches that serve the same rules one list and one action array', () => {
    const texts = new FlowTexts(new MatchIds());
    const lists = new ActionLists(texts);
    const actions = (list: number): string[] => texts.actionList(lists.actions(list, text));
    // Codes come in ascending order, each in one pass over its clause's matches.
    const passes: [number, string[]][] = [
      [5, ['a', 'b', 'e']],
      [9, ['b', 'c']],
      [13, ['a', 'b', 'e', 'd']],
    ];
    const listOf = new Map<string, number>();
    for (const [code, matches] of passes) for (const m of matches) listOf.set(m, lists.append(listOf.get(m) ?? 0, code));
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((m) => listOf.get(m)!);

    expect(actions(a!)).toEqual(['c5', 'c13']);
    expect(actions(b!)).toEqual(['c5', 'c9', 'c13']);
    expect(actions(c!)).toEqual(['c9']);
    expect(actions(d!)).toEqual(['c13']);
    expect(e).toBe(a);
    expect(lists.actions(e!, text)).toBe(lists.actions(a!, text));
    expect(texts.actionListCount).toBe(4);
    expect([lists.lengthOf(b!), lists.firstCode(b!), lists.firstCode(d!)]).toEqual([3, 5, 13]);
  });

  it('starts afresh after clear, however many lists it held', () => {
    const texts = new FlowTexts(new MatchIds());
    const lists = new ActionLists(texts);
    let list = 0;
    for (let code = 1; code <= 5000; code++) list = lists.append(list, code);
    expect(lists.lengthOf(list)).toBe(5000);
    lists.clear();
    const again = lists.append(0, 7);
    expect(texts.actionList(lists.actions(again, text))).toEqual(['c7']);
  });
});
