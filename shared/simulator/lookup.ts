import { isConjunctive, type SimFlow } from './flow-model';
import { matchText } from './match-text';
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
 * search goes on. Among equals the first flow in text order wins. With `explain` off, the
 * conjunctions that did not complete are not listed (the answer is the same, only cheaper).
 * Pure and deterministic.
 */
export function lookupTable(flows: readonly SimFlow[], packet: PacketFields, explain = true): TableLookup {
  const matching = flows.filter((f) => matchesPacket(f.match, packet));
  const hard = highest(matching.filter((f) => !isConjunctive(f)));
  const hardPriority = hard.flow?.priority ?? -1;
  const incomplete: IncompleteConjunction[] = [];

  // Clause flows above the best hard flow, by priority level, highest level first.
  const levels = new Map<number, SimFlow[]>();
  for (const f of matching) {
    if (f.priority <= hardPriority || !isConjunctive(f)) continue;
    const level = levels.get(f.priority);
    if (level) level.push(f);
    else levels.set(f.priority, [f]);
  }

  for (const priority of [...levels.keys()].sort((a, b) => b - a)) {
    const level = levels.get(priority)!;
    const tallies = tallyClauses(level);
    if (explain)
      for (const t of tallies)
        if (t.count < t.clauses)
          incomplete.push({ id: t.id, priority, clauses: t.clauses, matched: t.seen.flatMap((hit, k) => (hit ? [k + 1] : [])) });
    for (const c of tallies.filter((t) => t.count === t.clauses).map((t) => clauseFlows(level, t))) {
      const again = relookup(flows, { ...packet, conjId: c.id });
      if (!again.flow) continue;
      const others = tallies.filter((t) => t.count === t.clauses && t.id !== c.id);
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

/** How many of a conjunction's n clauses the flows of one priority supply. */
interface ClauseTally {
  id: number;
  clauses: number;
  seen: boolean[];
  count: number;
}

/**
 * Every conjunction the clause flows of one priority name, ids ascending, with the clauses
 * they supply. Only counts: a packet meets many clause flows naming many conjunctions, and
 * only the few that complete need their flows (clauseFlows).
 */
function tallyClauses(flows: readonly SimFlow[]): ClauseTally[] {
  // Keyed by id and n: flows that disagree on n for one id cannot complete together.
  const tallies = new Map<number, ClauseTally>();
  for (const flow of flows) {
    for (const action of flow.actions) {
      if (action.kind !== 'conjunction') continue;
      const key = action.id * 65 + action.clauses; // n is at most 64
      let tally = tallies.get(key);
      if (!tally) {
        tally = { id: action.id, clauses: action.clauses, seen: new Array<boolean>(action.clauses).fill(false), count: 0 };
        tallies.set(key, tally);
      }
      if (!tally.seen[action.clause - 1]) {
        tally.seen[action.clause - 1] = true;
        tally.count++;
      }
    }
  }
  return [...tallies.values()].sort((a, b) => a.id - b.id || a.clauses - b.clauses);
}

/** The flows that supply each clause of one conjunction. */
function clauseFlows(flows: readonly SimFlow[], tally: ClauseTally): ClauseSet {
  const byClause = Array.from({ length: tally.clauses }, (): SimFlow[] => []);
  for (const flow of flows)
    for (const action of flow.actions)
      if (action.kind === 'conjunction' && action.id === tally.id && action.clauses === tally.clauses) byClause[action.clause - 1]!.push(flow);
  return { id: tally.id, byClause };
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
    // Printed once per match object: an analysis simulates many packets over the same flows.
    const key = matchText(flow.match);
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
