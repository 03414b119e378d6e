import { pushUnder } from '../arrays';
import { isConjunctive, type SimFlow } from '../simulator/flow-model';

/** A table's flows as a comparison asks about a changed table: its hard flows, and the clause flows of each conjunction. */
export interface TableParts {
  /** The flows that are not conjunctive, in table order. */
  hard: readonly SimFlow[];
  /** By conjunction id, in order of first appearance: the flows with an action of it (once per such action), in table order. */
  clauses: ReadonlyMap<number, readonly SimFlow[]>;
}

/**
 * Per loaded table. Loaded tables are read-only (as relevantFlows' index assumes), and the
 * tables of the drawing are compared again and again: a changed table of 5,000 flows was read
 * whole for each match and each conjunction a change named.
 */
const byTable = new WeakMap<readonly SimFlow[], TableParts>();

/** The parts of a table, filed in one pass the first time a comparison asks. */
export function tableParts(flows: readonly SimFlow[]): TableParts {
  let parts = byTable.get(flows);
  if (!parts) byTable.set(flows, (parts = partsOf(flows)));
  return parts;
}

function partsOf(flows: readonly SimFlow[]): TableParts {
  const hard: SimFlow[] = [];
  const clauses = new Map<number, SimFlow[]>();
  for (const flow of flows) {
    if (!isConjunctive(flow)) hard.push(flow);
    for (const action of flow.actions) if (action.kind === 'conjunction') pushUnder(clauses, action.id, flow);
  }
  return { hard, clauses };
}
