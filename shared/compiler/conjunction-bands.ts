import type { Flow } from './flow';
import { MAX_CONJUNCTIONS_PER_FLOW, RULE_BAND_WIDTH } from './pipeline';

/**
 * Collects the conjunction clauses of one rule class in one table. Conjunctions only combine
 * within one priority, so every rule's clauses and its conj_id flow share a level. Normally a
 * class uses one level; when a match (say, a popular server) would carry more conjunction
 * actions than one OpenFlow message holds, later rules move one level down. Rules of one class
 * have the same verdict, so which level a rule lands on never changes the outcome.
 */
export class ConjunctionBands {
  /** Per level: match → its flow, whose actions grow as rules put the match in a clause. */
  private readonly levels: Map<string, Flow>[] = [];
  /** Per level: the most actions any of its flows holds, so a level with room for all skips the per-match check. */
  private readonly longest: number[] = [];

  constructor(
    private readonly table: number,
    private readonly topPriority: number,
  ) {}

  /**
   * Adds a rule's clauses (each a list of matches); returns the priority it was placed at.
   * Rules must come in ascending rule number, which keeps every action list sorted and gives
   * each flow the cookie of the lowest-numbered rule it serves.
   */
  add(rule: number, cookie: string, clauses: readonly (readonly string[])[]): number {
    let level = this.levels.findIndex(
      (l, i) => this.longest[i]! < MAX_CONJUNCTIONS_PER_FLOW || clauses.every((matches) => matches.every((m) => (l.get(m)?.actions.length ?? 0) < MAX_CONJUNCTIONS_PER_FLOW)),
    );
    if (level < 0) {
      if (this.levels.length >= RULE_BAND_WIDTH) throw new Error(`More than ${RULE_BAND_WIDTH} priority levels needed for one rule class in table ${this.table}`);
      level = this.levels.push(new Map()) - 1;
      this.longest.push(0);
    }
    const byMatch = this.levels[level]!;
    const priority = this.topPriority - level;
    let longest = Math.max(this.longest[level]!, 1);
    // One rule puts a match in one clause only (source, destination and service matches differ).
    clauses.forEach((matches, k) => {
      const action = conjunctionAction(rule * 4 + k + 1, clauses.length);
      for (const match of matches) {
        const flow = byMatch.get(match);
        if (flow) longest = Math.max(longest, flow.actions.push(action));
        else byMatch.set(match, { table: this.table, priority, cookie, match, actions: [action] });
      }
    });
    this.longest[level] = longest;
    return priority;
  }

  /** One flow per match and level; its cookie is that of the lowest-numbered rule it serves. */
  emit(flows: Flow[]): void {
    for (const byMatch of this.levels) for (const flow of byMatch.values()) flows.push(flow);
  }
}

/** The action putting a match in one clause of a rule's conjunction; `code` is rule × 4 + clause (1-based). */
export function conjunctionAction(code: number, arity: number): string {
  return `conjunction(${code >> 2},${code & 3}/${arity})`;
}

/** The code (rule × 4 + clause) of a `conjunction(rule,clause/arity)` action. */
export function conjunctionCode(action: string): number {
  const open = action.indexOf('(');
  const comma = action.indexOf(',', open);
  return Number(action.slice(open + 1, comma)) * 4 + Number(action.slice(comma + 1, action.indexOf('/', comma)));
}
