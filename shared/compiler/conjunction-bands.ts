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
  /** Per level: match → encoded clause memberships (rule × 4 + clause). */
  private readonly levels: Map<string, number[]>[] = [];
  private readonly arity = new Map<number, number>();
  private readonly cookies = new Map<number, string>();

  constructor(
    private readonly table: number,
    private readonly topPriority: number,
  ) {}

  /**
   * Adds a rule's clauses (each a list of matches); returns the priority it was placed at.
   * Rules must come in ascending rule number, which keeps every action list sorted.
   */
  add(rule: number, cookie: string, clauses: readonly (readonly string[])[]): number {
    this.arity.set(rule, clauses.length);
    this.cookies.set(rule, cookie);
    let level = this.levels.findIndex((l) => clauses.every((matches) => matches.every((m) => (l.get(m)?.length ?? 0) < MAX_CONJUNCTIONS_PER_FLOW)));
    if (level < 0) {
      if (this.levels.length >= RULE_BAND_WIDTH) throw new Error(`More than ${RULE_BAND_WIDTH} priority levels needed for one rule class in table ${this.table}`);
      level = this.levels.push(new Map()) - 1;
    }
    const byMatch = this.levels[level]!;
    clauses.forEach((matches, k) => {
      const code = rule * 4 + k + 1;
      for (const match of matches) {
        const codes = byMatch.get(match);
        if (codes) codes.push(code);
        else byMatch.set(match, [code]);
      }
    });
    return this.topPriority - level;
  }

  /** One flow per match and level; its cookie is that of the lowest-numbered rule it serves. */
  emit(flows: Flow[]): void {
    // A clause's action text repeats on every match of the clause: make each string once.
    const text = new Map<number, string>();
    const actionOf = (code: number): string => {
      let action = text.get(code);
      if (action === undefined) text.set(code, (action = conjunctionAction(code, this.arity.get(code >> 2)!)));
      return action;
    };
    this.levels.forEach((byMatch, level) => {
      // Codes are already ascending: rules are added in rule-number order, and one rule puts
      // a match in one clause only (source, destination and service matches differ).
      for (const [match, codes] of byMatch) {
        const actions = codes.map(actionOf);
        flows.push({ table: this.table, priority: this.topPriority - level, cookie: this.cookies.get(codes[0]! >> 2)!, match, actions });
      }
    });
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
