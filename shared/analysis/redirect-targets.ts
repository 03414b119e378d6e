import type { AddressBits } from '../simulator/address-bits';
import type { SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import type { FlowTables } from '../simulator/simulate';

/**
 * Per loaded host's tables, the addresses their flows redirect to. Loaded tables are read-only
 * (as relevantFlows' index assumes), so a host compared again (the drawing's tables against
 * another version, or the hosts a comparison with the switches did not read) is read once; kept
 * per host rather than per table, a comparison at the huge size asks 500 times, not 5,500.
 */
const byHost = new WeakMap<FlowTables, readonly AddressBits[]>();

/** Every destination of a `ct(commit,nat(dst=…))` in these tables, with repeats; what NamedAddresses.redirectTargets holds for them. */
export function tableRedirectTargets(tables: HostFlowTables): AddressBits[] {
  const out: AddressBits[] = [];
  for (const byNumber of tables.values()) {
    let targets = byHost.get(byNumber);
    if (!targets) byHost.set(byNumber, (targets = [...byNumber.values()].flatMap((flows) => flowRedirectTargets(flows))));
    for (const target of targets) out.push(target);
  }
  return out;
}

/** The redirect destinations of some flows, with repeats. */
export function flowRedirectTargets(flows: Iterable<SimFlow>): AddressBits[] {
  const out: AddressBits[] = [];
  for (const { actions } of flows)
    // Conjunction actions come alone (the parser refuses a mix), and clause flows are most of a table.
    if (actions[0]?.kind !== 'conjunction') for (const action of actions) if (action.kind === 'ct' && action.nat?.dst) out.push(action.nat.dst);
  return out;
}
