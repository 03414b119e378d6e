/** True for C0 control characters and DEL: what turns one line of text into several. */
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** Whether the text holds a control character (line breaks, tabs, escapes). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/** The text with every control character replaced by a space, so it stays on one line. */
export function oneLine(text: string): string {
  return Array.from(text, (ch) => (isControl(ch.charCodeAt(0)) ? ' ' : ch)).join('');
}

/** A value a diagnostic can quote: what was read in a field. */
export type FoundValue = string | number | boolean;

/**
 * The wording of every value a diagnostic refuses: `FIELD must be RULE (found VALUE)`, with
 * the value as JSON writes it (strings quoted, control characters escaped), so the reader sees
 * exactly what was read, spaces and all. Without a value (not a scalar) the parenthesis is left out.
 */
export function mustBe(field: string, rule: string, found?: FoundValue): string {
  return `${field} must be ${rule}${found === undefined ? '' : ` (found ${JSON.stringify(found)})`}`;
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
