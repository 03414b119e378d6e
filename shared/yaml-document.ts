import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { appendAll } from './arrays';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { mustBe, mustBeOneOf } from './text';
import { readPlainYaml, type PlainYaml } from './yaml-plain';

/** A parsed YAML document that can point diagnostics at lines and columns. */
export interface LocatedDocument {
  doc: Document;
  /** The document as plain data (aliases resolved), computed once when it was parsed. */
  value: unknown;
  /**
   * Turns a dotted data path into file, line and column (the deepest node that exists); with
   * `'key'`, the place of the last segment's key rather than its value, where a misspelt key is.
   */
  locate(path: string, at?: 'key'): SourceLocation;
}

/**
 * The longest YAML text read, in characters (about bytes). Keeping every node's position costs
 * about a hundred times the text in memory: 50,000 workloads (18 MB) took 1.7 GB, and 50 MB ran
 * out of memory after two minutes. Above this, the author hears so at once and can use CSV.
 */
export const MAX_YAML_LENGTH = 24 * 1024 * 1024;

export type LocatedParse = { ok: true; value: LocatedDocument } | { ok: false; diagnostics: Diagnostic[] };

/**
 * The `yaml` library's LineCounter, but with a byte-order mark (as Notepad saves) in no column:
 * the library counts it as a character, so whatever is on the first line was placed one column
 * to the right of where an editor shows it.
 */
function lineCounterFor(text: string): LineCounter {
  const counter = new LineCounter();
  if (!text.startsWith('\uFEFF')) return counter;
  const linePos = counter.linePos;
  counter.linePos = (offset) => {
    const pos = linePos(offset);
    return pos.line === 1 && pos.col > 1 ? { line: 1, col: pos.col - 1 } : pos;
  };
  return counter;
}

/** Parses YAML text; syntax errors come back as diagnostics with line and column. */
export function parseLocatedYaml(text: string, file: string, syntaxCode: string): LocatedParse {
  const refused = tooLarge(text, file, syntaxCode) ?? tooDeep(text, file, syntaxCode);
  if (refused) return { ok: false, diagnostics: [refused] };
  const lineCounter = lineCounterFor(text);
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { ok: false, diagnostics: [parseFailure(error, file, syntaxCode)] };
  }
  if (doc.errors.length > 0) return { ok: false, diagnostics: syntaxDiagnostics(doc, lineCounter, file, syntaxCode) };
  return locatedWithValue(doc, lineCounter, file, syntaxCode);
}

/**
 * The document as plain data, read quickly (yaml-plain.ts, by js-yaml) when that read holds and
 * `parseLocatedYaml` would not refuse it; undefined otherwise. Deterministic.
 */
export function readPlainDocument(text: string): PlainYaml | undefined {
  if (text.length > MAX_YAML_LENGTH || tooDeep(text, '', '')) return undefined;
  return readPlainYaml(text);
}

/**
 * Parses a YAML stream of several documents (`---` between them), each able to locate its
 * own paths; a syntax error in any document fails the whole stream, with line and column.
 */
export function parseLocatedYamlStream(text: string, file: string, syntaxCode: string): { ok: true; value: LocatedDocument[] } | { ok: false; diagnostics: Diagnostic[] } {
  const refused = tooLarge(text, file, syntaxCode) ?? tooDeep(text, file, syntaxCode);
  if (refused) return { ok: false, diagnostics: [refused] };
  const lineCounter = lineCounterFor(text);
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { ok: false, diagnostics: [parseFailure(error, file, syntaxCode)] };
  }
  // A stream with nothing but comments gives an empty list, or an EmptyStream with errors of its own.
  if (!Array.isArray(docs)) return { ok: false, diagnostics: syntaxDiagnostics(docs, lineCounter, file, syntaxCode) };
  const diagnostics = docs.flatMap((doc) => syntaxDiagnostics(doc, lineCounter, file, syntaxCode));
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const values: LocatedDocument[] = [];
  for (const doc of docs) {
    const one = locatedWithValue(doc, lineCounter, file, syntaxCode);
    if (!one.ok) appendAll(diagnostics, one.diagnostics);
    else values.push(one.value);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, value: values };
}

function tooLarge(text: string, file: string, code: string): Diagnostic | null {
  if (text.length <= MAX_YAML_LENGTH) return null;
  const mb = (n: number): number => Math.ceil(n / (1024 * 1024));
  const message = `the file is ${mb(text.length)} MB of YAML, more than the ${mb(MAX_YAML_LENGTH)} MB a YAML file may be (reading it needs gigabytes of memory); check that it is the right file (an inventory this large can be written as CSV)`;
  return { code, severity: 'error', message, location: { file, line: 1, column: 1 } };
}

const TOO_DEEP = 'the document is nested too deeply to read (brackets or indentation hundreds of levels deep); flatten it';

/** Deeper than any file of ours or of Kubernetes goes, and well short of where the parser's recursion gives out. */
const MAX_FLOW_DEPTH = 100;
const MAX_INDENT = 300;

/**
 * Refuses absurd nesting before the parser recurses into it: far enough down, the parser (or
 * V8 under it) can fail in ways no try/catch sees. Counts `[` and `{` outside quotes and
 * comments, and the column where a line's content starts (after indentation and `- `, `? `).
 */
function tooDeep(text: string, file: string, code: string): Diagnostic | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (atLineStart) {
      let j = i;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t' || ((text[j] === '-' || text[j] === '?') && /[ \t]/.test(text[j + 1] ?? '')))) j++;
      if (j - lineStart > MAX_INDENT && text[j] !== '\n' && text[j] !== '#') return { code, severity: 'error', message: TOO_DEEP, location: { file, line, column: j - lineStart + 1 } };
      atLineStart = false;
    }
    if (ch === '\n') {
      line++;
      lineStart = i + 1;
      atLineStart = true;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if ((ch === '"' || ch === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) {
      // Skip the quoted scalar, counting its lines; `\"` escapes in double quotes, `''` in single.
      for (i++; i < text.length; i++) {
        if (ch === '"' && text[i] === '\\') i++;
        else if (ch === "'" && text[i] === "'" && text[i + 1] === "'") i++;
        else if (text[i] === ch) break;
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
    } else if (ch === '[' || ch === '{') {
      if (++depth > MAX_FLOW_DEPTH) return { code, severity: 'error', message: TOO_DEEP, location: { file, line, column: i - lineStart + 1 } };
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}

/** A parser that gave up by throwing: only its own recursion does that, on absurdly deep nesting. */
function parseFailure(error: unknown, file: string, code: string): Diagnostic {
  const message = error instanceof RangeError ? TOO_DEEP : `YAML syntax: ${(error as Error).message}`;
  return { code, severity: 'error', message, location: { file, line: 1, column: 1 } };
}

/**
 * The document with its plain value. Resolving aliases can fail on hostile input, which is the
 * author's to fix, not a crash: an alias to an anchor it cannot see (one in another document, or
 * later), aliases that would expand without bound, nesting too deep to convert.
 */
function locatedWithValue(doc: Document, lineCounter: LineCounter, file: string, code: string): LocatedParse {
  const where = (node: Node | undefined): SourceLocation => {
    const start = node?.range?.[0] ?? doc.contents?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(start);
    return { file, line: pos.line, column: pos.col };
  };
  const key = collectionKey(doc);
  if (key) return { ok: false, diagnostics: [{ code, severity: 'error', message: COLLECTION_KEY, location: where(key) }] };
  try {
    return { ok: true, value: located(doc, doc.toJS({ maxAliasCount: 1000 }), lineCounter, file) };
  } catch (error) {
    const aliases: Alias[] = [];
    visit(doc, { Alias: (_, node) => void aliases.push(node) });
    const unresolved = aliases.find((a) => isAlias(a) && a.resolve(doc) === undefined);
    const message =
      unresolved ? `YAML alias *${unresolved.source} names no anchor before it in this document; anchors do not reach across "---"`
      : error instanceof ReferenceError ? 'YAML aliases here would expand into an enormous document (an alias bomb?); write the values out instead'
      : error instanceof RangeError ? TOO_DEEP
      : `YAML: ${(error as Error).message}`;
    return { ok: false, diagnostics: [{ code, severity: 'error', message, location: where(unresolved ?? aliases[0]) }] };
  }
}

const COLLECTION_KEY = 'YAML: this key is a list or a mapping; a key here is text (a field name, a label key), so write it as text, or quote it';

/**
 * The first mapping key that is a list or a mapping (`? [a, b]`, `{ a: 1 }: x`), or an alias of
 * one. No field of ours is named so, and plain data can hold it only as its YAML text, which the
 * library says in a process warning (stray lines on the CLI's stderr), not as a located error.
 */
function collectionKey(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key: unknown = isPair(pair) ? pair.key : undefined;
      if (isCollection(key) || (isAlias(key) && isCollection(key.resolve(doc)))) {
        found = key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The parser's words for a second document ask its caller to call another function; say what the author can do. */
const SECOND_DOCUMENT = 'YAML: a second document starts here ("---"); this file holds one document, so remove this "---" (and what follows, if it belongs elsewhere)';

function syntaxDiagnostics(doc: { errors: readonly { pos: [number, number]; message: string; code?: string }[] }, lineCounter: LineCounter, file: string, code: string): Diagnostic[] {
  // Past the parser's own stack overflow, every later error only echoes it: report that one.
  const overflow = doc.errors.find((e) => /Maximum call stack size exceeded/.test(e.message));
  return (overflow ? [overflow] : doc.errors).map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    // The parser reports its own stack overflow as a syntax error; say what it means.
    const text = /Maximum call stack size exceeded/.test(e.message) ? TOO_DEEP : e.code === 'MULTIPLE_DOCS' ? SECOND_DOCUMENT : `YAML syntax: ${e.message.split('\n')[0] ?? e.message}`;
    return {
      code,
      severity: 'error',
      message: text,
      location: { file, line: pos.line, column: pos.col },
    };
  });
}

function located(doc: Document, value: unknown, lineCounter: LineCounter, file: string): LocatedDocument {
  const locate = (path: string, at?: 'key'): SourceLocation => {
    const segments = path === '' ? [] : path.split('.');
    const steps = stepsAlong(doc, segments);
    const last = steps.at(-1)!;
    const whole = last.consumed === segments.length;
    const deepest = [...steps].reverse().find((step) => isNode(step.node) && step.node.range)?.node;
    const node = at === 'key' && whole && isNode(last.key) && last.key.range ? last.key : deepest;
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { file, line: pos.line, column: pos.col, path };
    }
    // A document further down a stream starts where its contents start, not on line 1.
    const start = doc.contents?.range?.[0];
    const pos = start === undefined ? { line: 1, col: 1 } : lineCounter.linePos(start);
    return { file, line: pos.line, column: pos.col, path };
  };
  return { doc, value, locate };
}

/** One node on the way down a dotted path: the key it is under, and how many segments of the path it took. */
interface Step {
  node: unknown;
  key?: unknown;
  consumed: number;
}

/**
 * The nodes along a dotted path from the document's root, as far as the document goes. A key
 * may hold dots (`app.kubernetes.io/name`, a label key), so at each mapping the longest run of
 * segments that is one of its keys is taken (a key as written first, else one with spaces around
 * it). Aliases are not followed: a path through one stops at it.
 */
function stepsAlong(doc: Document, segments: readonly string[]): Step[] {
  const steps: Step[] = [{ node: doc.contents, consumed: 0 }];
  for (let here = steps[0]!; here.consumed < segments.length; ) {
    const next = stepInto(here, segments);
    if (!next) break;
    steps.push(next);
    here = next;
  }
  return steps;
}

function stepInto(from: Step, segments: readonly string[]): Step | undefined {
  const i = from.consumed;
  if (isSeq(from.node)) {
    const item: unknown = /^\d+$/.test(segments[i]!) ? from.node.items[Number(segments[i])] : undefined;
    return item === undefined ? undefined : { node: item, consumed: i + 1 };
  }
  if (!isMap(from.node)) return undefined;
  for (let end = segments.length; end > i; end--) {
    const name = segments.slice(i, end).join('.');
    const keyText = (p: { key: unknown }): string | undefined => (isScalar(p.key) ? String(p.key.value) : undefined);
    // An inventory reads label keys without the spaces around them (` tier` is `tier`), and names them so in its paths.
    const pair = from.node.items.find((p) => keyText(p) === name) ?? from.node.items.find((p) => keyText(p)?.trim() === name);
    if (pair) return { node: pair.value, key: pair.key, consumed: end };
  }
  return undefined;
}

/**
 * A text field a file must fill: empty, or nothing but spaces, is refused in words that name
 * the field (`name must not be empty or only spaces`), not in zod's ("Too small: expected
 * string to have >=1 characters"). `base` is the string schema to check, e.g. one that trims.
 */
export function filledText(field: string, base: z.ZodString = z.string()): z.ZodString {
  return base.regex(/\S/, { error: `${field} must not be empty or only spaces` });
}

/** Turns schema failures into located diagnostics, one per problem (parse with `reportInput` to have a wrong value quoted). */
export function schemaDiagnostics(error: z.ZodError, located: Pick<LocatedDocument, 'locate'> & Partial<Pick<LocatedDocument, 'doc'>>, code: string): Diagnostic[] {
  const at = (path: string, message: string, where?: 'key'): Diagnostic => ({ code, severity: 'error', message: path === '' ? message : `${path}: ${message}`, location: located.locate(path, where) });
  return error.issues.flatMap((issue) => {
    // Unknown keys are reported on their object, all at once; each is said at the key itself, where the typo is.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => at([...issue.path.map(String), key].join('.'), key === '<<' ? MERGE_KEY : unknownField(key), 'key'));
    const message = issue.code === 'invalid_value' ? allowedValues(issue) : issue.code === 'invalid_type' ? wrongType(issue) + kindHint(issue, located.doc) : issue.message;
    return [at(issue.path.map(String).join('.'), message)];
  });
}

/** A key the file's format does not have, where zod says "Unrecognized key": most often a typo (`acton`, `lables`). */
function unknownField(key: string): string {
  return `"${key}" is no field here; check its spelling, or remove it`;
}

/** YAML 1.2, which these files are, has no merge key; its older readers (docker compose) do, so it is met. */
const MERGE_KEY = 'a merge key (<<: *anchor) is YAML 1.1 and not read here; write the fields out (an alias of a whole value, key: *anchor, is read)';

/** What each kind of value is called to someone writing YAML. */
const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  // A map of any keys, such as an inventory's labels: the same to whoever writes it.
  record: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/**
 * A value of the wrong kind, said in the file's terms: `revision must be a whole number (found
 * ".inf")`, and an empty document as such, where the parse says "expected object, received null".
 */
function wrongType(issue: z.core.$ZodIssueInvalidType): string {
  const input: unknown = issue.input;
  const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
  if (issue.path.length === 0) return input == null ? 'the document is empty; it must be a mapping that starts with apiVersion and kind' : `the document must be ${expected}`;
  const field = issue.path.filter((p) => typeof p === 'string').at(-1) ?? 'the value';
  // A field left out is missing, not of the wrong kind.
  if (input === undefined) return `${field} is missing; add it, as ${expected}`;
  // JSON writes Infinity and NaN as null: quote them as YAML would have them read.
  const found = typeof input === 'number' && !Number.isFinite(input) ? String(input) : typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean' ? input : undefined;
  return mustBe(field, expected, found);
}

/**
 * How to write a value of the wrong kind that is one slip away from the right one, as it stands
 * in the file (without a file, as it was read): text that YAML read as a number or true/false
 * (`name: 0123` is 123, its zero lost) quoted; a lone value where a list goes in brackets; a
 * quoted number unquoted; and a key with no value after it said to have none. Empty otherwise.
 */
function kindHint(issue: z.core.$ZodIssueInvalidType, doc: Document | undefined): string {
  const input: unknown = issue.input;
  const node: unknown = doc?.getIn(issue.path, true);
  const scalar = typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean';
  // Only a scalar is quoted back: String() of a mapping with a `toString` key throws.
  const written = isScalar(node) && typeof node.source === 'string' ? node.source : scalar ? String(input) : '';
  const field = issue.path.filter((p) => typeof p === 'string').at(-1) ?? 'the value';
  if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
    return `; YAML reads ${written} unquoted as a ${typeof input === 'number' ? 'number' : 'true/false value'}: to keep it as text, quote it, ${field}: ${JSON.stringify(written)}`;
  }
  if (issue.expected === 'array' && scalar) return `; a list of one is written in brackets: ${field}: [${written}]`;
  if ((issue.expected === 'number' || issue.expected === 'int') && typeof input === 'string' && /^\d+$/.test(input.trim())) return `; write it without quotes: ${field}: ${input.trim()}`;
  if (input === null && issue.path.length > 0) return '; it has no value (null): give it one';
  return '';
}

/**
 * A value outside a fixed set (an enum, a literal such as `kind`), said the same way for every
 * field: which values it may take, and what was found when the parse reported its input.
 */
function allowedValues(issue: z.core.$ZodIssueInvalidValue): string {
  const field = issue.path.filter((p) => typeof p === 'string').at(-1) ?? 'the value';
  const input: unknown = issue.input;
  const found = typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean' ? input : undefined;
  return mustBeOneOf(field, issue.values.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? v : String(v))), found);
}

/** The two kinds of Microseg file, and how each is opened, for a file given where the other is asked for. */
const FILE_KINDS: Record<string, string> = {
  Policy: 'a policy file (kind: Policy): open it as the policy (Open… in the app, the POLICY argument of microseg)',
  Inventory: 'an inventory file (kind: Inventory): open it as an inventory (Open inventory file in the app, --inventory of microseg)',
};

/**
 * When a document is the other kind of Microseg file than `expected` (a policy given as the
 * inventory, or the other way round), the one diagnostic that says so, at its `kind`; every
 * other complaint of the schema would only echo it. Undefined for any other document.
 */
export function otherKindDiagnostic(located: LocatedDocument, expected: 'Policy' | 'Inventory', code: string): Diagnostic | undefined {
  const kind = (located.value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || kind === expected || !(kind in FILE_KINDS)) return undefined;
  return { code, severity: 'error', message: `this is ${FILE_KINDS[kind]!}, not ${expected === 'Policy' ? 'a policy' : 'an inventory'}; give the ${expected.toLowerCase()} file here instead`, location: located.locate('kind') };
}
