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

/** The canonical flow order: table, then priority (highest first), then match text. */
export function compareFlows(a: Flow, b: Flow): number {
  return a.table - b.table || b.priority - a.priority || (a.match < b.match ? -1 : a.match > b.match ? 1 : 0);
}

/** OpenFlow identifies a flow by table, priority and match: two flows of one identity replace each other. */
export function flowIdentity(f: Flow): string {
  return `${f.table}|${f.priority}|${f.match}`;
}

/** `cookie=…,table=…,priority=…,MATCH actions=…`, the line `ovs-ofctl add-flows` reads. */
export function formatFlow(flow: Flow): string {
  return formatFlowWithActions(flow, flow.actions.join(','));
}

/** formatFlow for a caller that joined the flow's actions (by commas) already: flows share action lists. */
export function formatFlowWithActions(flow: Omit<Flow, 'actions'>, actions: string): string {
  const match = flow.match === '' ? '' : `,${flow.match}`;
  return `cookie=${flow.cookie},table=${flow.table},priority=${flow.priority}${match} actions=${actions}`;
}

/** The table's declared name, for comments and traces. */
export function tableName(id: number): TableName | undefined {
  return (Object.keys(TABLES) as TableName[]).find((name) => TABLES[name].id === id);
}
