import { pushUnder } from '../arrays';
import type { AddressBits, AddressMask } from '../simulator/address-bits';
import { addressMatches } from '../simulator/address-bits';
import { ETH_TYPE, hasAddress, isConjunctive, withActions, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import { addressKey, exactAddress } from '../simulator/table-index';
import { matchText } from '../simulator/match-text';

/**
 * One table's flows filed for the question "which flows can take part in a lookup for a
 * packet from A to B?": by the exact address they name, by the conjunction they serve (port
 * clauses, the conj_id flow), and the few others. Built once per table, asked once per pair.
 */
interface RelevanceIndex {
  bySource: Map<string, SimFlow[]>;
  byDestination: Map<string, SimFlow[]>;
  /** Flows without addresses that only matter when their conjunction can complete. */
  byConjunction: Map<number, SimFlow[]>;
  /** Everything else: pipeline flows, prefix matches, clause flows that hide a flow. */
  always: SimFlow[];
  /** Per conjunction id, the clauses its address-matching flows supply. */
  addressClauses: Map<number, Set<number>>;
  /** Conjunctions none of whose clause flows names an address: any pair may complete them. */
  addressFree: Set<number>;
  /** Clause flows sharing their match with a non-conjunctive flow, which they hide. */
  hiders: Set<SimFlow>;
  /** Non-conjunctive flows and hiders, in text order (hardFlows). */
  hard: SimFlow[];
}

const indexes = new WeakMap<readonly SimFlow[], RelevanceIndex>();

/** The flows of one table that can take part in the lookups for one pair of addresses. */
export interface PairFlows {
  /** In text order. */
  flows: SimFlow[];
  /**
   * Conjunctions whose address clauses all hold for the pair: no other can complete, so the
   * conjunction actions of other ids change nothing for this pair (see forPair).
   */
  complete: ReadonlySet<number>;
}

/**
 * The flows that can take part in a lookup for a packet between these addresses, in text
 * order: their address matches hold, and a flow without addresses that serves conjunctions
 * (a port clause, the flow acting on conj_id) counts only when one of them has every address
 * clause supplied by a flow that holds, or has no address clause at all: otherwise it can
 * never complete. A clause flow that
 * shares its match with a non-conjunctive flow always counts, since it hides that flow from
 * the lookup after a conjunctive match, as in Open vSwitch; any other clause flow counts only
 * when it serves a conjunction that can complete. A lookup over these flows gives the same
 * answer as over the whole table. With `conjunctions` off, no conjunction counts as complete:
 * the flows of a pair that no rule joins, which the matrix asks about once per kind of pair.
 */
export function relevantFlows(flows: readonly SimFlow[], src: AddressBits, dst: AddressBits, conjunctions = true): PairFlows {
  const index = relevanceIndex(flows);
  const addressed = [...(index.bySource.get(addressKey(src)) ?? []), ...(index.byDestination.get(addressKey(dst)) ?? []), ...index.always].filter((f) =>
    addressesHold(f.match, src, dst),
  );
  const supplied = new Map<number, Set<number>>();
  for (const flow of addressed)
    if (isConjunctive(flow) && hasAddress(flow.match))
      for (const action of flow.actions) if (action.kind === 'conjunction') setOf(supplied, action.id).add(action.clause);
  const complete = new Set<number>();
  if (conjunctions) {
    for (const [id, clauses] of supplied) if (suppliesAll(clauses, index.addressClauses.get(id))) complete.add(id);
    for (const id of index.addressFree) complete.add(id);
  }

  const relevant = new Set<SimFlow>();
  for (const flow of addressed) if (!isConjunctive(flow) || index.hiders.has(flow) || servesAny(flow, complete)) relevant.add(flow);
  for (const id of complete) for (const flow of index.byConjunction.get(id) ?? []) relevant.add(flow);
  return { flows: [...relevant].sort((a, b) => a.line - b.line), complete };
}

/**
 * The flow as it acts for a pair whose completable conjunctions are `complete`: a clause flow
 * keeps only their actions (the others can never complete, and leaving them out keeps a
 * pair's tables alike to other pairs' with the same rules). A clause flow left with none is
 * one that hides a hard flow; it stays as it is, since it must stay conjunctive.
 */
export function forPair(flow: SimFlow, complete: ReadonlySet<number>): SimFlow {
  if (!isConjunctive(flow)) return flow;
  const kept = flow.actions.filter((a) => a.kind === 'conjunction' && complete.has(a.id));
  return kept.length === flow.actions.length || kept.length === 0 ? flow : withActions(flow, kept);
}

/**
 * The flows of a table that take part in every lookup their addresses hold for, whatever
 * conjunctions complete, in text order: the non-conjunctive flows and the clause flows that hide one.
 */
export function hardFlows(flows: readonly SimFlow[]): readonly SimFlow[] {
  return relevanceIndex(flows).hard;
}

function relevanceIndex(flows: readonly SimFlow[]): RelevanceIndex {
  let index = indexes.get(flows);
  if (!index) {
    index = buildIndex(flows);
    indexes.set(flows, index);
  }
  return index;
}

function suppliesAll(supplied: ReadonlySet<number>, clauses: ReadonlySet<number> | undefined): boolean {
  for (const k of clauses ?? []) if (!supplied.has(k)) return false;
  return true;
}

function servesAny(flow: SimFlow, complete: ReadonlySet<number>): boolean {
  return flow.actions.some((a) => a.kind === 'conjunction' && complete.has(a.id));
}

function buildIndex(flows: readonly SimFlow[]): RelevanceIndex {
  const index: RelevanceIndex = { bySource: new Map(), byDestination: new Map(), byConjunction: new Map(), always: [], addressClauses: new Map(), addressFree: new Set(), hiders: new Set(), hard: [] };
  const hardMatches = new HardMatches(flows);
  for (const flow of flows) {
    const { match } = flow;
    const source = exactAddress(match.nwSrc ?? match.ipv6Src);
    const destination = exactAddress(match.nwDst ?? match.ipv6Dst);
    const conjunctive = isConjunctive(flow);
    for (const action of flow.actions) if (action.kind === 'conjunction') index.addressFree.add(action.id);
    if (conjunctive && hasAddress(match))
      for (const action of flow.actions) if (action.kind === 'conjunction') setOf(index.addressClauses, action.id).add(action.clause);
    const hides = conjunctive && hardMatches.has(match);
    if (hides) index.hiders.add(flow);
    if (!conjunctive || hides) index.hard.push(flow);
    if (source !== null) pushUnder(index.bySource, source, flow);
    else if (destination !== null) pushUnder(index.byDestination, destination, flow);
    else if (hasAddress(match)) index.always.push(flow);
    else if (conjunctive && !hides)
      for (const action of flow.actions) {
        if (action.kind === 'conjunction') pushUnder(index.byConjunction, action.id, flow);
      }
    else if (!conjunctive && match.conjId !== undefined) pushUnder(index.byConjunction, match.conjId, flow);
    else index.always.push(flow);
  }
  for (const id of index.addressClauses.keys()) index.addressFree.delete(id);
  return index;
}

/**
 * The printed matches of a table's non-conjunctive flows. A clause flow's match is printed
 * only when hard flows name its addresses (equal matches name equal ones), and then once per
 * match object (matchText): no key is made per flow.
 */
class HardMatches {
  private readonly texts = new Set<string>();
  private readonly sources = new Set<string>();
  private readonly destinations = new Set<string>();

  constructor(flows: readonly SimFlow[]) {
    for (const flow of flows) {
      if (isConjunctive(flow)) continue;
      this.texts.add(matchText(flow.match));
      this.sources.add(addressOf(flow.match.nwSrc ?? flow.match.ipv6Src));
      this.destinations.add(addressOf(flow.match.nwDst ?? flow.match.ipv6Dst));
    }
  }

  has(match: FlowMatch): boolean {
    return (
      this.sources.has(addressOf(match.nwSrc ?? match.ipv6Src)) &&
      this.destinations.has(addressOf(match.nwDst ?? match.ipv6Dst)) &&
      this.texts.has(matchText(match))
    );
  }
}

/** The address a match names exactly, `*` for a prefix, empty for none (exactAddress keeps one string per address). */
function addressOf(mask: AddressMask | undefined): string {
  return mask ? (exactAddress(mask) ?? '*') : '';
}

function addressesHold(m: FlowMatch, src: AddressBits, dst: AddressBits): boolean {
  const v4 = src.family === 4;
  if (m.ethType !== undefined && m.ethType !== (v4 ? ETH_TYPE.ipv4 : ETH_TYPE.ipv6)) return false;
  if (m.nwSrc && !(v4 && addressMatches(m.nwSrc, src))) return false;
  if (m.nwDst && !(v4 && addressMatches(m.nwDst, dst))) return false;
  if (m.ipv6Src && !(!v4 && addressMatches(m.ipv6Src, src))) return false;
  if (m.ipv6Dst && !(!v4 && addressMatches(m.ipv6Dst, dst))) return false;
  return true;
}

function setOf(map: Map<number, Set<number>>, key: number): Set<number> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
