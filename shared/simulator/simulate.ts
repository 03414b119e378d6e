import { tableName } from '../compiler/flow';
import { formatCtState, type FlowAction, type SimFlow } from './flow-model';
import { lookupTable, type TableLookup } from './lookup';
import { packetFields, trackedState, type ConnectionState, type Packet, type PacketFields } from './packet';

export type Verdict = 'forwarded' | 'dropped';

/** One table visit: which flow matched, why, and what its actions did. */
export interface TraceStep {
  table: number;
  /** The pipeline's name for the table (`egress`), when it is one of ours. */
  tableName?: string;
  /** `+trk+new`, or `untracked` before the packet has been through conntrack. */
  ctState: string;
  /** How deep in goto/resubmit/ct nesting this visit is; the first table is 0. */
  depth: number;
  lookup: TableLookup;
  /** What each action did, in order, in words. */
  effects: string[];
}

export interface SimulationResult {
  verdict: Verdict;
  /** One sentence: what decided the verdict. */
  reason: string;
  steps: TraceStep[];
}

/** Flows grouped by table, each group in text order; build once, simulate many packets. */
export type FlowTables = ReadonlyMap<number, readonly SimFlow[]>;

/** Open vSwitch stops translating after this many nested table visits and drops the packet. */
const MAX_DEPTH = 64;

/** Groups parsed flows by table, keeping their order. Pure. */
export function groupByTable(flows: readonly SimFlow[]): FlowTables {
  const tables = new Map<number, SimFlow[]>();
  for (const flow of flows) {
    const list = tables.get(flow.table) ?? [];
    list.push(flow);
    tables.set(flow.table, list);
  }
  return tables;
}

/**
 * Runs a packet through one switch's tables as Open vSwitch would, starting in table 0:
 * the lookup of lookupTable in each table; goto_table and resubmit continue in the named
 * table; ct(table=N) continues in table N with ct_state +trk plus +new or +est (per `state`)
 * while the original continues untracked; NORMAL forwards; drop, a table miss or running out
 * of actions without NORMAL drops. Pure and deterministic; throws only on an invalid packet.
 */
export function simulatePacket(
  tables: FlowTables | readonly SimFlow[],
  packet: Packet,
  state: ConnectionState,
): SimulationResult {
  const byTable = isGrouped(tables) ? tables : groupByTable(tables);
  const steps: TraceStep[] = [];
  const outputs: string[] = [];
  let stop: string | null = null;

  const visit = (table: number, fields: PacketFields, depth: number): void => {
    if (stop) return;
    if (depth >= MAX_DEPTH) {
      stop = `more than ${MAX_DEPTH} nested table visits; Open vSwitch gives up and drops the packet`;
      return;
    }
    const lookup = lookupTable(byTable.get(table) ?? [], fields);
    const step: TraceStep = {
      table,
      tableName: tableName(table),
      ctState: fields.ctState === 0 ? 'untracked' : formatCtState({ value: fields.ctState, mask: fields.ctState }),
      depth,
      lookup,
      effects: [],
    };
    steps.push(step);
    if (!lookup.flow) {
      step.effects.push('no flow matches: table miss, the packet is dropped');
      return;
    }
    const current = { ...fields };
    for (const action of lookup.flow.actions) run(action, step, current, depth);
  };

  const run = (action: FlowAction, step: TraceStep, fields: PacketFields, depth: number): void => {
    switch (action.kind) {
      case 'normal':
        outputs.push(`NORMAL in table ${step.table}`);
        step.effects.push('NORMAL: forwarded like a learning switch');
        return;
      case 'drop':
        step.effects.push('drop');
        return;
      case 'goto-table':
      case 'resubmit':
        step.effects.push(
          `${action.kind === 'goto-table' ? 'goto_table' : 'resubmit'}: continue in table ${action.table}`,
        );
        visit(action.table, fields, depth + 1);
        return;
      case 'ct': {
        const tracked = { ...fields, ctState: trackedState(state) };
        // Whatever ct() does, the packet that goes on with this action list is untracked again.
        fields.ctState = 0;
        if (action.commit) step.effects.push('ct(commit): the connection is committed to conntrack');
        if (action.table === undefined) return;
        step.effects.push(
          `ct(table=${action.table}): conntrack says ${formatCtState({ value: tracked.ctState, mask: tracked.ctState })}; continue in table ${action.table}`,
        );
        visit(action.table, tracked, depth + 1);
        return;
      }
      case 'conjunction':
        // Never executed: a flow with conjunction actions only supplies a clause.
        return;
    }
  };

  visit(0, packetFields(packet), 0);
  const verdict: Verdict = outputs.length > 0 && !stop ? 'forwarded' : 'dropped';
  return { verdict, reason: stop ?? reasonFor(verdict, steps, outputs), steps };
}

function reasonFor(verdict: Verdict, steps: readonly TraceStep[], outputs: readonly string[]): string {
  if (verdict === 'forwarded') return `forwarded by ${outputs.join(' and ')}`;
  const last = steps.at(-1);
  if (!last) return 'dropped';
  const where = `table ${last.table}${last.tableName ? ` (${last.tableName})` : ''}`;
  if (!last.lookup.flow) return `dropped: no flow in ${where} matches`;
  const flow = last.lookup.flow;
  const explicit = flow.actions.some((a) => a.kind === 'drop');
  return `dropped by line ${flow.line} in ${where}, cookie ${flow.cookie}${explicit ? '' : ' (its actions never output the packet)'}`;
}

function isGrouped(tables: FlowTables | readonly SimFlow[]): tables is FlowTables {
  return tables instanceof Map;
}
