// Test support only: YAML documents made from a valid one by structure-aware mutation, for the
// property tests that hold every reader to its promise (a value or located diagnostics, never a
// throw). Pure TypeScript, so both shared/ and electron/ tests can use it.
import fc from 'fast-check';
import { Document, isCollection, isMap, Pair, parseAllDocuments, parseDocument, visit, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import { formatDiagnostic } from '../diagnostics';

/** A key of a mapping or an index of a list. */
export type PathSegment = string | number;

/** One edit of the plain document; `at` and `from` pick a place by index, modulo the places there are. */
export type Edit =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'add-key'; at: number; key: string; value: unknown }
  | { kind: 'copy'; at: number; from: number }
  | { kind: 'set-text'; at: number; value: string }
  | { kind: 'duplicate-item'; at: number }
  | { kind: 'remove-item'; at: number };

/** One change of the YAML as written, beyond its data: what only a YAML writer can do wrong. */
export type Decoration =
  | { kind: 'alias'; at: number; to: number }
  | { kind: 'dangling-alias'; at: number }
  | { kind: 'tag'; at: number; tag: string }
  | { kind: 'duplicate-key'; at: number }
  | { kind: 'flow'; at: number }
  | { kind: 'second-document'; value: unknown }
  | { kind: 'text-edit'; at: number; insert: string; remove: number };

export interface Mutation {
  edits: Edit[];
  decorations: Decoration[];
  crlf: boolean;
}

/** Nested lists this many levels deep: deeper than any real file, short of what the readers refuse outright. */
function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

/** Text that a field of text may be given and must still be reported, not crash on. */
const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '  \t',
    'NaN',
    '.nan',
    '-.inf',
    '-0',
    '1e999',
    '0x10',
    '~',
    'null',
    'true',
    'yes',
    '*',
    '/',
    '=',
    ',',
    'a=b',
    'tcp/',
    'tcp/0',
    'tcp/65536',
    'tcp/9010-9000',
    '__proto__',
    'constructor',
    'toString',
    '10.0.0.0/8',
    '::',
    '::ffff:10.0.0.1',
    'tier in (a,b)',
    '!x',
    'x'.repeat(300),
    'é'.repeat(70),
  ),
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      '0',
      '-',
      '.',
      '/',
      '=',
      ',',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u00a0',
      '\u2028',
      '\u200b',
      '\ufeff',
      '\ud83d\ude00',
      '\ud800',
      '"',
      "'",
      '#',
      ':',
      '*',
      '&',
      '!',
      '%',
      '@',
      '`',
      '\\',
    ),
    maxLength: 40,
  }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 1, max: 4 }).map((n) => 'a'.repeat(n * 10_000)),
);

/** Any value of the wrong type, or of the right one but out of range: what a mutation puts in a place. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    65536,
    2 ** 53 + 2,
    -(2 ** 63),
    1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    {},
    [],
    [null],
    { '': '' },
  ),
  fc.integer(),
  fc.double(),
  oddText,
  fc.array(oddText, { maxLength: 3 }),
  fc.dictionary(oddText, oddText, { maxKeys: 3 }),
  fc.integer({ min: 20, max: 140 }).map(nested),
);

/** Keys to add: names of real fields (in the wrong place), typos, and odd text. */
const addedKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'name',
    'kind',
    'labels',
    'selector',
    'services',
    'spec',
    'items',
    'workloads',
    'groups',
    'edges',
    'Name',
    'lables',
    '<<',
    '__proto__',
    'constructor',
    '',
  ),
  oddText,
);

const TAGS = [
  '!!str',
  '!!int',
  '!!float',
  '!!bool',
  '!!null',
  '!!binary',
  '!!timestamp',
  '!!set',
  '!!omap',
  '!!pairs',
  '!!map',
  '!!seq',
  '!local',
  '!<tag:example.com,2000:x>',
];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add-key' as const), at: fc.nat(), key: addedKey, value: oddValue }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), from: fc.nat() }),
);

const decoration: fc.Arbitrary<Decoration> = fc.oneof(
  fc.record({ kind: fc.constant('alias' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('dangling-alias' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('tag' as const), at: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant('duplicate-key' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flow' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('second-document' as const), value: oddValue }),
  fc.record({ kind: fc.constant('text-edit' as const), at: fc.nat(), insert: oddText, remove: fc.nat({ max: 5 }) }),
);

/**
 * Values each of which some field of these files takes: a mutation that puts them anywhere
 * gives documents that are often still valid, but say something no example does.
 */
const plausibleText: fc.Arbitrary<string> = fc.constantFrom(
  ...[
    'web',
    'db',
    'app',
    'internet',
    'a.b',
    'x_1',
    'tier=web',
    'tier!=web',
    '!legacy',
    'env in (prod,stage)',
    'shop',
    'ops',
    '*',
    'shop-*',
    'node-1',
    'host-a',
    'h2',
  ],
  ...[
    'tcp/80',
    'udp/53',
    'tcp/1-65535',
    'icmp',
    'any',
    'sctp/9',
    'tcp/http',
    'tcp/http@8000-8100',
    'TCP/80',
    'udp/65535',
    'tcp/22',
  ],
  ...[
    '10.0.0.0/8',
    '0.0.0.0/0',
    '::/0',
    'fd00::/8',
    '10.0.0.1/32',
    '10.20.1.11',
    'fd00::1',
    '192.168.0.0/16',
    '02:42:0a:00:00:09',
    'veth1',
  ],
  ...[
    'allow',
    'drop',
    'deny',
    'reject',
    'log',
    'redirect',
    'monitor',
    'TCP',
    'UDP',
    'SCTP',
    'Ingress',
    'Egress',
    'In',
    'NotIn',
    'Exists',
    'DoesNotExist',
    'http',
    'metrics',
    'honeypot',
    'tarpit',
  ],
);

const mildEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('set-text' as const), at: fc.nat(), value: plausibleText }),
  fc.record({ kind: fc.constant('duplicate-item' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('remove-item' as const), at: fc.nat() }),
);

/** Mutations that keep to values the files take, in the wrong places: documents often still valid, that reach the compiler. */
export const mildMutation: fc.Arbitrary<Mutation> = fc.record({
  edits: fc.array(mildEdit, { minLength: 1, maxLength: 3 }),
  decorations: fc.array(fc.record({ kind: fc.constant('alias' as const), at: fc.nat(), to: fc.nat() }), {
    maxLength: 1,
  }),
  crlf: fc.boolean(),
});

/** Mutations of a document: mostly edits of its data, now and then of how it is written. */
export const mutation: fc.Arbitrary<Mutation> = fc.record({
  edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
  decorations: fc.array(decoration, { maxLength: 2 }),
  crlf: fc.boolean(),
});

/** Every path into a plain value, the root (`[]`) first, in document order. */
export function pathsOf(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const paths = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (isPlainObject(value))
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of plain data, so that one place's edit leaves the other's copy alone. */
function copyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyOf);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyOf(v)]));
  return value;
}

function getAt(value: unknown, path: readonly PathSegment[]): unknown {
  let here = value;
  for (const segment of path) here = (here as Record<PathSegment, unknown>)[segment];
  return here;
}

/** The value with the place at `path` replaced (or, with `undefined`, removed); the root is replaced whole. */
function setAt(value: unknown, path: readonly PathSegment[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    const inner = setAt(copy[head as number], rest, next);
    if (inner === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = inner;
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const inner = setAt(copy[head], rest, next);
  if (inner === undefined && rest.length === 0) delete copy[head];
  else copy[head] = inner;
  return copy;
}

/** The plain document after the edits, each applied at a place of the document as it then is. */
export function applyEdits(value: unknown, edits: readonly Edit[]): unknown {
  let doc = value;
  for (const e of edits) {
    if (e.kind === 'set-text' || e.kind === 'duplicate-item' || e.kind === 'remove-item') {
      doc = applyMildEdit(doc, e);
      continue;
    }
    const paths = pathsOf(doc);
    const path = paths[e.at % paths.length]!;
    if (e.kind === 'set') doc = setAt(doc, path, e.value);
    else if (e.kind === 'remove') doc = path.length === 0 ? null : setAt(doc, path, undefined);
    else if (e.kind === 'copy') doc = setAt(doc, path, copyOf(getAt(doc, paths[e.from % paths.length]!)));
    else {
      // A key is added to the nearest mapping at or above the place.
      const mapAt = [
        ...paths.filter(
          (p) =>
            p.length <= path.length &&
            path.slice(0, p.length).every((s, i) => s === p[i]) &&
            isPlainObject(getAt(doc, p)),
        ),
      ].pop();
      if (mapAt) doc = setAt(doc, [...mapAt, e.key], e.value);
    }
  }
  return doc;
}

/** An edit that keeps a text a text, and a list a list: replaces a text, or repeats or drops a list's item. */
function applyMildEdit(
  doc: unknown,
  e: Extract<Edit, { kind: 'set-text' | 'duplicate-item' | 'remove-item' }>,
): unknown {
  const paths = pathsOf(doc).filter((p) =>
    e.kind === 'set-text' ? typeof getAt(doc, p) === 'string' : typeof p.at(-1) === 'number',
  );
  const path = paths[e.at % Math.max(paths.length, 1)];
  if (!path) return doc;
  if (e.kind === 'set-text') return setAt(doc, path, e.value);
  if (e.kind === 'remove-item') return setAt(doc, path, undefined);
  const list = getAt(doc, path.slice(0, -1)) as unknown[];
  return setAt(doc, path.slice(0, -1), [...list, copyOf(getAt(doc, path))]);
}

/** The nodes of a document in document order (collections and scalars; pair keys left out). */
function nodesOf(doc: Document): Node[] {
  const nodes: Node[] = [];
  visit(doc, {
    Map: (_, node) => void nodes.push(node),
    Seq: (_, node) => void nodes.push(node),
    Scalar: (key, node) => {
      if (key !== 'key') nodes.push(node);
    },
  });
  return nodes;
}

const DANGLING = 'dangling-alias-goes-here';

/** Writes the plain document as YAML, then applies the decorations. */
function written(value: unknown, decorations: readonly Decoration[]): string {
  let doc = new Document(value);
  for (const d of decorations) {
    // A decoration that leaves the document unwritable (an alias whose anchor another replaced) is taken back.
    const before = doc.clone();
    decorate(doc, d);
    if (!writable(doc)) doc = before;
  }
  const others = decorations.flatMap((d) =>
    d.kind === 'second-document' ? [`---\n${new Document(d.value).toString()}`] : [],
  );
  let text = [doc.toString(), ...others].join('').replaceAll(DANGLING, '*nowhere');
  for (const d of decorations) {
    if (d.kind !== 'text-edit') continue;
    const at = d.at % (text.length + 1);
    text = text.slice(0, at) + d.insert + text.slice(at + d.remove);
  }
  return text;
}

/** Applies one decoration of the document's nodes (those of the text, and second documents, are applied when it is written). */
function decorate(doc: Document, d: Decoration): void {
  const nodes = nodesOf(doc);
  if (nodes.length === 0 || !('at' in d)) return;
  const node = nodes[d.at % nodes.length]!;
  if (d.kind === 'alias') {
    // An alias of an earlier node, in place of a later one: YAML lets a value stand anywhere.
    const [first, second] = [node, nodes[d.to % nodes.length]!].sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b)) as [
      Node,
      Node,
    ];
    if (first === second || contains(first, second)) return;
    first.anchor ??= `a${nodes.indexOf(first)}`;
    replaceNode(doc, second, doc.createAlias(first as never, first.anchor));
  } else if (d.kind === 'dangling-alias') {
    // The writer refuses an alias of no anchor; it is put into the text once written.
    replaceNode(doc, node, doc.createNode(DANGLING));
  } else if (d.kind === 'tag') {
    node.tag = d.tag;
  } else if (d.kind === 'duplicate-key') {
    const map =
      nodes.slice(d.at % nodes.length).find((n) => isMap(n) && n.items.length > 0) ??
      nodes.find((n) => isMap(n) && n.items.length > 0);
    if (isMap(map)) map.items.push(new Pair(map.items[0]!.key, doc.createNode('again')));
  } else if (d.kind === 'flow') {
    if (isCollection(node)) node.flow = true;
  }
}

function writable(doc: Document): boolean {
  try {
    doc.toString();
    return true;
  } catch {
    return false;
  }
}

function contains(outer: Node, inner: Node): boolean {
  let found = false;
  visit(outer, (_, node) => {
    if (node === inner) found = true;
  });
  return found;
}

/** Puts `next` where `node` stands in the document (a map's value or a list's item). */
function replaceNode(doc: Document, node: Node, next: Node): void {
  if (doc.contents === node) {
    doc.contents = next;
    return;
  }
  visit(doc, {
    Pair: (_, pair) => {
      if (pair.value === node) pair.value = next;
    },
    Seq: (_, seq) => {
      const i = seq.items.indexOf(node);
      if (i >= 0) seq.items[i] = next;
    },
  });
}

/** The valid YAML text mutated: its data edited, then written with the decorations. */
export function mutatedText(validText: string, m: Mutation): string {
  const value = parseDocument(validText).toJS() as unknown;
  const text = written(applyEdits(value, m.edits), m.decorations);
  return m.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** Mutated documents of the valid texts, by any mutation or (`mild`) by those that keep to values the files take. */
export function mutatedDocuments(validTexts: readonly string[], kind: 'any' | 'mild' = 'any'): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...validTexts), kind === 'any' ? mutation : mildMutation)
    .map(([text, m]) => mutatedText(text, m));
}

/** How many lines a text has, as a diagnostic counts them (a final line break starts no line with text, but is allowed). */
export function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/**
 * Whether a dotted path leads into the plain value, or names a field left out of a mapping
 * or list that does exist there (where a missing field is reported). A key may hold dots
 * (`kubernetes.io/metadata.name`), so segments are joined as far as a key needs.
 */
export function pathReaches(value: unknown, segments: readonly string[]): boolean {
  if (segments.length === 0) return true;
  if (typeof value !== 'object' || value === null) return false;
  const entries = Object.entries(value);
  for (let n = 1; n <= segments.length; n++) {
    const key = segments.slice(0, n).join('.');
    // An inventory names a label key without the spaces around it, as it reads it.
    const under = entries.filter(([k]) => k === key || k.trim() === key);
    if (under.some(([, item]) => pathReaches(item, segments.slice(n)))) return true;
  }
  return segments.length === 1;
}

/**
 * What breaks the readers' promise in their diagnostics of one YAML text: an error without a
 * stable code, a place outside the file, an error's path into no document of it, a line the
 * CLI cannot print on one line. Empty when the promise holds. A path may be one into an
 * item of a Kubernetes List, as its diagnostics name them.
 */
export function diagnosticProblems(
  diagnostics: readonly Diagnostic[],
  text: string,
  file: string,
  codes: RegExp,
): string[] {
  const lines = lineCount(text);
  const documents = plainDocuments(text);
  return diagnostics.flatMap((d) => {
    const problems: string[] = [];
    const where = d.location;
    if (!codes.test(d.code)) problems.push(`code ${d.code} is not one of ${String(codes)}`);
    if (where?.file !== file) problems.push(`file is ${String(where?.file)}`);
    if (d.severity === 'error' && where?.line === undefined) problems.push('an error without a line');
    if (where?.line !== undefined && !(Number.isInteger(where.line) && where.line >= 1 && where.line <= lines))
      problems.push(`line ${where.line} is not within the ${lines} lines`);
    if (where?.column !== undefined && !(Number.isInteger(where.column) && where.column >= 1))
      problems.push(`column ${where.column}`);
    if (
      d.severity === 'error' &&
      where?.path !== undefined &&
      documents !== undefined &&
      !documents.some((doc) => reachesWithin(doc, where.path === '' ? [] : where.path!.split('.')))
    )
      problems.push(`path ${where.path} is in no document`);
    const printed = formatDiagnostic(d);
    if (!printsOnOneLine(printed))
      problems.push(`printed on more than one line or with a control character: ${JSON.stringify(printed)}`);
    return problems.map((p) => `${d.code} ${JSON.stringify(d.message.slice(0, 200))}: ${p}`);
  });
}

/** Whether the path leads into the document, or into an item of its `items` (a List), whose paths are the item's own. */
function reachesWithin(doc: unknown, segments: readonly string[]): boolean {
  if (segments.length === 0 || pathReaches(doc, segments)) return true;
  const items = typeof doc === 'object' && doc !== null ? (doc as { items?: unknown }).items : undefined;
  return Array.isArray(items) && items.some((item) => pathReaches(item, segments));
}

/** The documents of a YAML text as plain data (undefined where even that cannot be read: no path can then be checked). */
function plainDocuments(text: string): unknown[] | undefined {
  try {
    return parseAllDocuments(text, { uniqueKeys: false }).map((doc) => doc.toJS({ maxAliasCount: -1 }) as unknown);
  } catch {
    return undefined;
  }
}

/** Whether text printed to a terminal stays one line and sends it no command: no C0 or C1 control character, nor DEL. */
export function printsOnOneLine(text: string): boolean {
  return Array.from(text).every((ch) => {
    const code = ch.charCodeAt(0);
    return code >= 0x20 && !(code >= 0x7f && code <= 0x9f);
  });
}
