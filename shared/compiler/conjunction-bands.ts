import { storeAt } from '../arrays';
import type { ActionLists } from './action-lists';
import type { FlowList } from './flow-order';
import { MAX_CONJUNCTIONS_PER_FLOW, RULE_BAND_WIDTH } from './pipeline';

/** One priority level of a band: each match's action list there (see ActionLists), and the matches that have one. */
interface Level {
  /** Match id → list node; 0 is no list (the match serves no rule here). */
  listOf: Int32Array;
  /** The matches with a list, in the order they got one: the first `count` slots. */
  matches: Int32Array;
  count: number;
  /** The longest list, so a level with room for all skips the per-match check. */
  longest: number;
}

/**
 * Collects the conjunction clauses of one rule class in one table. Conjunctions only combine
 * within one priority, so every rule's clauses and its conj_id flow share a level. Normally a
 * class uses one level; when a match (say, a popular server) would carry more conjunction
 * actions than one OpenFlow message holds, later rules move one level down. Rules of one class
 * have the same verdict, so which level a rule lands on never changes the outcome.
 */
export class ConjunctionBands {
  private readonly levels: Level[] = [];

  constructor(
    private readonly table: number,
    private readonly topPriority: number,
    /** Shared by every band of the table: a code is added once per table. */
    private readonly lists: ActionLists,
    private readonly slots: MatchSlots,
  ) {}

  /**
   * Adds a rule's clauses (each a list of distinct match ids; no services: a two-clause
   * conjunction); returns the priority it was placed at. Rules must come in ascending rule
   * number, which keeps every action list sorted and gives each flow the cookie of the
   * lowest-numbered rule it serves.
   */
  add(rule: number, sources: readonly number[], destinations: readonly number[], services: readonly number[] | null): number {
    let index = 0;
    while (index < this.levels.length && !this.hasRoom(this.levels[index]!, sources, destinations, services)) index++;
    if (index === this.levels.length) {
      if (index >= RULE_BAND_WIDTH) throw new Error(`More than ${RULE_BAND_WIDTH} priority levels needed for one rule class in table ${this.table}`);
      this.levels.push({ listOf: this.slots.take(), matches: this.slots.take(), count: 0, longest: 0 });
    }
    // One rule puts a match in one clause only (source, destination and service matches differ).
    const level = this.levels[index]!;
    this.addClause(level, rule * 4 + 1, sources);
    this.addClause(level, rule * 4 + 2, destinations);
    if (services) this.addClause(level, rule * 4 + 3, services);
    return this.topPriority - index;
  }

  /** Whether every match of the rule's clauses can take one more action on this level. */
  private hasRoom(level: Level, sources: readonly number[], destinations: readonly number[], services: readonly number[] | null): boolean {
    if (level.longest < MAX_CONJUNCTIONS_PER_FLOW) return true;
    return this.fits(level, sources) && this.fits(level, destinations) && (services === null || this.fits(level, services));
  }

  /** Whether each of these matches can take one more action on this level. A method, not a closure: a full level asks it for every later rule. */
  private fits(level: Level, matches: readonly number[]): boolean {
    for (const m of matches) if (this.lists.lengthOf(level.listOf[m]!) >= MAX_CONJUNCTIONS_PER_FLOW) return false;
    return true;
  }

  private addClause(level: Level, code: number, matches: readonly number[]): void {
    const listOf = level.listOf;
    let longest = level.longest;
    for (const m of matches) {
      const before = listOf[m]!;
      if (before === 0) level.matches[level.count++] = m;
      const after = this.lists.append(before, code);
      listOf[m] = after;
      longest = Math.max(longest, this.lists.lengthOf(after));
    }
    level.longest = longest;
  }

  /** One flow per match and level, its cookie that of the lowest-numbered rule it serves. Call once: it hands the levels' slots back. */
  emit(flows: FlowList, text: ConjunctionText): void {
    for (let index = 0; index < this.levels.length; index++) {
      const { listOf, matches, count } = this.levels[index]!;
      const priority = this.topPriority - index;
      for (let i = 0; i < count; i++) {
        const m = matches[i]!;
        const list = listOf[m]!;
        listOf[m] = 0;
        flows.add(this.table, priority, text.cookie(this.lists.firstCode(list)), m, this.lists.actions(list, text.action));
      }
      this.slots.give(listOf);
      this.slots.give(matches.fill(0, 0, count));
    }
    this.levels.length = 0;
  }
}

/**
 * Scratch arrays with one slot per match id, lent to a band level and handed back all 0 again,
 * so hosts reuse them instead of each allocating its own.
 */
export class MatchSlots {
  private readonly free: Int32Array[] = [];

  constructor(private readonly matchCount: number) {}

  take(): Int32Array {
    return this.free.pop() ?? new Int32Array(this.matchCount);
  }

  give(slots: Int32Array): void {
    this.free.push(slots);
  }
}

/** Conjunction action text and cookies by code, each made once per compile for every host. */
export class ConjunctionText {
  /** By code: the codes of a compile are dense (rule × 4 + clause), and this is asked once per action of every list. */
  private readonly texts: (string | undefined)[] = [];

  /** `rules[number - 1]`: each rule's cookie (its number in FlowTexts) and clause count. */
  constructor(private readonly rules: readonly { cookie: number; arity: number }[]) {}

  readonly action = (code: number): string => {
    let text = this.texts[code];
    if (text === undefined) storeAt(this.texts, code, (text = conjunctionAction(code, this.rule(code).arity)));
    return text;
  };

  /** The number (FlowTexts.cookie) of the cookie of the code's rule. */
  cookie(code: number): number {
    return this.rule(code).cookie;
  }

  private rule(code: number): { cookie: number; arity: number } {
    return this.rules[(code >> 2) - 1]!;
  }
}

/** The action putting a match in one clause of a rule's conjunction; `code` is rule × 4 + clause (1-based). */
export function conjunctionAction(code: number, arity: number): string {
  return `conjunction(${code >> 2},${code & 3}/${arity})`;
}

/**
 * The code (rule × 4 + clause) of a `conjunction(rule,clause/arity)` action as
 * `conjunctionAction` writes it (a clause is 1 to 3). Read digit by digit: a compile session
 * bisects long action lists with it, and slicing made garbage on every probe.
 */
export function conjunctionCode(action: string): number {
  let at = action.indexOf('(') + 1;
  let rule = 0;
  for (let c = action.charCodeAt(at); c !== 44; c = action.charCodeAt(++at)) rule = rule * 10 + (c - 48); // up to ','
  return rule * 4 + (action.charCodeAt(at + 1) - 48);
}
