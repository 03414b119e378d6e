import { formatMatch, isConjunctive, type SimFlow } from './flow-model';
import { matchesPacket, type PacketFields } from './packet';

/** A conjunctive match that completed: every clause 1..n had a matching flow at one priority. */
export interface CompletedConjunction {
  id: number;
  priority: number;
  /** For clause k (index k-1), the flows that supplied it. */
  clauses: SimFlow[][];
  /** Other conjunctions that completed at the same priority; OVS may pick any of them. */
  alsoCompleted: number[];
  /** The flows those other conjunctions select, in the order of alsoCompleted (none for one that selects nothing). */
  alternatives: SimFlow[];
}

/** A conjunction that had matching clauses above the chosen flow but not all of them. */
export interface IncompleteConjunction {
  id: number;
  priority: number;
  clauses: number;
  /** Clause numbers that did match. */
  matched: number[];
}

/** The outcome of looking a packet up in one OpenFlow table. */
export interface TableLookup {
  /** The flow whose actions run, or null for a table miss. */
  flow: SimFlow | null;
  /** Set when the flow was found by the lookup with conj_id that follows a conjunctive match. */
  conjunction?: CompletedConjunction;
  incomplete: IncompleteConjunction[];
  /** Other flows of the chosen flow's priority that matched too: OVS picks one arbitrarily. */
  ties: SimFlow[];
}

/**
 * Looks a packet up in one table's flows the way Open vSwitch's classifier does: the highest
 * priority non-conjunctive ("hard") match, unless conjunctive clause flows of a higher
 * priority complete a conjunction, level by level from the highest; a completed conjunction
 * sets conj_id and searches the table again ignoring conjunctive flows (and, as OVS does,
 * any flow hidden under a conjunctive flow with the same match); if that finds nothing, the
 * search goes on. Among equals the first flow in text order wins. Pure and deterministic.
 */
export function lookupTable(flows: readonly SimFlow[], packet: PacketFields): TableLookup {
  const matching = flows.filter((f) => matchesPacket(f.match, packet));
  const hard = highest(matching.filter((f) => !isConjunctive(f)));
  const hardPriority = hard.flow?.priority ?? -1;
  const soft = matching.filter((f) => isConjunctive(f) && f.priority > hardPriority);
  const incomplete: IncompleteConjunction[] = [];

  for (const priority of [...new Set(soft.map((f) => f.priority))].sort((a, b) => b - a)) {
    const clauses = clausesAt(soft.filter((f) => f.priority === priority));
    const completed = [...clauses.values()].filter((c) => c.byClause.every((list) => list.length > 0));
    for (const c of clauses.values()) {
      if (!completed.includes(c)) {
        incomplete.push({
          id: c.id,
          priority,
          clauses: c.byClause.length,
          matched: c.byClause.flatMap((list, k) => (list.length > 0 ? [k + 1] : [])),
        });
      }
    }
    for (const c of completed) {
      const again = relookup(flows, { ...packet, conjId: c.id });
      if (!again.flow) continue;
      const others = completed.filter((o) => o !== c);
      const alternatives = others.flatMap((o) => relookup(flows, { ...packet, conjId: o.id }).flow ?? []);
      return {
        flow: again.flow,
        ties: again.ties,
        incomplete,
        conjunction: { id: c.id, priority, clauses: c.byClause, alsoCompleted: others.map((o) => o.id), alternatives },
      };
    }
  }

  return { flow: hard.flow, ties: hard.ties, incomplete };
}

interface ClauseSet {
  id: number;
  byClause: SimFlow[][];
}

/** Conjunction id → which clauses matched, from the clause flows of one priority; ids ascending. */
function clausesAt(flows: readonly SimFlow[]): Map<string, ClauseSet> {
  const sets = new Map<string, ClauseSet>();
  for (const flow of flows) {
    for (const action of flow.actions) {
      if (action.kind !== 'conjunction') continue;
      // Flows that disagree on n for one id cannot complete together.
      const key = `${action.id}/${action.clauses}`;
      let set = sets.get(key);
      if (!set) {
        set = { id: action.id, byClause: Array.from({ length: action.clauses }, () => []) };
        sets.set(key, set);
      }
      set.byClause[action.clause - 1]!.push(flow);
    }
  }
  return new Map([...sets.entries()].sort(([, a], [, b]) => a.id - b.id));
}

/**
 * The search after a conjunctive match: conjunctive flows do not count, and because OVS keeps
 * flows with identical matches in one priority-ordered list and skips the whole list when its
 * head is conjunctive, a hard flow under a conjunctive flow with the same match is not seen.
 */
function relookup(flows: readonly SimFlow[], packet: PacketFields): { flow: SimFlow | null; ties: SimFlow[] } {
  const heads = new Map<string, SimFlow>();
  for (const flow of flows) {
    if (!matchesPacket(flow.match, packet)) continue;
    const key = formatMatch(flow.match);
    const head = heads.get(key);
    if (!head || flow.priority > head.priority) heads.set(key, flow);
  }
  return highest([...heads.values()].filter((f) => !isConjunctive(f)));
}

function highest(flows: readonly SimFlow[]): { flow: SimFlow | null; ties: SimFlow[] } {
  let best: SimFlow | null = null;
  for (const flow of flows)
    if (!best || flow.priority > best.priority || (flow.priority === best.priority && flow.line < best.line))
      best = flow;
  if (!best) return { flow: null, ties: [] };
  const top = best;
  return { flow: top, ties: flows.filter((f) => f !== top && f.priority === top.priority) };
}
