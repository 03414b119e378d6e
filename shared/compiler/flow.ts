import { TABLES, type TableName } from './pipeline';

/** One OpenFlow flow as `ovs-ofctl` writes it. */
export interface Flow {
  table: number;
  priority: number;
  cookie: string;
  /** Match fields in `ovs-ofctl` syntax, e.g. `tcp,nw_src=10.0.0.2,tp_dst=8080`; empty matches all. */
  match: string;
  actions: string[];
}

/** Collects flows, merging those with the same table, priority and match (their actions are joined). */
export class FlowSet {
  private readonly byKey = new Map<string, Flow>();

  add(flow: Flow): void {
    const key = `${flow.table}|${flow.priority}|${flow.match}`;
    const existing = this.byKey.get(key);
    if (!existing) {
      this.byKey.set(key, { ...flow, actions: [...flow.actions] });
      return;
    }
    existing.actions.push(...flow.actions);
    if (flow.cookie < existing.cookie) existing.cookie = flow.cookie;
  }

  /** Flows in a canonical order (table, priority descending, match), actions de-duplicated and sorted. */
  sorted(): Flow[] {
    return [...this.byKey.values()]
      .map((f) => ({ ...f, actions: canonicalActions(f.actions) }))
      .sort((a, b) => a.table - b.table || b.priority - a.priority || compareText(a.match, b.match));
  }
}

/** Conjunction actions are order-free, so sort them for stable text; other action lists keep their order. */
function canonicalActions(actions: string[]): string[] {
  if (!actions.every((a) => a.startsWith('conjunction('))) return actions;
  return [...new Set(actions)].sort(compareConjunction);
}

function compareConjunction(a: string, b: string): number {
  const [ia = 0, ka = 0] = (a.match(/\d+/g) ?? []).map(Number);
  const [ib = 0, kb = 0] = (b.match(/\d+/g) ?? []).map(Number);
  return ia - ib || ka - kb;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `cookie=…,table=…,priority=…,MATCH actions=…`, the line `ovs-ofctl add-flows` reads. */
export function formatFlow(flow: Flow): string {
  const match = flow.match === '' ? '' : `,${flow.match}`;
  return `cookie=${flow.cookie},table=${flow.table},priority=${flow.priority}${match} actions=${flow.actions.join(',')}`;
}

/** The table's declared name, for comments and traces. */
export function tableName(id: number): TableName | undefined {
  return (Object.keys(TABLES) as TableName[]).find((name) => TABLES[name].id === id);
}
