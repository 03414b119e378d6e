import { intern } from '../arrays';
import type { Flow } from '../compiler/flow';
import { formatFlow, formatFlowWithActions } from '../compiler/flow';
import { previewLines } from '../compiler/table-text';
import { parseActions } from './action-parser';
import { canonicalCookie, parseFlowTextStrict } from './flow-parser';
import { formatMatch, type FlowAction, type FlowMatch, type SimFlow } from './flow-model';
import { addMatchToken, checkPrerequisites } from './match-parser';

const FLOW_FIELDS = /^(cookie|table|priority)(=|$)/i;

/** A match as the simulator reads it, numbered by its canonical text (what tells flow identities apart). */
interface ReadMatch {
  match: FlowMatch;
  identity: number;
}

/** An action list, printed once and parsed once per table and match EtherType. */
interface ReadActions {
  text: string;
  byContext: Map<string, FlowAction[] | null>;
}

/**
 * Reads the compiler's flows as the simulator does, giving the SimFlows that
 * `parseFlowTextStrict` gives for the host's preview text (formatHostTable: a trace's line
 * numbers point into the table the app shows and the CLI writes), but parsing each
 * distinct match text, cookie and action list once. The compiler shares those between flows and
 * hosts (a large estate's million flows hold a few hundred thousand distinct ones), and parsing
 * every printed line took most of the time of loading its tables. Read-only results: flows share
 * match and action objects, also across compiles read by one reader, so equal objects mean
 * equal text (the impact's diff compares them first). A table the shortcut cannot vouch for (a flow that does not parse, two
 * flows of one identity) is parsed from its text, which reports or resolves it as it always has.
 */
export class CompiledFlowReader {
  private readonly matches = new Map<string, ReadMatch | null>();
  /** Match identities by canonical text: two texts of one match are one identity. */
  private readonly identities = new Map<string, number>();
  private readonly cookies = new Map<string, string | null>();
  /** By action list (flows of one compile share the arrays), and by text (so two compiles share them too). */
  private readonly actions = new WeakMap<readonly string[], ReadActions>();
  private readonly actionsByText = new Map<string, ReadActions>();

  /** One host's flows; `file` names its text in errors. */
  read(flows: readonly Flow[], file: string): SimFlow[] {
    const read: SimFlow[] = [];
    const seen = new Set<number>();
    const lines = previewLines(flows);
    for (let i = 0; i < flows.length; i++) {
      const flow = flows[i]!;
      const match = this.match(flow.match);
      const cookie = this.cookie(flow.cookie);
      if (!match || cookie === null || !validNumber(flow.table, 254) || !validNumber(flow.priority, 65535)) return this.parsed(flows, file);
      const actions = this.actionsOf(flow.actions);
      const parsed = this.parsedActions(actions, flow.actions, flow.table, match.match);
      // Table (8 bits), priority (16) and match number in one exact integer.
      const identity = (flow.table * 0x10000 + flow.priority) * 0x10000000 + match.identity;
      if (!parsed || seen.has(identity)) return this.parsed(flows, file);
      seen.add(identity);
      read.push({ line: lines[i]!, text: trimmed(formatFlowWithActions(flow, actions.text)), cookie, table: flow.table, priority: flow.priority, match: match.match, actions: parsed });
    }
    return read;
  }

  private parsed(flows: readonly Flow[], file: string): SimFlow[] {
    // One flow per line here; numbered then as the preview's lines.
    const lines = previewLines(flows);
    return parseFlowTextStrict(flows.map(formatFlow).join('\n'), file).map((f) => ({ ...f, line: lines[f.line - 1]! }));
  }

  private match(text: string): ReadMatch | null {
    let read = this.matches.get(text);
    if (read === undefined) {
      const match: FlowMatch = {};
      const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
      // A flow's own fields inside its match text would be read as those fields from its printed line.
      const fine = tokens.every((token) => !FLOW_FIELDS.test(token) && addMatchToken(match, token) === null) && checkPrerequisites(match) === null;
      this.matches.set(text, (read = fine ? { match, identity: intern(this.identities, formatMatch(match)) } : null));
    }
    return read;
  }

  private cookie(text: string): string | null {
    let cookie = this.cookies.get(text);
    if (cookie === undefined) this.cookies.set(text, (cookie = canonicalCookie(text)));
    return cookie;
  }

  private actionsOf(list: readonly string[]): ReadActions {
    let actions = this.actions.get(list);
    if (!actions) {
      const text = list.join(',');
      actions = this.actionsByText.get(text);
      if (!actions) this.actionsByText.set(text, (actions = { text, byContext: new Map() }));
      this.actions.set(list, actions);
    }
    return actions;
  }

  private parsedActions({ text, byContext }: ReadActions, list: readonly string[], table: number, match: FlowMatch): FlowAction[] | null {
    // What the parse reads of the flow besides the text: its table, and whether the match is IP.
    const context = `${table}|${match.ethType ?? ''}`;
    let parsed = byContext.get(context);
    if (parsed === undefined) {
      const result = parseActions(text, table, match);
      byContext.set(context, (parsed = result.ok ? result.actions : null));
    }
    return parsed;
  }
}

/** The line as the text parse keeps it, trimmed: an action list may end in blanks. */
function trimmed(line: string): string {
  return line.charCodeAt(line.length - 1) <= 32 ? line.trim() : line;
}

function validNumber(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}
