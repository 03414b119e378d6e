import { intern, lengthened } from '../arrays';
import type { Flow } from './flow';
import type { MatchIds } from './match-ids';

/**
 * Fields of one flow in a column array (FlowList, CompactHostTable): numbers, the texts kept
 * once in FlowTexts. The table (8 bits in OpenFlow) and the priority (16) share one number, the
 * flow's level (`flowLevel`), kept beside the columns: a sorted table's flows come in runs of
 * one level (the huge estate's 5.5 million flows in 8,500 runs), so it keeps the runs
 * (`SortedFlows`), 22 MB less than a level per flow there.
 */
export const FLOW_FIELDS = 3;
export const COOKIE_FIELD = 0;
export const MATCH_FIELD = 1;
export const ACTIONS_FIELD = 2;

/** A host's flows in canonical order: their columns, and their levels as runs. */
export interface SortedFlows {
  readonly columns: Int32Array;
  /** Pairs (level, index of the first flow past the run), in the flows' order. */
  readonly levelRuns: Int32Array;
}

/** Calls `visit` with each flow's index and level, in order. */
export function forEachFlowLevel(levelRuns: Int32Array, visit: (index: number, level: number) => void): void {
  let index = 0;
  for (let run = 0; run < levelRuns.length; run += 2) {
    const level = levelRuns[run]!;
    for (const end = levelRuns[run + 1]!; index < end; index++) visit(index, level);
  }
}

/** The level of a flow in table `table` at `priority`, both in OpenFlow's range. */
export function flowLevel(table: number, priority: number): number {
  return (table << 16) | priority;
}

export function tableOfLevel(level: number): number {
  return level >>> 16;
}

export function priorityOfLevel(level: number): number {
  return level & 0xffff;
}

/**
 * The texts a compile's flows share, each kept once and numbered: matches (MatchIds), cookies
 * and action lists. A large estate's million flows hold a few hundred thousand distinct ones,
 * so the flows themselves are stored as numbers, and made into Flow objects only for
 * a reader that asks (see CompactHostTable).
 */
export class FlowTexts {
  readonly cookies: string[] = [];
  private readonly cookieIds = new Map<string, number>();
  /**
   * Action lists by number: those given as text, and those of codes once made (see codeList). A
   * map, not an array: a huge compile numbers 870,000 lists of codes, few of them ever made.
   */
  private readonly lists = new Map<number, string[]>();
  private listCount = 0;
  /** Per list number: where its codes start in `codes`, and how many (-1: a list given as text). */
  private starts: Int32Array = new Int32Array(1024);
  private lengths: Int32Array = new Int32Array(1024);
  private codes: Int32Array = new Int32Array(4096);
  private codeCount = 0;
  /** The action a code stands for (ConjunctionText.action), shared by a compile's code lists. */
  private codeText: (code: number) => string = () => '';

  constructor(readonly matches: MatchIds) {}

  /** The number of a cookie text, the same for every call with that text. */
  cookie(text: string): number {
    const id = intern(this.cookieIds, text);
    if (id === this.cookies.length) this.cookies.push(text);
    return id;
  }

  /** Numbers an action list given as text; flows given the number share the array (callers number each list once). */
  actions(list: string[]): number {
    const id = this.listCount++;
    this.lists.set(id, list);
    this.place(id, -1, -1);
    return id;
  }

  /**
   * Numbers a list of conjunction codes (`length` of them from `source`), printed by `text` when
   * first asked for: a large compile makes hundreds of thousands of such lists, and making
   * their text arrays was a tenth of its time, for readers that ask for a few hosts.
   */
  codeList(source: Int32Array, length: number, text: (code: number) => string): number {
    this.codeText = text;
    if (this.codeCount + length > this.codes.length) this.codes = lengthened(this.codes, Math.max(this.codeCount + length, this.codes.length * 2), 0);
    // Copied by hand: a view for \`set\` is an object, and a huge compile numbers 870,000 lists.
    for (let i = 0; i < length; i++) this.codes[this.codeCount + i] = source[i]!;
    const id = this.listCount++;
    this.place(id, this.codeCount, length);
    this.codeCount += length;
    return id;
  }

  /** The action list of a number, its text made on first request for a list of codes. */
  actionList(id: number): string[] {
    let list = this.lists.get(id);
    if (list === undefined) {
      const start = this.starts[id]!;
      const length = this.lengths[id]!;
      list = new Array<string>(length);
      for (let i = 0; i < length; i++) list[i] = this.codeText(this.codes[start + i]!);
      this.lists.set(id, list);
    }
    return list;
  }

  /** How many action lists are numbered. */
  get actionListCount(): number {
    return this.listCount;
  }

  private place(id: number, start: number, length: number): void {
    if (id >= this.starts.length) [this.starts, this.lengths] = [lengthened(this.starts, this.starts.length * 2, 0), lengthened(this.lengths, this.lengths.length * 2, 0)];
    this.starts[id] = start;
    this.lengths[id] = length;
  }

  /** The flow of level `level` whose fields start at `at` in `columns`. */
  flowAt(level: number, columns: Int32Array, at: number): Flow {
    return {
      table: tableOfLevel(level),
      priority: priorityOfLevel(level),
      cookie: this.cookies[columns[at + COOKIE_FIELD]!]!,
      match: this.matches.text(columns[at + MATCH_FIELD]!),
      actions: this.actionList(columns[at + ACTIONS_FIELD]!),
    };
  }
}

