/** True for C0 control characters and DEL: what turns one line of text into several. */
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** Whether the text holds a control character (line breaks, tabs, escapes). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Bidirectional embeddings, overrides and isolates, which reorder the rest of a line as shown,
 * and the line and paragraph separators, which some log viewers break a line at.
 */
function reshapesLine(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x2028 || code === 0x2029;
}

/**
 * User-provided text (a name, a label, a connection log's end, a file name) made safe to print
 * to a terminal: every control character, C1 ones too, is written as an escape (`\n`,
 * `\u001b`), so the text can neither forge an output line nor send the terminal a command, and
 * so is a character that reorders or breaks the line as shown (`\u202e`), so it cannot disguise
 * what follows it. Other text, backslashes included, is left as it is. Pure; for text output
 * only (JSON escapes on its own).
 */
export function printable(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    // C1 controls (0x80-0x9f) include CSI, which some terminals take as ESC [.
    if (!isControl(code) && !(code >= 0x80 && code <= 0x9f) && !reshapesLine(code)) return ch;
    return ESCAPES[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`;
  }).join('');
}

/**
 * The text as a JSON string, with DEL and C1 controls escaped too (JSON leaves them): quotes and
 * backslashes cannot end it early and no character can break its line, so it fits in a comment
 * of a generated file and reads back with JSON.parse. Pure.
 */
export function quotedLiteral(text: string): string {
  return printable(JSON.stringify(text));
}

/** The text with every control character replaced by a space, so it stays on one line. */
export function oneLine(text: string): string {
  return Array.from(text, (ch) => (isControl(ch.charCodeAt(0)) ? ' ' : ch)).join('');
}

/** How much of a long name a message quotes: enough to recognise it, short enough to stay one line. */
const QUOTED_NAME_HEAD = 60;

/**
 * A name (or a value) the user gave, for a message: one longer than 60 characters is written as
 * its first 60, then "…" and its length, so one pasted by mistake (a whole line, a file) cannot
 * flood the panel or the terminal that shows the message. Shorter ones are left as they are. Pure.
 */
export function shortName(name: string): string {
  return name.length <= QUOTED_NAME_HEAD ? name : `${headOf(name)}… (${lengthOf(name)})`;
}

/** shortName in double quotes: `"web-1"`, or `"AAAA…" (100,000 characters)` for a long one. Pure. */
export function quotedName(name: string): string {
  return name.length <= QUOTED_NAME_HEAD ? `"${name}"` : `"${headOf(name)}…" (${lengthOf(name)})`;
}

function headOf(name: string): string {
  // Never cut a surrogate pair in two: the head would end in half a character.
  const cut = isHighSurrogate(name.charCodeAt(QUOTED_NAME_HEAD - 1)) ? QUOTED_NAME_HEAD - 1 : QUOTED_NAME_HEAD;
  return name.slice(0, cut);
}

function lengthOf(name: string): string {
  return `${name.length.toLocaleString('en-US')} characters`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A value a diagnostic can quote: what was read in a field. */
export type FoundValue = string | number | boolean;

/**
 * The wording of every value a diagnostic refuses: `FIELD must be RULE (found VALUE)`, with
 * the value as JSON writes it (strings quoted, control characters escaped), so the reader sees
 * exactly what was read, spaces and all (a string longer than 60 characters by its head and its
 * length). Without a value (not a scalar) the parenthesis is left out.
 */
export function mustBe(field: string, rule: string, found?: FoundValue): string {
  return `${field} must be ${rule}${found === undefined ? '' : ` (found ${quotedFound(found)})`}`;
}

/**
 * A found value as JSON writes it, with the characters that show as nothing escaped (see UNSEEN);
 * a string longer than 60 characters shortened as quotedName does, so one pasted by mistake cannot
 * flood the message. Pure.
 */
export function quotedFound(found: FoundValue): string {
  if (typeof found !== 'string') return JSON.stringify(found);
  if (found.length <= QUOTED_NAME_HEAD) return unseenEscaped(JSON.stringify(found));
  return `${unseenEscaped(JSON.stringify(`${headOf(found)}…`))} (${lengthOf(found)})`;
}

/**
 * Characters that show as nothing or as a plain space: zero-width spaces and joiners, the byte
 * order mark, soft hyphens, no-break and other Unicode spaces (a spreadsheet or a web page
 * pastes them). In a refused value they are usually why it was refused, so they are written as
 * escapes: `"frontend\u200b"` rather than a `"frontend"` that looks right.
 */
const UNSEEN = /(?! )[\p{Cf}\p{Zs}]/gu;

function unseenEscaped(text: string): string {
  return text.replace(UNSEEN, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `FIELD must be one of A, B, C (found VALUE)`: a value outside a fixed set. */
export function mustBeOneOf(field: string, allowed: readonly FoundValue[], found?: FoundValue): string {
  return mustBe(field, allowed.length === 1 ? JSON.stringify(allowed[0]) : `one of ${allowed.join(', ')}`, found);
}

/**
 * Splits on commas that are not inside parentheses, trimming each part: `a, f(b, c)` gives
 * `a` and `f(b, c)`. An empty text gives no parts; an empty part between commas is kept.
 */
export function splitOutsideParentheses(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current.trim());
  return parts;
}
