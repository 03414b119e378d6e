import { isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';

/**
 * Carries the comments of an earlier text of a policy file onto a new printing of it, so that
 * notes written in the file (why an edge exists, who approved it) survive edits made on the
 * canvas. A comment stays with what it was written at: a map entry by its key, a group by its
 * name, an edge by its id, a service or address block by its text, any other list item by its place. Comments of what is gone go with
 * it. Blank lines the author left between entries are kept the same way. An earlier text that
 * does not parse gives nothing.
 */
export function keepComments(printed: Document, earlierText: string): void {
  const earlier = readEarlier(earlierText);
  if (!earlier) return;
  printed.commentBefore = earlier.commentBefore;
  printed.comment = earlier.comment;
  carry(earlier.contents, printed.contents);
}

/**
 * The last earlier text read, as the document its notes are carried from (null: it does not
 * parse). The drawing is printed again after every edit while the YAML view is open, always from
 * the same earlier text until the next open, save or apply; reading that text took twice as long
 * as the printing itself at 5,000 groups (2 s against 0.9 s). Carrying only reads the document.
 */
let lastRead: { text: string; doc: Document | null } | null = null;

function readEarlier(earlierText: string): Document | null {
  if (lastRead?.text === earlierText) return lastRead.doc;
  // The parser leaves the CR of a CRLF in some comments (one followed by a blank line): read LF only.
  const text = earlierText.replace(/\r\n/g, '\n');
  const parsed = parseDocument(text, { uniqueKeys: false });
  const doc = parsed.errors.length > 0 ? null : parsed;
  if (doc) giveKeyLineNotesToKeys(doc, text);
  lastRead = { text: earlierText, doc };
  return doc;
}

function carry(from: unknown, to: unknown): void {
  if (!isNode(from) || !isNode(to)) return;
  copyNotes(from, to);
  if (isMap(from) && isMap(to)) {
    for (const pair of to.items) {
      const before = from.items.find((p) => keyOf(p.key) === keyOf(pair.key));
      if (!before) continue;
      if (isNode(before.key) && isNode(pair.key)) copyNotes(before.key, pair.key);
      carry(before.value, pair.value);
    }
  } else if (isSeq(from) && isSeq(to)) {
    const byIdentity = new Map(from.items.map((item, place) => [identityOf(item, place), item]));
    to.items.forEach((item, place) => carry(byIdentity.get(identityOf(item, place)), item));
    // The parser gives a comment right above a list's first item to the list; it was written
    // for that group or edge, so it goes where that one went (and with it, when it is gone).
    const first = from.items[0];
    if (from.commentBefore && isNode(first) && !identityOf(first, 0).startsWith('#')) {
      const moved = to.items.find((item) => identityOf(item, -1) === identityOf(first, 0));
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

/** A group by its name, an edge by its id, a list entry (a service, an address block) by its text; anything else by its place in the list. */
function identityOf(item: unknown, place: number): string {
  if (isScalar(item)) return `=${String(item.value)}`;
  if (isMap(item)) {
    for (const key of ['name', 'id']) {
      const value = item.get(key, true);
      if (isScalar(value)) return `${key}:${String(value.value)}`;
    }
  }
  return `#${place}`;
}

function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}
