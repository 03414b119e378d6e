import { pushUnder } from '../arrays';
import { formatMatch, type FlowAction, type SimFlow } from '../simulator/flow-model';

/**
 * The older version of a table with its conjunction ids renumbered to the newer version's,
 * wherever a conjunction is the same in both (the same clause flows, the same flow on its
 * conj_id), so that comparing the two by text sees only what really changed. The compiler
 * numbers conjunctions by rule order: one edge added or removed shifts every later id, and
 * without this every flow that names one would look changed.
 *
 * Conjunctions are matched by a 64-bit fingerprint of their flows. That cannot make an
 * analysis wrong, only slower: two conjunctions matched by mistake differ in some flow, which
 * then shows as changed, so the pairs it serves are compared in full. Matching keeps the
 * matched conjunctions in the same order, since ties between conjunctions of one priority are
 * broken by id. Conjunctions of the older version left unmatched get ids no newer one has.
 * Returns `older` itself when nothing is renumbered.
 */
export function alignConjunctionIds(older: readonly SimFlow[], newer: readonly SimFlow[]): readonly SimFlow[] {
  const olderPrints = fingerprints(older);
  const newerPrints = fingerprints(newer);
  const unmatchedNewer = new Map<string, number[]>();
  for (const [id, print] of [...newerPrints].sort(([a], [b]) => a - b)) pushUnder(unmatchedNewer, print, id);

  // Greedy and in order, so the renumbering keeps the matched conjunctions' order.
  const renumber = new Map<number, number>();
  let previous = -1;
  let shifted = false;
  for (const [id, print] of [...olderPrints].sort(([a], [b]) => a - b)) {
    const candidates = unmatchedNewer.get(print);
    const at = candidates?.findIndex((c) => c > previous) ?? -1;
    if (at < 0) continue;
    const match = candidates!.splice(at, 1)[0]!;
    previous = match;
    renumber.set(id, match);
    if (match !== id) shifted = true;
  }
  const unmatched = [...olderPrints.keys()].filter((id) => !renumber.has(id));
  if (!shifted && unmatched.every((id) => !newerPrints.has(id))) return older;

  // Ids no conjunction of either version has, for the older version's unmatched ones.
  // A loop, not Math.max(...ids): a table of a large estate has more ids than a call takes arguments.
  let free = 1;
  for (const id of [...olderPrints.keys(), ...newerPrints.keys()]) free = Math.max(free, id + 1);
  for (const id of unmatched) renumber.set(id, free++);
  return older.map((flow) => renumbered(flow, renumber));
}

/** The flow with its conjunction ids (in its actions, or its conj_id match) renumbered; the text follows. */
function renumbered(flow: SimFlow, renumber: ReadonlyMap<number, number>): SimFlow {
  const conjId = flow.match.conjId;
  const hasConjunction = flow.actions.some((a) => a.kind === 'conjunction');
  if (conjId === undefined && !hasConjunction) return flow;
  const to = (id: number): number => renumber.get(id) ?? id;
  const actions: FlowAction[] = hasConjunction ? flow.actions.map((a) => (a.kind === 'conjunction' ? { ...a, id: to(a.id) } : a)) : flow.actions;
  const text = flow.text.replace(/conjunction\((\d+),/g, (_, id: string) => `conjunction(${to(Number(id))},`).replace(/conj_id=(\d+)/, (_, id: string) => `conj_id=${to(Number(id))}`);
  return { ...flow, text, actions, match: conjId === undefined ? flow.match : { ...flow.match, conjId: to(conjId) } };
}

/**
 * Per conjunction id, a fingerprint of everything that makes the conjunction what it is: each
 * clause flow's priority, match and clause number, and each flow acting on its conj_id
 * (priority, the rest of the match, actions). Two 32-bit sums of per-flow hashes, so the order
 * of flows does not matter, plus the flow count.
 */
function fingerprints(flows: readonly SimFlow[]): Map<number, string> {
  const sums = new Map<number, { a: number; b: number; n: number }>();
  const add = (id: number, a: number, b: number): void => {
    let sum = sums.get(id);
    if (!sum) sums.set(id, (sum = { a: 0, b: 0, n: 0 }));
    sum.a = (sum.a + a) | 0;
    sum.b = (sum.b + b) | 0;
    sum.n++;
  };
  for (const flow of flows) {
    if (flow.match.conjId !== undefined) {
      const { conjId, ...rest } = flow.match;
      const text = `id|${flow.table}|${flow.priority}|${formatMatch(rest)}|${flow.text.slice(flow.text.indexOf('actions='))}`;
      add(conjId, hash(text, 0x811c9dc5, 0x01000193), hash(text, 0x9747b28c, 0x5bd1e995));
    }
    if (!flow.actions.some((a) => a.kind === 'conjunction')) continue;
    // Hashed once per flow; each of its conjunction actions adds its clause to it.
    const place = `clause|${flow.table}|${flow.priority}|${formatMatch(flow.match)}`;
    const a = hash(place, 0x811c9dc5, 0x01000193);
    const b = hash(place, 0x9747b28c, 0x5bd1e995);
    for (const action of flow.actions) if (action.kind === 'conjunction') add(action.id, mix(a, action.clause, action.clauses), mix(b, action.clauses, action.clause));
  }
  return new Map([...sums].map(([id, s]) => [id, `${s.a}:${s.b}:${s.n}`]));
}

/** FNV-1a style over the UTF-16 code units, with a given basis and multiplier. */
function hash(text: string, basis: number, prime: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), prime);
  return h;
}

/** A flow's hash with its clause number and count folded in. */
function mix(h: number, x: number, y: number): number {
  let m = Math.imul(h ^ (x * 65 + y), 0x85ebca6b);
  m ^= m >>> 13;
  return Math.imul(m, 0xc2b2ae35) ^ (m >>> 16);
}
