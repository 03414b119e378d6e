import { intern, storeAt } from '../arrays';
import { CompactHostTable } from '../compiler/compact-table';
import type { HostTable } from '../compiler/compile';
import type { Flow } from '../compiler/flow';
import { formatFlowWithActions } from '../compiler/flow';
import { ACTIONS_FIELD, COOKIE_FIELD, FLOW_FIELDS, MATCH_FIELD, priorityOfLevel, tableOfLevel, type FlowTexts } from '../compiler/flow-texts';
import { formatAtPreviewLines, previewLines, PreviewLines } from '../compiler/table-text';
import { parseActions } from './action-parser';
import { canonicalCookie, parseFlowTextStrict } from './flow-parser';
import { formatMatch, type FlowAction, type FlowMatch, type SimFlow } from './flow-model';
import { addMatchToken, checkPrerequisites } from './match-parser';
import { hashText, HostDigests, type ReadDigests, type TextHash } from './table-digest';

const FLOW_FIELDS_IN_MATCH = /^(cookie|table|priority)(=|$)/i;

/** A match as the simulator reads it, numbered by its canonical text (what tells flow identities apart). */
interface ReadMatch {
  match: FlowMatch;
  identity: number;
  /** Of the text as written, for table digests. */
  hash: TextHash;
}

/** A cookie in canonical form, and its hash for table digests. */
interface ReadCookie {
  text: string;
  hash: TextHash;
}

/** An action list, printed once and parsed once per table and match EtherType. */
interface ReadActions {
  text: string;
  /** `actions=TEXT` as it ends the printed line (trimmed), made when first asked. */
  printed?: string;
  hash: TextHash;
  /** Whether the text ends in a blank, which the text parse trims off the line. */
  endsBlank: boolean;
  /** By context number (see `parsedActions`). */
  byContext: Map<number, FlowAction[] | null>;
}

/** What one compile's numbered texts (FlowTexts) read as, by number: each number looked up by text once. */
interface ReadTexts {
  matches: (ReadMatch | null | undefined)[];
  cookies: (ReadCookie | null | undefined)[];
  actions: (ReadActions | undefined)[];
}

/**
 * Reads the compiler's flows as the simulator does, giving the SimFlows that
 * `parseFlowTextStrict` gives for the host's preview text (formatHostTable: a trace's line
 * numbers point into the table the app shows and the CLI writes), but parsing each
 * distinct match text, cookie and action list once. The compiler shares those between flows and
 * hosts (a large estate's million flows hold a few hundred thousand distinct ones), and parsing
 * every printed line took most of the time of loading its tables. A compile's own tables
 * (CompactHostTable) are read by the numbers the compile gave those texts, without making Flow
 * objects. Read-only results: flows share match and action objects, also across compiles read
 * by one reader, so equal objects mean equal text (the impact's diff compares them first). A
 * table the shortcut cannot vouch for (a flow that does not parse, two flows of one identity)
 * is parsed from its text, which reports or resolves it as it always has.
 */
export class CompiledFlowReader {
  private readonly matches = new Map<string, ReadMatch | null>();
  /** Match identities by canonical text: two texts of one match are one identity. */
  private readonly identities = new Map<string, number>();
  private readonly cookies = new Map<string, ReadCookie | null>();
  /** By action list (flows of one compile share the arrays), and by text (so two compiles share them too). */
  private readonly actions = new WeakMap<readonly string[], ReadActions>();
  private readonly actionsByText = new Map<string, ReadActions>();
  /** Match EtherTypes numbered, for action contexts. */
  private readonly ethTypes = new Map<number | undefined, number>();
  private readonly byNumber = new WeakMap<FlowTexts, ReadTexts>();
  /** Digests (TableDigest) of the hosts read without the text parse, and of their tables, by the flows returned. */
  private readonly digests = new WeakMap<readonly SimFlow[], ReadDigests>();
  /** How many tables were read through the text parse (see the class): for tests and figures. */
  textParsed = 0;

  /** One host's table; `file` names its text in errors. */
  readTable(table: HostTable, file: string): SimFlow[] {
    return table instanceof CompactHostTable ? this.readColumns(table, file) : this.read(table.flows, file);
  }

  /** One host's flows; `file` names their text in errors. */
  read(flows: readonly Flow[], file: string): SimFlow[] {
    const read: SimFlow[] = [];
    const seen = new Set<number>();
    const digests = new HostDigests();
    const lines = previewLines(flows);
    for (let i = 0; i < flows.length; i++) {
      const flow = flows[i]!;
      const simFlow = this.simFlow(flow.table, flow.priority, flow.cookie, flow.match, this.actionsOf(flow.actions), this.match(flow.match), this.cookie(flow.cookie), lines[i]!, seen, digests);
      if (!simFlow) return this.parsed(flows, file);
      read.push(simFlow);
    }
    this.digests.set(read, digests.values());
    return read;
  }

  /** The digest (TableDigest) of a host's flows this reader returned; none for a table it read through the text parse. */
  digestOf(flows: readonly SimFlow[]): string | undefined {
    return this.digests.get(flows)?.host;
  }

  /** The digests of each table of a host's flows this reader returned, by table number; none for a table it read through the text parse. */
  tableDigestsOf(flows: readonly SimFlow[]): ReadonlyMap<number, string> | undefined {
    return this.digests.get(flows)?.tables;
  }

  private readColumns(table: CompactHostTable, file: string): SimFlow[] {
    const { sorted: { columns, levelRuns }, texts } = table;
    let known = this.byNumber.get(texts);
    if (!known) this.byNumber.set(texts, (known = { matches: [], cookies: [], actions: [] }));
    const read: SimFlow[] = [];
    const seen = new Set<number>();
    const digests = new HostDigests();
    const lines = new PreviewLines();
    for (let run = 0, i = 0; run < levelRuns.length; run += 2) {
      const tableId = tableOfLevel(levelRuns[run]!);
      const priority = priorityOfLevel(levelRuns[run]!);
      for (const end = levelRuns[run + 1]!; i < end; i++) {
        const at = i * FLOW_FIELDS;
        const cookieId = columns[at + COOKIE_FIELD]!;
        const matchId = columns[at + MATCH_FIELD]!;
        const actionsId = columns[at + ACTIONS_FIELD]!;
        let match = known.matches[matchId];
        if (match === undefined) storeAt(known.matches, matchId, (match = this.match(texts.matches.text(matchId))));
        let cookie = known.cookies[cookieId];
        if (cookie === undefined) storeAt(known.cookies, cookieId, (cookie = this.cookie(texts.cookies[cookieId]!)));
        let actions = known.actions[actionsId];
        if (actions === undefined) storeAt(known.actions, actionsId, (actions = this.actionsOf(texts.actionList(actionsId))));
        const simFlow = this.simFlow(tableId, priority, texts.cookies[cookieId]!, texts.matches.text(matchId), actions, match, cookie, lines.next(tableId), seen, digests);
        if (!simFlow) return this.parsed(table.flows, file);
        read.push(simFlow);
      }
    }
    this.digests.set(read, digests.values());
    return read;
  }

  /**
   * The flow as the text parse reads it; null when this reader cannot vouch for it (see the
   * class). `cookieText` and `matchText` as written, with `actions`, print its line.
   */
  private simFlow(
    table: number,
    priority: number,
    cookieText: string,
    matchText: string,
    actions: ReadActions,
    match: ReadMatch | null,
    cookie: ReadCookie | null,
    line: number,
    seen: Set<number>,
    digests: HostDigests,
  ): SimFlow | null {
    if (!match || cookie === null || !validNumber(table, 254) || !validNumber(priority, 65535)) return null;
    const parsed = this.parsedActions(actions, table, match.match);
    // Table (8 bits), priority (16) and match number in one exact integer.
    const identity = (table * 0x10000 + priority) * 0x10000000 + match.identity;
    if (!parsed || seen.has(identity)) return null;
    seen.add(identity);
    // What tells two flows apart in a comparison (the impact's diff): the cookie in canonical
    // form, the other fields as written.
    const digest = digests.of(table);
    digest.add(table);
    digest.add(priority);
    digest.addText(cookie.hash);
    digest.addText(match.hash);
    digest.addText(actions.hash);
    return new ReadFlow(line, cookie.text, table, priority, match.match, parsed, cookieText, matchText, actions);
  }

  private parsed(flows: readonly Flow[], file: string): SimFlow[] {
    this.textParsed++;
    // Laid out as the preview, so flows and errors alike name the preview's lines.
    return parseFlowTextStrict(formatAtPreviewLines(flows), file);
  }

  private match(text: string): ReadMatch | null {
    let read = this.matches.get(text);
    if (read === undefined) {
      const match: FlowMatch = {};
      const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
      // A flow's own fields inside its match text would be read as those fields from its printed line.
      const fine = tokens.every((token) => !FLOW_FIELDS_IN_MATCH.test(token) && addMatchToken(match, token) === null) && checkPrerequisites(match) === null;
      this.matches.set(text, (read = fine ? { match, identity: intern(this.identities, formatMatch(match)), hash: hashText(text) } : null));
    }
    return read;
  }

  private cookie(text: string): ReadCookie | null {
    let cookie = this.cookies.get(text);
    if (cookie === undefined) {
      const canonical = canonicalCookie(text);
      this.cookies.set(text, (cookie = canonical === null ? null : { text: canonical, hash: hashText(canonical) }));
    }
    return cookie;
  }

  private actionsOf(list: readonly string[]): ReadActions {
    let actions = this.actions.get(list);
    if (!actions) {
      const text = list.join(',');
      actions = this.actionsByText.get(text);
      if (!actions) this.actionsByText.set(text, (actions = { text, hash: hashText(text), endsBlank: text.charCodeAt(text.length - 1) <= 32, byContext: new Map() }));
      this.actions.set(list, actions);
    }
    return actions;
  }

  private parsedActions({ text, byContext }: ReadActions, table: number, match: FlowMatch): FlowAction[] | null {
    // What the parse reads of the flow besides the text: its table, and whether the match is IP.
    const context = table * 0x100 + intern(this.ethTypes, match.ethType);
    let parsed = byContext.get(context);
    if (parsed === undefined) {
      const result = parseActions(text, table, match);
      byContext.set(context, (parsed = result.ok ? result.actions : null));
    }
    return parsed;
  }
}

/**
 * A flow as the reader gives it. Its line is printed when first asked for (traces, a diff's
 * changed tables): at 10,000 workloads the printed lines were two thirds of the loaded
 * tables' memory and of the time to load them, and most are never read.
 */
class ReadFlow implements SimFlow {
  /** What the line is printed from: the cookie and match as written, and the action list. */
  readonly #cookieText: string;
  readonly #matchText: string;
  readonly #actions: ReadActions;
  #text: string | undefined;

  constructor(
    readonly line: number,
    readonly cookie: string,
    readonly table: number,
    readonly priority: number,
    readonly match: FlowMatch,
    readonly actions: FlowAction[],
    cookieText: string,
    matchText: string,
    actionList: ReadActions,
  ) {
    this.#cookieText = cookieText;
    this.#matchText = matchText;
    this.#actions = actionList;
  }

  get actionsText(): string {
    const actions = this.#actions;
    return (actions.printed ??= actions.endsBlank ? `actions=${actions.text}`.trim() : `actions=${actions.text}`);
  }

  get text(): string {
    if (this.#text === undefined) {
      const text = formatFlowWithActions({ cookie: this.#cookieText, table: this.table, priority: this.priority, match: this.#matchText }, this.#actions.text);
      // As the text parse keeps the line: trimmed.
      this.#text = this.#actions.endsBlank ? text.trim() : text;
    }
    return this.#text;
  }
}

function validNumber(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}
