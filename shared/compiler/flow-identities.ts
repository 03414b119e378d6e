import type { Flow } from './flow';

/**
 * Values filed by OpenFlow flow identity (table, priority, match; see `flowIdentity`), first by
 * the match text. A compile session looks flows up by identity hundreds of times per change:
 * a key string made for each lookup had to be hashed anew and cost most of a relabel at the
 * large size, while the match texts it is given are the same string objects every time, whose
 * hash the engine keeps.
 */
export class ByFlowIdentity<T> {
  /** Per match, its few (table, priority) levels: a short list scans faster than a Map is made. */
  private readonly byMatch = new Map<string, Filed<T>[]>();

  get(table: number, priority: number, match: string): T | undefined {
    return this.filed(table, priority, match)?.value;
  }

  /**
   * Where the identity's value is filed, to be replaced in place (`value`) without a second
   * lookup: a relabel reads and rewrites hundreds of flows in tables of ten thousand. Stays
   * valid until the identity itself is deleted.
   */
  filed(table: number, priority: number, match: string): Filed<T> | undefined {
    const wanted = level(table, priority);
    const levels = this.byMatch.get(match);
    if (levels) for (const filed of levels) if (filed.level === wanted) return filed;
    return undefined;
  }

  set(table: number, priority: number, match: string, value: T): void {
    const wanted = level(table, priority);
    const levels = this.byMatch.get(match);
    if (!levels) {
      this.byMatch.set(match, [{ level: wanted, value }]);
      return;
    }
    for (const filed of levels) {
      if (filed.level === wanted) {
        filed.value = value;
        return;
      }
    }
    levels.push({ level: wanted, value });
  }

  delete(table: number, priority: number, match: string): void {
    const levels = this.byMatch.get(match);
    if (!levels) return;
    const at = levels.findIndex((f) => f.level === level(table, priority));
    if (at >= 0) levels.splice(at, 1);
    if (levels.length === 0) this.byMatch.delete(match);
  }

  /** Every value, in no particular order (an array: a generator made an object per value, and a relabel reads hundreds). */
  values(): T[] {
    const values: T[] = [];
    for (const levels of this.byMatch.values()) for (const filed of levels) values.push(filed.value);
    return values;
  }
}

export interface Filed<T> {
  readonly level: number;
  value: T;
}

/** Flows filed by their identity. */
export function flowsByIdentity(flows: readonly Flow[]): ByFlowIdentity<Flow> {
  const filed = new ByFlowIdentity<Flow>();
  for (const f of flows) filed.set(f.table, f.priority, f.match, f);
  return filed;
}

/** OpenFlow tables are 8 bits wide and priorities 16, so one number holds both. */
function level(table: number, priority: number): number {
  return table * 0x10000 + priority;
}
