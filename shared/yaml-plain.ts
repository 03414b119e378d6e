import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, type Event } from 'js-yaml';

/**
 * A quick read of a YAML document as plain data, with where each of its mappings and lists
 * starts. The `yaml` library's located parse keeps a node with its position for every value,
 * which costs about ten times the time and memory of js-yaml's reading (50,000 workloads: 6–7 s
 * of CPU and 700 MB against about 0.6 s); js-yaml's event parser gives the start of each
 * collection, which is all a quick read needs to place its entries. Where the two libraries'
 * readings could part (anchors, aliases, tags, several documents), or js-yaml refuses the text,
 * this gives undefined, and the caller parses with the `yaml` library, which reads it or says
 * what is wrong and where.
 */

/** Where a mapping or sequence starts, 1-based, as the located read (yaml-document.ts) counts. */
export interface PlainPosition {
  line: number;
  column: number;
}

/** A document read by `readPlainYaml`: its plain value, and where its mappings and lists start. */
export interface PlainYaml {
  /** The document as the `yaml` library's `toJS()` gives it (plain objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** Where a mapping or sequence of `value` starts; undefined for anything else. */
  startOf(collection: object): PlainPosition | undefined;
}

/** Reads `text` when js-yaml reads it as one document without anchors, aliases or tags; deterministic, and never throws. */
export function readPlainYaml(text: string): PlainYaml | undefined {
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, {});
    // The core schema, as the `yaml` library's default.
    documents = constructFromEvents(events, { source: text });
  } catch {
    return undefined;
  }
  if (documents.length !== 1) return undefined;
  const value = documents[0];
  const starts = collectionStarts(events, value, text);
  return starts && { value, startOf: (collection) => starts.get(collection) };
}

/**
 * The start of each collection of `value`, walking the events it was built from in step with
 * it; undefined when an event is one the quick read leaves to the `yaml` library.
 */
function collectionStarts(events: readonly Event[], value: unknown, text: string): Map<object, PlainPosition> | undefined {
  const starts = new Map<object, PlainPosition>();
  const lines = new LineCursor(text);
  let at = 0;
  const plain = (event: Event): boolean => !('anchorStart' in event) || (event.anchorStart === -1 && (!('tagStart' in event) || event.tagStart === -1));
  const walk = (node: unknown): boolean => {
    const event = events[at++]!;
    if (event.type === EVENT_ID.ALIAS || !plain(event)) return false;
    if (event.type === EVENT_ID.SCALAR) return true;
    if ((event.type !== EVENT_ID.MAPPING && event.type !== EVENT_ID.SEQUENCE) || typeof node !== 'object' || node === null) return false;
    starts.set(node, lines.positionOf(event.start));
    if (event.type === EVENT_ID.SEQUENCE) {
      for (let i = 0; events[at]!.type !== EVENT_ID.POP; i++) if (!walk((node as unknown[])[i])) return false;
    } else {
      while (events[at]!.type !== EVENT_ID.POP) {
        const key = events[at++]!;
        // A key that is not a plain text (a collection, a tagged or anchored one) is left to the library.
        if (key.type !== EVENT_ID.SCALAR || !plain(key)) return false;
        if (!walk((node as Record<string, unknown>)[getScalarValue(text, key)])) return false;
      }
    }
    at++;
    return true;
  };
  if (events[at++]?.type !== EVENT_ID.DOCUMENT || !walk(value)) return undefined;
  return starts;
}

/** Lines and columns of offsets asked in ascending order (events come in document order), in one pass over the text. */
class LineCursor {
  private offset = 0;
  private line = 1;
  // A byte-order mark is in no column, as in yaml-document.ts.
  private lineStart: number;

  constructor(private readonly text: string) {
    this.lineStart = text.startsWith('\uFEFF') ? 1 : 0;
  }

  positionOf(offset: number): PlainPosition {
    for (; this.offset < offset; this.offset++) {
      if (this.text.charCodeAt(this.offset) === 10) {
        this.line++;
        this.lineStart = this.offset + 1;
      }
    }
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}
