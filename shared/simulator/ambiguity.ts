import type { SimFlow } from './flow-model';
import type { SimulationResult } from './simulate';

/**
 * Where Open vSwitch's choice is undefined and matters: in some table the packet met flows of
 * equal priority (plain flows, or conjunctions completing together) whose actions differ, so
 * the switch may do something other than what the simulator shows. One sentence per such
 * table; empty when the result is certain. Pure.
 */
export function consequentialTies(result: SimulationResult): string[] {
  return result.steps.flatMap((step) => {
    const { flow, ties, conjunction } = step.lookup;
    if (!flow) return [];
    const others = [...ties, ...(conjunction?.alternatives ?? [])].filter((f) => actionsText(f) !== actionsText(flow));
    if (others.length === 0) return [];
    const what =
      conjunction && conjunction.alternatives.some((f) => others.includes(f))
        ? `conjunctions ${[conjunction.id, ...conjunction.alsoCompleted].join(', ')} complete together`
        : 'flows match at the same priority';
    return [
      `table ${step.table}: ${what} with different actions (lines ${[flow, ...others].map((f: SimFlow) => f.line).join(', ')}); Open vSwitch may take any of them`,
    ];
  });
}

/** The flow's actions as written: two flows with the same text do the same. */
function actionsText(flow: SimFlow): string {
  const at = /(^|[\s,])actions=/.exec(flow.text);
  return at ? flow.text.slice(at.index + at[0].length).trim() : flow.text;
}
