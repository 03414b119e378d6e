import { describe, expect, it } from 'vitest';
import { invisibleCharacterProblem } from './invisible-characters';

describe('invisibleCharacterProblem', () => {
  it.each([
    ['\u200b', 'U+200B (ZERO WIDTH SPACE)'],
    ['\u200c', 'U+200C (ZERO WIDTH NON-JOINER)'],
    ['\u200d', 'U+200D (ZERO WIDTH JOINER)'],
    ['\u2060', 'U+2060 (WORD JOINER)'],
    ['\ufeff', 'U+FEFF (ZERO WIDTH NO-BREAK SPACE, the byte-order mark)'],
  ])('names the field, the character %j and where it is, with the name escaped', (ch, named) => {
    const escaped = `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    expect(invisibleCharacterProblem('workload name', `web${ch}-1`)).toBe(
      `workload name "web${escaped}-1" holds ${named} at character 4, which shows as nothing: it looks like "web-1" but is another name; delete it`,
    );
  });

  it('counts characters, not UTF-16 units, and names a rarer one by its code point', () => {
    expect(invisibleCharacterProblem('edge id', '🔒a\u{e0041}')).toMatch(/^edge id "🔒a\\u\{e0041\}" holds U\+E0041, an invisible formatting character at character 3,/);
  });

  it('has nothing to say of a name that shows all it holds, spaces and other scripts too', () => {
    for (const name of ['web-1', 'web 1', 'ünïcode', 'עברית', 'web\u00a01']) expect(invisibleCharacterProblem('workload name', name)).toBeUndefined();
  });
});
