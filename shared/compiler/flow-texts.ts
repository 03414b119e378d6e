import type { Flow } from './flow';
import type { MatchIds } from './match-ids';

/** Fields of one flow in a column array (FlowList, CompactHostTable): numbers, the texts kept once in FlowTexts. */
export const FLOW_FIELDS = 5;
export const TABLE_FIELD = 0;
export const PRIORITY_FIELD = 1;
export const COOKIE_FIELD = 2;
export const MATCH_FIELD = 3;
export const ACTIONS_FIELD = 4;

/**
 * The texts a compile's flows share, each kept once and numbered: matches (MatchIds), cookies
 * and action lists. A large estate's million flows hold a few hundred thousand distinct ones,
 * so the flows themselves are stored as five numbers each, and made into Flow objects only for
 * a reader that asks (see CompactHostTable).
 */
export class FlowTexts {
  readonly cookies: string[] = [];
  readonly actionLists: string[][] = [];
  private readonly cookieIds = new Map<string, number>();

  constructor(readonly matches: MatchIds) {}

  /** The number of a cookie text, the same for every call with that text. */
  cookie(text: string): number {
    let id = this.cookieIds.get(text);
    if (id === undefined) {
      id = this.cookies.push(text) - 1;
      this.cookieIds.set(text, id);
    }
    return id;
  }

  /** Numbers an action list; flows given the number share the array (callers number each list once). */
  actions(list: string[]): number {
    return this.actionLists.push(list) - 1;
  }

  /** The flow whose fields start at `at` in `columns`. */
  flowAt(columns: Int32Array, at: number): Flow {
    return {
      table: columns[at + TABLE_FIELD]!,
      priority: columns[at + PRIORITY_FIELD]!,
      cookie: this.cookies[columns[at + COOKIE_FIELD]!]!,
      match: this.matches.text(columns[at + MATCH_FIELD]!),
      actions: this.actionLists[columns[at + ACTIONS_FIELD]!]!,
    };
  }
}
