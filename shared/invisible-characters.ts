import { quotedFound, quotedName } from './text';

/*
 * Names that look like others: a zero-width space or joiner pasted from a web page or a chat
 * makes `web\u200b-1` a second name that shows as `web-1`. Selectors, edge ends and traces then
 * miss it, or hold both, with nothing on the screen to tell why.
 */

/** Unicode's format characters (Cf): they show as nothing, in a name as anywhere. */
const INVISIBLE = /\p{Cf}/u;

/** The names of the ones a paste brings most often, as Unicode names them. */
const NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE, the byte-order mark',
};

/**
 * Why `value` cannot be a `field` (`workload name`) when it holds an invisible character: which
 * one (its code point and name) and at which character, counted from 1; undefined when it holds
 * none. Pure.
 */
export function invisibleCharacterProblem(field: string, value: string): string | undefined {
  const characters = Array.from(value);
  const index = characters.findIndex((ch) => INVISIBLE.test(ch));
  if (index < 0) return undefined;
  const code = characters[index]!.codePointAt(0)!;
  const unicode = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const what = NAMES[code] === undefined ? `${unicode}, an invisible formatting character` : `${unicode} (${NAMES[code]})`;
  const seen = characters.filter((ch) => !INVISIBLE.test(ch)).join('');
  return `${field} ${quotedFound(value)} holds ${what} at character ${index + 1}, which shows as nothing: it looks like ${quotedName(seen)} but is another name; delete it`;
}
