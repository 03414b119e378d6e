import { pushUnder } from '../arrays';
import { addressMatches, type AddressBits, type AddressMask } from '../simulator/address-bits';
import { formatMatch, isConjunctive, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import { addressKey, exactAddress } from '../simulator/table-index';
import type { MatrixEndpoint } from './endpoints';
import { conjunctionFlows, type TableDiff, type TablesDiff } from './table-diff';

/** Every source in `sources` with every destination in `destinations` (endpoint indexes); null: every endpoint. */
export interface PairBox {
  sources: ReadonlySet<number> | null;
  destinations: ReadonlySet<number> | null;
}

const EVERY_PAIR: PairBox = { sources: null, destinations: null };

/** Past this many boxes for one conjunction, its pairs are not worth narrowing: every pair counts. */
const MAX_CONJUNCTION_BOXES = 64;

/**
 * The endpoint pairs whose connections two table sets may treat differently, as a union of
 * boxes; every other pair meets, on every switch, lookups that cannot tell the two apart, so
 * its reach is the same on both sides. A pair counts when a flow that differs can take part
 * in its lookups, as relevantFlows decides it:
 * - a changed non-conjunctive flow, for the pairs its address matches hold for;
 * - a changed conjunction (a clause flow gained or lost the action, or its `conj_id` flow
 *   changed), for the pairs whose address clauses can all be supplied, on either side;
 * - a conjunctive flow that appeared or vanished over a hard flow with the same match (it
 *   hides that flow after a conjunctive match), for the pairs its addresses hold for.
 * A pair redirected to a honeypot meets the honeypot's lookups too, so a box that reaches a
 * honeypot takes in every destination of its sources. A host that appears or vanishes
 * changes every pair. The boxes over-approximate; the caller reaches each pair on both sides.
 */
export function changedPairs(diff: TablesDiff | null, locate: AddressLocator, redirectTargets: readonly AddressBits[]): PairBox[] {
  if (diff === null) return [EVERY_PAIR];
  const boxes: PairBox[] = [];
  for (const table of diff) tableChanges(table, locate, boxes);
  const honeypots = new Set(redirectTargets.flatMap((a) => locate.exact(addressKey(a)) ?? []));
  return withHoneypotPaths(boxes, honeypots);
}

/** How many pairs the boxes hold at most (a box's pairs, overlaps counted twice). */
export function boxedPairCount(boxes: readonly PairBox[], endpoints: number): number {
  return boxes.reduce((sum, b) => sum + (b.sources?.size ?? endpoints) * (b.destinations?.size ?? endpoints), 0);
}

/** Each pair of the boxes once, as [source index, destination index]. */
export function* boxedPairs(boxes: readonly PairBox[], endpoints: number): Generator<[number, number]> {
  const seen = new Set<number>();
  const all = Array.from({ length: endpoints }, (_, i) => i);
  for (const box of boxes)
    for (const s of box.sources ?? all)
      for (const d of box.destinations ?? all) {
        const key = s * endpoints + d;
        if (seen.has(key)) continue;
        seen.add(key);
        yield [s, d];
      }
}

/**
 * The changes of one table. Flows are compared by text: those only on one side, filed by
 * priority and match (OVS keeps one flow per pair), are the changes; a flow whose actions
 * changed is one on each side under the same key.
 */
function tableChanges(diff: TableDiff, locate: AddressLocator, boxes: PairBox[]): void {
  const { old, now, removed, added } = diff;
  const changedIds = new Set<number>();
  for (const flows of byPriorityAndMatch(removed, added).values()) {
    const [was, is] = flows;
    for (const action of symmetricDifference(conjunctionActions(was), conjunctionActions(is))) changedIds.add(Number(action.split(',')[0]));

    if (!sameMembers(hardActions(was), hardActions(is)))
      for (const flow of [...was, ...is]) {
        if (isConjunctive(flow)) continue;
        if (flow.match.conjId !== undefined) changedIds.add(flow.match.conjId);
        else boxes.push(locate.boxOf(flow.match));
      }

    if (was.some(isConjunctive) !== is.some(isConjunctive)) {
      const { match } = (was[0] ?? is[0])!;
      if (old.hasHardMatch(match) || now.hasHardMatch(match)) boxes.push(locate.boxOf(match));
    }
  }
  if (changedIds.size === 0) return;
  for (const version of conjunctionFlows(diff, changedIds)) for (const [id, flows] of version) boxes.push(...completionBoxes(flows, id, locate));
}

/** The removed and the added flows under each `priority|match`. */
function byPriorityAndMatch(removed: readonly SimFlow[], added: readonly SimFlow[]): Map<string, [SimFlow[], SimFlow[]]> {
  const out = new Map<string, [SimFlow[], SimFlow[]]>();
  const file = (flow: SimFlow, side: 0 | 1): void => {
    const key = `${flow.priority}|${formatMatch(flow.match)}`;
    let entry = out.get(key);
    if (!entry) out.set(key, (entry = [[], []]));
    entry[side].push(flow);
  };
  for (const flow of removed) file(flow, 0);
  for (const flow of added) file(flow, 1);
  return out;
}

/** `id,clause/n` for every conjunction action of the flows. */
function conjunctionActions(flows: readonly SimFlow[]): Set<string> {
  const out = new Set<string>();
  for (const flow of flows)
    for (const action of flow.actions) if (action.kind === 'conjunction') out.add(`${action.id},${action.clause}/${action.clauses}`);
  return out;
}

/** The action text of each non-conjunctive flow. */
function hardActions(flows: readonly SimFlow[]): string[] {
  return flows.filter((f) => !isConjunctive(f)).map((f) => f.text.slice(f.text.indexOf('actions=')));
}

function symmetricDifference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))];
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * The pairs for which one conjunction can complete: per clause, the union of its flows'
 * address boxes (a clause with a flow that names no address holds for every pair),
 * intersected over the clauses; none when a clause has no flow at all. Flows that disagree on
 * the number of clauses never complete together, so each count is taken on its own.
 */
function completionBoxes(flows: readonly SimFlow[], id: number, locate: AddressLocator): PairBox[] {
  const byArity = new Map<number, Map<number, SimFlow[]>>();
  for (const flow of flows)
    for (const action of flow.actions) {
      if (action.kind !== 'conjunction' || action.id !== id) continue;
      let byClause = byArity.get(action.clauses);
      if (!byClause) byArity.set(action.clauses, (byClause = new Map<number, SimFlow[]>()));
      pushUnder(byClause, action.clause, flow);
    }

  const out: PairBox[] = [];
  for (const [arity, byClause] of byArity) {
    if (byClause.size < arity) continue;
    let result: PairBox[] = [EVERY_PAIR];
    for (const clauseFlows of byClause.values()) {
      const union = unionOfBoxes(clauseFlows.map((f) => locate.boxOf(f.match)));
      if (union === null) continue;
      result = result.flatMap((r) => union.map((u) => intersect(r, u))).filter((b) => !isEmpty(b));
      if (result.length > MAX_CONJUNCTION_BOXES) return [EVERY_PAIR];
    }
    out.push(...result);
  }
  return out;
}

/** One-sided boxes merged into one per side; null when one of them holds for every pair. */
function unionOfBoxes(boxes: readonly PairBox[]): PairBox[] | null {
  const sources = new Set<number>();
  const destinations = new Set<number>();
  const twoSided: PairBox[] = [];
  for (const box of boxes) {
    if (box.sources === null && box.destinations === null) return null;
    if (box.destinations === null) for (const s of box.sources!) sources.add(s);
    else if (box.sources === null) for (const d of box.destinations) destinations.add(d);
    else twoSided.push(box);
  }
  const out = [...twoSided];
  if (sources.size > 0) out.push({ sources, destinations: null });
  if (destinations.size > 0) out.push({ sources: null, destinations });
  return out;
}

function intersect(a: PairBox, b: PairBox): PairBox {
  return { sources: intersectSets(a.sources, b.sources), destinations: intersectSets(a.destinations, b.destinations) };
}

function intersectSets(a: ReadonlySet<number> | null, b: ReadonlySet<number> | null): ReadonlySet<number> | null {
  if (a === null) return b;
  if (b === null) return a;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return new Set([...small].filter((x) => large.has(x)));
}

function isEmpty(box: PairBox): boolean {
  return box.sources?.size === 0 || box.destinations?.size === 0;
}

/** Boxes reaching a honeypot (a redirect target that is an endpoint) widened to every destination of their sources. */
function withHoneypotPaths(boxes: PairBox[], honeypots: ReadonlySet<number>): PairBox[] {
  if (honeypots.size === 0) return boxes;
  return boxes.map((box) =>
    box.destinations !== null && [...box.destinations].some((d) => honeypots.has(d)) ? { sources: box.sources, destinations: null } : box,
  );
}

/** Endpoint indexes by address, and the indexes a flow's address match holds for. */
export interface AddressLocator {
  exact(key: string): number | undefined;
  boxOf(match: FlowMatch): PairBox;
}

/** The box a flow's address match holds for: the endpoints `holding` gives each side it names; a side it does not name holds all. */
export function boxOfMatch(match: FlowMatch, holding: (mask: AddressMask) => ReadonlySet<number>): PairBox {
  const src = match.nwSrc ?? match.ipv6Src;
  const dst = match.nwDst ?? match.ipv6Dst;
  return { sources: src ? holding(src) : null, destinations: dst ? holding(dst) : null };
}

/** Endpoints by address, and the endpoints a flow's address match holds for. */
export class EndpointLocator implements AddressLocator {
  private readonly byKey = new Map<string, number>();
  private readonly byMask = new Map<string, ReadonlySet<number>>();

  constructor(private readonly endpoints: readonly MatrixEndpoint[]) {
    endpoints.forEach((e, i) => this.byKey.set(addressKey(e.address), i));
  }

  exact(key: string): number | undefined {
    return this.byKey.get(key);
  }

  boxOf(match: FlowMatch): PairBox {
    return boxOfMatch(match, (mask) => this.holding(mask));
  }

  private holding(mask: AddressMask): ReadonlySet<number> {
    const exact = exactAddress(mask);
    if (exact !== null) {
      const index = this.byKey.get(exact);
      return new Set(index === undefined ? [] : [index]);
    }
    const key = `${mask.family}/${mask.value}/${mask.mask}`;
    let set = this.byMask.get(key);
    if (!set) {
      const holding = new Set<number>();
      this.endpoints.forEach((e, i) => {
        if (addressMatches(mask, e.address)) holding.add(i);
      });
      this.byMask.set(key, (set = holding));
    }
    return set;
  }
}
