/**
 * A quick reader for the plain subset of YAML that generated and hand-written files keep to:
 * block mappings and sequences, one-line flow collections, and one-line scalars. It is about a
 * tenth of the `yaml` library's located parse, which keeps a node with its position for every
 * value (50,000 workloads: 5–6 s). Anything outside the subset, or anything the subset might read
 * otherwise than the library (anchors, tags, block scalars, escapes, numbers other than decimal
 * integers, repeated keys, a line it cannot place), gives undefined, and the caller parses with
 * the library, which reads it or says what is wrong and where.
 */

/** Where a mapping or sequence starts, 1-based, as the library's `linePos` counts. */
export interface PlainPosition {
  line: number;
  column: number;
}

/** A document read by `readPlainYaml`: its plain value, and where its mappings and lists start. */
export interface PlainYaml {
  /** The document as the library's `toJS()` gives it (plain objects, arrays, strings, integers, booleans, null). */
  value: unknown;
  /** Where a mapping or sequence of `value` starts; undefined for anything else. */
  startOf(collection: object): PlainPosition | undefined;
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class OutsideSubset extends Error {}

const MAX_FLOW_DEPTH = 100;
const MAX_KEY_LENGTH = 1000;

/** Reads `text` if it keeps to the subset; deterministic, and never throws. */
export function readPlainYaml(text: string): PlainYaml | undefined {
  // A tab, a byte-order mark or a lone carriage return each have rules of their own.
  if (/[\t\uFEFF]|\r(?!\n)/.test(text)) return undefined;
  try {
    return new PlainReader(text.split(/\r?\n/)).document();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

function outside(): never {
  throw new OutsideSubset();
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const DECIMAL = /^[0-9]{1,15}$/;
/** The core schema's other numbers (signed, octal, hex, floats, infinities): left to the library. */
const OTHER_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
/** Characters that start something other than a plain scalar (or may: `-`, `?`, `:`). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** A plain scalar's value under the core schema. */
function plainValue(source: string): unknown {
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (DECIMAL.test(source)) return Number(source);
  if (OTHER_NUMBER.test(source) || INDICATOR.test(source)) outside();
  return source;
}

class PlainReader {
  private row = 0;
  /** Where the current row's content starts: its indentation, or further right after `- `. */
  private column = 0;
  // A Map, not a WeakMap: the reading is short-lived, and 250,000 weak entries cost the collector more than the read itself.
  private readonly starts = new Map<object, PlainPosition>();

  constructor(private readonly lines: readonly string[]) {}

  document(): PlainYaml {
    this.skipBlank();
    if (this.atEnd() || this.column !== 0 || this.isSequenceItem()) outside();
    const value = this.mapping(0);
    this.skipBlank();
    if (!this.atEnd()) outside();
    return { value, startOf: (collection) => this.starts.get(collection) };
  }

  private get line(): string {
    return this.lines[this.row]!;
  }

  private atEnd(): boolean {
    return this.row >= this.lines.length;
  }

  /** Moves to the next row holding more than spaces and a comment; directives and document markers are left to the library. */
  private skipBlank(): void {
    for (; !this.atEnd(); this.row++) {
      const line = this.line;
      let i = 0;
      while (line[i] === ' ') i++;
      if (line.startsWith('---') || line.startsWith('...') || line.startsWith('%')) outside();
      if (i < line.length && line[i] !== '#') {
        this.column = i;
        return;
      }
    }
  }

  private nextRow(): void {
    this.row++;
    this.skipBlank();
  }

  private isSequenceItem(): boolean {
    const after = this.line[this.column + 1];
    return this.line[this.column] === '-' && (after === undefined || after === ' ');
  }

  private remember<T extends object>(collection: T, row: number, column: number): T {
    this.starts.set(collection, { line: row + 1, column: column + 1 });
    return collection;
  }

  /** A block mapping whose keys stand at `indent`. */
  private mapping(indent: number): Record<string, unknown> {
    const map = this.remember<Record<string, unknown>>({}, this.row, this.column);
    while (!this.atEnd() && this.column >= indent) {
      // A deeper row goes on with the value above it (or is an error), and a `-` here is an error: the library says which.
      if (this.column > indent || this.isSequenceItem()) outside();
      const { key, end } = this.key(this.column);
      if (Object.hasOwn(map, key) || key === '__proto__') outside();
      const valueAt = skipSpaces(this.line, end);
      if (valueAt >= this.line.length || this.line[valueAt] === '#') {
        this.nextRow();
        // A sequence may stand at its key's own indentation.
        map[key] = this.atEnd() ? null : this.column > indent ? this.block() : this.column === indent && this.isSequenceItem() ? this.sequence(indent) : null;
      } else {
        map[key] = this.inline(valueAt);
        this.nextRow();
      }
    }
    return map;
  }

  /** A block sequence whose `-` stand at `indent`. */
  private sequence(indent: number): unknown[] {
    const list = this.remember<unknown[]>([], this.row, this.column);
    while (!this.atEnd() && this.column === indent && this.isSequenceItem()) {
      const itemAt = skipSpaces(this.line, indent + 1);
      // An item on the lines below its `-` (or a comment there), or a list in a list: left to the library.
      if (itemAt >= this.line.length || this.line[itemAt] === '#' || this.line[itemAt] === '-') outside();
      if (this.startsEntry(itemAt)) {
        this.column = itemAt;
        list.push(this.mapping(itemAt));
      } else {
        list.push(this.inline(itemAt));
        this.nextRow();
      }
    }
    if (!this.atEnd() && this.column > indent) outside();
    return list;
  }

  /** The block under a key whose value is on the lines below. */
  private block(): unknown {
    return this.isSequenceItem() ? this.sequence(this.column) : this.mapping(this.column);
  }

  /** Whether a mapping entry (`key: ...`) starts at `at`; a flow collection as a key is left to the library. */
  private startsEntry(at: number): boolean {
    const line = this.line;
    if (line[at] === '[' || line[at] === '{') return false;
    if (line[at] === '"' || line[at] === "'") {
      const close = line.indexOf(line[at], at + 1);
      return close > 0 && line[skipSpaces(line, close + 1)] === ':';
    }
    return /:(?: |$)/.test(line.slice(at).split(' #')[0]!);
  }

  private key(at: number): { key: string; end: number } {
    const line = this.line;
    let key: unknown;
    let end: number;
    if (line[at] === '"' || line[at] === "'") {
      ({ value: key, end } = quoted(line, at));
      end = skipSpaces(line, end);
    } else {
      end = line.search(/:(?: |$)/);
      const source = withoutTrailingSpaces(line.slice(at, end));
      if (end < at || source.includes(' #')) outside();
      key = plainValue(source);
    }
    // The library takes a key of at most 1024 characters, and a value right after a quoted key's colon.
    const afterColon = line[end + 1];
    if (typeof key !== 'string' || line[end] !== ':' || end - at > MAX_KEY_LENGTH || (afterColon !== undefined && afterColon !== ' ')) outside();
    return { key, end: end + 1 };
  }

  /** A value that ends on this row: a flow collection, a quoted or a plain scalar. */
  private inline(at: number): unknown {
    const line = this.line;
    let value: unknown;
    let end: number;
    if (line[at] === '[' || line[at] === '{') ({ value, end } = this.flow(at, 1));
    else if (line[at] === '"' || line[at] === "'") ({ value, end } = quoted(line, at));
    else {
      const comment = line.indexOf(' #', at);
      end = comment < 0 ? line.length : comment;
      const source = withoutTrailingSpaces(line.slice(at, end));
      if (/: |:$/.test(source)) outside();
      value = plainValue(source);
    }
    const rest = skipSpaces(line, end);
    if (rest < line.length && (line[rest] !== '#' || rest === end)) outside();
    return value;
  }

  /** `[a, b]` or `{ k: v }` closed on this row, with what follows it. */
  private flow(at: number, depth: number): { value: unknown; end: number } {
    if (depth > MAX_FLOW_DEPTH) outside();
    const line = this.line;
    const isMap = line[at] === '{';
    const value = this.remember<Record<string, unknown> | unknown[]>(isMap ? {} : [], this.row, at);
    const close = isMap ? '}' : ']';
    let i = skipSpaces(line, at + 1);
    if (line[i] === close) return { value, end: i + 1 };
    for (;;) {
      const itemAt = i;
      const item = this.flowNode(i, depth);
      i = skipSpaces(line, item.end);
      if (isMap) {
        if (typeof item.value !== 'string' || line[i] !== ':' || line[i + 1] !== ' ' || i - itemAt > MAX_KEY_LENGTH) outside();
        const map = value as Record<string, unknown>;
        if (Object.hasOwn(map, item.value) || item.value === '__proto__') outside();
        const entry = this.flowNode(skipSpaces(line, i + 1), depth);
        map[item.value] = entry.value;
        i = skipSpaces(line, entry.end);
      } else {
        (value as unknown[]).push(item.value);
      }
      if (line[i] === close) return { value, end: i + 1 };
      if (line[i] !== ',') outside();
      i = skipSpaces(line, i + 1);
      // A trailing comma, or an entry with no value, is left to the library.
      if (line[i] === close || line[i] === ',') outside();
    }
  }

  private flowNode(at: number, depth: number): { value: unknown; end: number } {
    const line = this.line;
    if (line[at] === '[' || line[at] === '{') return this.flow(at, depth + 1);
    if (line[at] === '"' || line[at] === "'") return quoted(line, at);
    let end = at;
    while (end < line.length && !',[]{}'.includes(line[end]!) && !(line[end] === ':' && /^[ ,\]}]?$/.test(line[end + 1] ?? '')) && !(line[end] === '#' && line[end - 1] === ' ')) end++;
    const source = withoutTrailingSpaces(line.slice(at, end));
    // Running off the row means the collection goes on below it: left to the library.
    if (source === '' || end >= line.length || '[{#'.includes(line[end]!)) outside();
    return { value: plainValue(source), end };
  }
}

/** Only spaces end a plain scalar: the library keeps a no-break space, which `trimEnd` would drop. */
function withoutTrailingSpaces(text: string): string {
  let end = text.length;
  while (text[end - 1] === ' ') end--;
  return text.slice(0, end);
}

function skipSpaces(line: string, at: number): number {
  while (line[at] === ' ') at++;
  return at;
}

/** A quoted scalar closed on this row; escapes in double quotes are left to the library. */
function quoted(line: string, at: number): { value: string; end: number } {
  const quote = line[at]!;
  if (quote === '"') {
    const close = line.indexOf('"', at + 1);
    if (close < 0 || line.slice(at + 1, close).includes('\\')) outside();
    return { value: line.slice(at + 1, close), end: close + 1 };
  }
  let value = '';
  for (let i = at + 1; i < line.length; i++) {
    if (line[i] !== "'") value += line[i];
    else if (line[i + 1] === "'") value += line[i++];
    else return { value, end: i + 1 };
  }
  return outside();
}
