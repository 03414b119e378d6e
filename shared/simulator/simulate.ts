import { tableName } from '../compiler/flow';
import { addressBits, formatAddress, type AddressBits } from './address-bits';
import { applyCt, applyLoad, applyModDlDst, describeCtState, describeMetadata, trackedCopy } from './field-effects';
import { CT_FLAGS, type FlowAction, type SimFlow } from './flow-model';
import { lookupTable, type TableLookup } from './lookup';
import { candidateFlows } from './table-index';
import { packetFields, type ConnectionState, type Packet, type PacketFields } from './packet';
import { appendAll } from '../arrays';

/** `redirected`: forwarded after a ct(commit,nat(dst=…)) sent it to another destination. */
export type Verdict = 'forwarded' | 'dropped' | 'redirected';

/** One table visit: which flow matched, why, and what its actions did. */
export interface TraceStep {
  table: number;
  /** The pipeline's name for the table (`egress`), when it is one of ours. */
  tableName?: string;
  /** `+trk+new`, or `untracked` before the packet has been through conntrack. */
  ctState: string;
  /** Non-zero registers and ct_mark as the lookup saw them (`reg0=0x1 ct_mark=0x1`); absent when all are 0. */
  metadata?: string;
  /** How deep in goto/resubmit/ct nesting this visit is; the first table is 0. */
  depth: number;
  lookup: TableLookup;
  /** What each action did, in order, in words. */
  effects: string[];
}

export interface SimulationResult {
  verdict: Verdict;
  /** With `redirected`: the address the packet was sent to instead (canonical text). */
  redirectedTo?: string;
  /** The destination MAC the packet left with, when an action set one. */
  ethDst?: string;
  /** One sentence: what decided the verdict. */
  reason: string;
  steps: TraceStep[];
}

/** Flows grouped by table, each group in text order; build once, simulate many packets. */
export type FlowTables = ReadonlyMap<number, readonly SimFlow[]>;

/** Open vSwitch stops translating after this many nested table visits and drops the packet. */
export const MAX_DEPTH = 64;

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

/** One output of the packet (NORMAL or in_port), with where it was headed at that moment. */
interface Output {
  table: number;
  action: 'NORMAL' | 'in_port';
  natDst?: string;
  ethDst?: string;
}

/**
 * Runs a packet through one switch's tables as Open vSwitch would, starting in table 0:
 * the lookup of lookupTable in each table; goto_table and resubmit continue in the named
 * table, and what the visited tables change (registers, MAC, conntrack) stays changed, as in
 * OVS; ct(table=N) continues in table N with ct_state +trk plus +new, +est or +est+rpl (per
 * `state`) and the packet's ctMark (0 for new) while the original continues untracked;
 * ct(commit,nat(dst=A)) sends the packet to A; load writes registers (all 0 at first);
 * NORMAL and in_port forward (the switch is one hop of a path: which port, and so NORMAL's
 * refusal to use the input port, is not modelled; the compiler sends back out by in_port what
 * must go there), and after a destination NAT the verdict is `redirected`; drop, a table
 * miss or running out of actions without an output drops. Pure and deterministic; throws only
 * on an invalid packet.
 */
export function simulatePacket(
  tables: FlowTables | readonly SimFlow[],
  packet: Packet,
  state: ConnectionState,
  everyFirstPacketOpens = false,
): SimulationResult {
  const fields = packetFields(packet);
  const ctNat = packet.ctNat !== undefined ? addressBits(packet.ctNat)! : undefined;
  return simulateFields(isGrouped(tables) ? tables : groupByTable(tables), fields, state, { ctMark: packet.ctMark ?? 0, ctNat, everyFirstPacketOpens });
}

/** The ct_mark a packet's commits gave its connection on this switch (0 for none), as its later packets will carry it. */
export function committedMark(result: SimulationResult): number {
  let mark = 0;
  for (const step of result.steps)
    for (const action of step.lookup.flow?.actions ?? []) if (action.kind === 'ct' && action.commit && action.mark) mark = ((mark & ~action.mark.mask) | action.mark.value) >>> 0;
  return mark;
}

/** For bulk runs that need only the verdict: `explain: false` skips the words in each step (metadata, incomplete conjunctions). */
export interface SimulateOptions {
  ctMark?: number;
  /** The connection's destination NAT, for an established packet (see Packet.ctNat). */
  ctNat?: AddressBits;
  explain?: boolean;
  /**
   * Asks what the policy lets open rather than what conntrack does with the packet: a first
   * packet is `+new` even when it is an ICMP reply or error, which conntrack finds invalid. The
   * matrix and the impact ask so: they describe ICMP by type as edges name it, for every address
   * family alike (a dual-stack pair's ping is 8 one way and 128 the other).
   */
  everyFirstPacketOpens?: boolean;
}

/**
 * simulatePacket for a packet already in numeric form (see packetFields): for callers that
 * run many packets and would otherwise format addresses only to have them parsed again.
 * `ctMark` is the connection's mark for an established or reply packet.
 */
export function simulateFields(byTable: FlowTables, fields: PacketFields, state: ConnectionState, options: SimulateOptions = {}): SimulationResult {
  const { ctMark = 0, explain = true, everyFirstPacketOpens = false } = options;
  // A reply's NAT is the reverse one (its source); only an established packet is rewritten to the connection's destination.
  const ctNat = state === 'established' ? options.ctNat : undefined;
  const steps: TraceStep[] = [];
  const outputs: Output[] = [];
  let stop: string | null = null;

  const visit = (table: number, fields: PacketFields, depth: number): void => {
    if (stop) return;
    if (depth >= MAX_DEPTH) {
      stop = `more than ${MAX_DEPTH} nested table visits; Open vSwitch gives up and drops the packet`;
      return;
    }
    const lookup = lookupTable(candidateFlows(byTable.get(table) ?? [], fields), fields, explain);
    const metadata = explain ? describeMetadata(fields) : undefined;
    const step: TraceStep = {
      table,
      tableName: tableName(table),
      ctState: explain ? describeCtState(fields) : '',
      ...(metadata ? { metadata } : {}),
      depth,
      lookup,
      effects: [],
    };
    steps.push(step);
    if (!lookup.flow) {
      step.effects.push('no flow matches: table miss, the packet is dropped');
      return;
    }
    for (const action of lookup.flow.actions) run(action, step, fields, depth);
  };

  const run = (action: FlowAction, step: TraceStep, fields: PacketFields, depth: number): void => {
    switch (action.kind) {
      case 'normal':
      case 'in-port': {
        const output = action.kind === 'normal' ? 'NORMAL' : 'in_port';
        outputs.push({
          table: step.table,
          action: output,
          ...(fields.natDst ? { natDst: formatAddress(fields.natDst) } : {}),
          ...(fields.ethDst ? { ethDst: fields.ethDst } : {}),
        });
        step.effects.push(output === 'NORMAL' ? 'NORMAL: forwarded like a learning switch' : 'in_port: sent back out of the port it came in on');
        return;
      }
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
      case 'load':
        step.effects.push(applyLoad(fields, action));
        return;
      case 'mod-dl-dst':
        step.effects.push(applyModDlDst(fields, action));
        return;
      case 'ct': {
        const tracked = trackedCopy(fields, action, state, ctMark, ctNat);
        if (everyFirstPacketOpens && state === 'new') tracked.ctState = CT_FLAGS.trk | CT_FLAGS.new;
        appendAll(step.effects, applyCt(fields, action, state, ctNat));
        if (action.table === undefined) return;
        step.effects.push(
          `ct(table=${action.table}): conntrack says ${describeCtState(tracked)}${tracked.ctMark !== 0 ? `, ct_mark=0x${tracked.ctMark.toString(16)}` : ''}${(tracked.ctState & CT_FLAGS.inv) !== 0 ? ' (an ICMP reply or error opens no connection)' : ''}; continue in table ${action.table}`,
        );
        visit(action.table, tracked, depth + 1);
        return;
      }
      case 'conjunction':
        // Never executed: a flow with conjunction actions only supplies a clause.
        return;
    }
  };

  visit(0, fields, 0);
  return stop ? { verdict: 'dropped', reason: stop, steps } : outcome(steps, outputs);
}

/** The verdict from the outputs: none drops; all after the same destination NAT redirects. */
function outcome(steps: TraceStep[], outputs: readonly Output[]): SimulationResult {
  const last = outputs.at(-1);
  if (!last) return { verdict: 'dropped', reason: dropReason(steps), steps };
  const ethDst = last.ethDst ? { ethDst: last.ethDst } : {};
  const where = outputs.map((o) => `${o.action} in table ${o.table}`).join(' and ');
  const mac = last.ethDst ? ` (MAC ${last.ethDst})` : '';
  if (last.natDst && outputs.every((o) => o.natDst === last.natDst))
    return {
      verdict: 'redirected',
      redirectedTo: last.natDst,
      ...ethDst,
      reason: `redirected to ${last.natDst}${mac} by ${where}`,
      steps,
    };
  return { verdict: 'forwarded', ...ethDst, reason: `forwarded by ${where}${mac}`, steps };
}

function dropReason(steps: readonly TraceStep[]): string {
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
