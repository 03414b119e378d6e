import { isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { NO_RENAMES, type NameChanges, type Renames } from './renames';

/**
 * Carries the comments of an earlier text of a policy file onto a new printing of it, so that
 * notes written in the file (why an edge exists, who approved it) survive edits made on the
 * canvas. A comment stays with what it was written at: a map entry by its key, a group by its
 * name and an edge by its id (each followed through the groups and edges `renamed` since the earlier text), a
 * service or address block by its text, any other list item by its place. Comments of what is
 * gone go with it. Blank lines the author left between entries are kept the same way, and so
 * are a `---` document start and a closing comment right below the last line. An earlier text
 * that does not parse gives nothing.
 */
export function keepComments(printed: Document, earlierText: string, renamed: Renames = NO_RENAMES): void {
  const earlier = readEarlier(earlierText);
  if (!earlier) return;
  const { doc, closingNoteJoined } = earlier;
  printed.commentBefore = doc.commentBefore;
  if (printed.directives && doc.directives?.docStart) printed.directives.docStart = true;
  const [groups, edges] = [doc.get('groups', true), doc.get('edges', true)];
  carry(doc.contents, printed.contents, (list) => (list === groups ? renamed.groups : list === edges ? renamed.edges : NO_CHANGES));
  // The printer puts a blank line above the document's closing comment; as the contents' own it has none.
  if (closingNoteJoined && isMap(printed.contents)) printed.contents.comment = doc.comment;
  else printed.comment = doc.comment;
}

/**
 * The last earlier text read, as the document its notes are carried from (null: it does not
 * parse). The drawing is printed again after every edit while the YAML view is open, always from
 * the same earlier text until the next open, save or apply; reading that text took twice as long
 * as the printing itself at 5,000 groups (2 s against 0.9 s). Carrying only reads the document.
 */
let lastRead: { text: string; earlier: Earlier | null } | null = null;

/** An earlier text as read: its document, and whether its closing comment follows the last line with no blank line between. */
type Earlier = { doc: Document; closingNoteJoined: boolean };

function readEarlier(earlierText: string): Earlier | null {
  if (lastRead?.text === earlierText) return lastRead.earlier;
  // The parser leaves the CR of a CRLF in some comments (one followed by a blank line): read LF only.
  const text = earlierText.replace(/\r\n/g, '\n');
  const parsed = parseDocument(text, { uniqueKeys: false });
  const earlier = parsed.errors.length > 0 ? null : { doc: parsed, closingNoteJoined: joinsLastLine(parsed, text) };
  if (earlier) giveKeyLineNotesToKeys(earlier.doc, text);
  lastRead = { text: earlierText, earlier };
  return earlier;
}

function joinsLastLine(doc: Document, text: string): boolean {
  const end = isNode(doc.contents) ? doc.contents.range?.[2] : undefined;
  return Boolean(doc.comment) && end !== undefined && !/^[ \t]*(\n|$)/.test(text.slice(end));
}

const NO_CHANGES: NameChanges = new Map();

/** The renames that name the items of an earlier list as they are named now (the groups' and edges' are the drawing's). */
type RenamesOf = (list: unknown) => NameChanges;

function carry(from: unknown, to: unknown, renamesOf: RenamesOf): void {
  if (!isNode(from) || !isNode(to)) return;
  copyNotes(from, to);
  if (isMap(from) && isMap(to)) {
    for (const pair of to.items) {
      const before = from.items.find((p) => keyOf(p.key) === keyOf(pair.key));
      if (!before) continue;
      if (isNode(before.key) && isNode(pair.key)) copyNotes(before.key, pair.key);
      carry(before.value, pair.value, renamesOf);
    }
  } else if (isSeq(from) && isSeq(to)) {
    const renamed = renamesOf(from);
    const earlierIdentity = (item: unknown, place: number): string => identityOf(item, place, renamed);
    const byIdentity = new Map(from.items.map((item, place) => [earlierIdentity(item, place), item]));
    to.items.forEach((item, place) => carry(byIdentity.get(identityOf(item, place)), item, renamesOf));
    // The parser gives a comment right above a list's first item to the list; it was written
    // for that group or edge, so it goes where that one went (and with it, when it is gone).
    const first = from.items[0];
    if (from.commentBefore && isNode(first) && !earlierIdentity(first, 0).startsWith('#')) {
      const moved = to.items.find((item) => identityOf(item, -1) === earlierIdentity(first, 0));
      if (isNode(moved)) moved.commentBefore = moved.commentBefore ? `${from.commentBefore}\n${moved.commentBefore}` : from.commentBefore;
      to.commentBefore = null;
    }
    // Printed on one line, a list with notes in it is broken around its brackets: one written as a block stays one.
    if (!from.flow && to.items.some(hasNotes)) to.flow = false;
  }
}

function hasNotes(item: unknown): boolean {
  return isNode(item) && Boolean(item.comment || item.commentBefore);
}

/**
 * The parser gives a note written on a key's line (`groups: # the tiers`) to the block list or
 * map below it, as if it were written above that value's first entry; it belongs to the key.
 */
function giveKeyLineNotesToKeys(earlier: Document, text: string): void {
  visit(earlier, {
    Pair(_, pair) {
      if (!isPair(pair) || !isNode(pair.key) || !isCollection(pair.value) || !pair.value.commentBefore) return;
      const [keyEnd, valueStart] = [pair.key.range?.[1], pair.value.range?.[0]];
      if (keyEnd === undefined || valueStart === undefined || !/^[ \t]*:[ \t]*#/.test(text.slice(keyEnd, valueStart))) return;
      const [onKeyLine, ...below] = pair.value.commentBefore.split('\n');
      pair.key.comment = onKeyLine;
      pair.value.commentBefore = below.length > 0 ? below.join('\n') : undefined;
    },
  });
}

function copyNotes(from: Node, to: Node): void {
  if (from.commentBefore) to.commentBefore = from.commentBefore;
  if (from.comment) to.comment = from.comment;
  if (from.spaceBefore) to.spaceBefore = true;
}

/**
 * A group by its name, an edge by its id (each as it goes now, by `renamed`: gone, it matches
 * nothing), a list entry (a service, an address block) by its text; anything else by its place in the list.
 */
function identityOf(item: unknown, place: number, renamed: NameChanges = NO_CHANGES): string {
  if (isScalar(item)) return `=${String(item.value)}`;
  if (isMap(item)) {
    for (const key of ['name', 'id']) {
      const value = item.get(key, true);
      if (!isScalar(value)) continue;
      const now = renamed.get(String(value.value));
      return now === null ? `gone:${String(value.value)}` : `${key}:${now ?? String(value.value)}`;
    }
  }
  return `#${place}`;
}

function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}
