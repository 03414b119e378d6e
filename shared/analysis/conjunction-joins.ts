import { intern } from '../arrays';
import type { AddressBits, AddressMask } from '../simulator/address-bits';
import { addressMatches } from '../simulator/address-bits';
import { ETH_TYPE, hasAddress, isConjunctive, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import type { FlowTables } from '../simulator/simulate';
import { addressKey, isExactMask } from '../simulator/table-index';
import { ConjunctionLists } from './conjunction-lists';
import { MatchLists } from './match-lists';
import { matchText, matchTextWithoutConjId } from '../simulator/match-text';
import { SERVICE_PROTOCOLS, type ServiceProtocol } from './service-set';

/** One address clause, with what rows share worked out on first use. */
interface AddressClause {
  /**
   * The matches of its flows (each names a source or a destination address, or both): the
   * reader shares match objects between flows and hosts, so a clause holds no object of its own per flow.
   */
  flows: FlowMatch[];
  /**
   * `source`: every flow asks about the source only (`gate` once it decides which rows the
   * conjunction is a candidate for); `destination`: no flow asks about it; else mixed.
   */
  asks: 'gate' | 'source' | 'destination' | 'mixed';
  /** The number of its list of matches (MatchLists): clauses of many hosts share what is worked out from it. */
  list: number;
  /** When every flow asks about the source only: the sources it holds for (it lets every destination through). */
  sources?: ReadonlySet<number>;
  /** When no flow asks about the source: the destinations it lets through, whatever the row (null: all). */
  destinations?: Int32Array | null;
}

/** One conjunction of one table of one host. */
export interface Conjunction {
  host: string;
  table: number;
  id: number;
  clauses: AddressClause[];
  /**
   * Conjunctions of one kind act alike for every pair they join: same table, priority and
   * clause count, address clauses that are one plain address each, the same other clause
   * flows and the same flows on their conj_id. -1 when the conjunction is not that plain (a
   * clause flow matching more than an address, mixed priorities or clause counts): a pair it
   * joins is then worked out by itself.
   */
  kind: number;
  /** The priority of its flows (of a plain one). */
  priority: number;
  /** The protocols (bits in SERVICE_PROTOCOLS order) whose packets it can complete for; all for one that is not plain. */
  protocols: number;
  /**
   * What its conj_id flows do (a number per kind of those flows): when every conjunction that
   * joins a pair at one table and priority has the same, which of them completes first
   * changes nothing.
   */
  verdict: number;
  /**
   * A number conjunctions of any host share when they act alike for every pair they join: the
   * same kind and id. One of its own for a conjunction that is not plain.
   */
  form: number;
}

const ADDRESS_FIELDS = ['nwSrc', 'nwDst', 'ipv6Src', 'ipv6Dst'] as const;

/**
 * The pairs each conjunction joins: those for which every address clause has a flow whose
 * addresses hold, as relevantFlows decides completeness. A pair no conjunction joins on a host
 * meets only that host's hard flows there. Worked out row by row (one source at a time), so
 * the work is the number of (pair, conjunction) joins, never the number of pairs.
 */
export class ConjunctionJoins {
  readonly conjunctions: Conjunction[] = [];
  /** Per form (Conjunction.form), the first conjunction of that form. */
  readonly forms: Conjunction[] = [];
  /** The lists of conjunction forms rows join their destinations by (RowJoins.on). */
  readonly lists = new ConjunctionLists();
  /** Per endpoint: conjunctions one of whose clauses asks for it as the source (only those can join it as one). */
  private readonly bySource: number[][];
  /** Conjunctions with no clause that asks about the source alone: candidates for every row. */
  private readonly everyRow: number[] = [];
  /** Endpoints under each prefix mask (and Ethernet type) asked about. */
  private readonly underPrefix = new Map<string, Int32Array>();
  /** Endpoint index by addressKey (one string per address object, where a bigint key would be hashed per lookup). */
  private readonly byKey = new Map<string, number>();
  /** Per conjunction, the last row that visited it. */
  private stamp = new Int32Array(0);
  private readonly scratch: RowScratch;
  private readonly all: Int32Array;

  private readonly matchLists = new MatchLists();
  /** Per list of matches: the endpoints it asks about as sources (of a gate or a source clause). */
  private readonly sourcesOfList = new Map<number, Set<number>>();
  /** Per list of matches of a destination clause: its destinations (null: all). */
  private readonly destinationsOfList = new Map<number, Int32Array | null>();

  private readonly kinds = new Map<string, number>();
  private readonly verdicts = new Map<string, number>();
  private readonly formKeys = new Map<string, number>();

  constructor(private readonly endpoints: readonly { address: AddressBits; host?: string }[]) {
    endpoints.forEach((e, i) => this.byKey.set(addressKey(e.address), i));
    this.bySource = endpoints.map(() => []);
    this.all = Int32Array.from(endpoints.keys());
    this.scratch = new RowScratch(endpoints, this.lists);
  }

  /** Files the conjunctions of one host's tables. */
  addHost(host: string, byTable: FlowTables): void {
    for (const [table, flows] of byTable)
      for (const [id, served] of conjunctionFlows(flows)) {
        const clauses = addressClauses(served, this.matchLists);
        if (clauses.length === 0) continue;
        const plain = plainKind(table, served);
        const kind = plain ? intern(this.kinds, `${plain.clauses}|${plain.verdict}`) : -1;
        const verdict = plain ? intern(this.verdicts, plain.verdict) : -1;
        this.add({ host, table, id, clauses, kind, priority: plain?.priority ?? -1, verdict, protocols: plain?.protocols ?? ALL_PROTOCOLS, form: -1 });
      }
  }

  /**
   * For source endpoint `row`: each destination some conjunction joins it to on the source's
   * or the destination's host (the only ones its path meets), with those conjunctions. Pairs
   * of one endpoint with itself, or of two families, are left out. Valid until the next row.
   */
  row(row: number): RowJoins {
    const source = this.endpoints[row]!;
    if (this.stamp.length !== this.conjunctions.length) this.stamp = new Int32Array(this.conjunctions.length).fill(-1);
    const out = this.scratch;
    out.clear(source.host);
    const visit = (c: number): void => {
      if (this.stamp[c] === row) return;
      this.stamp[c] = row;
      const conjunction = this.conjunctions[c]!;
      const columns = this.columns(conjunction, row);
      // Off the source's host, only destinations behind the conjunction's host meet it.
      const onSourceHost = conjunction.host === source.host;
      for (let i = 0; i < columns.length; i++) {
        const col = columns[i]!;
        const destination = this.endpoints[col]!;
        if (col === row || destination.address.family !== source.address.family) continue;
        if (!onSourceHost && conjunction.host !== destination.host) continue;
        out.add(col, conjunction.form, onSourceHost);
      }
    };
    for (const c of this.bySource[row]!) visit(c);
    for (const c of this.everyRow) visit(c);
    return out;
  }

  private add(conjunction: Conjunction): void {
    const index = this.conjunctions.push(conjunction) - 1;
    // The kind names the table, priority, clauses and conj_id flows; with the id (one rule's on every host) it names all a pair's answer can depend on.
    conjunction.form = intern(this.formKeys, conjunction.kind < 0 ? `unplain ${index}` : `${conjunction.kind} ${conjunction.id}`);
    if (conjunction.form === this.forms.length) this.forms.push(conjunction);
    // A clause whose every flow asks about the source gates the rows: only its sources can be
    // joined, so a row that comes through it need not ask it again.
    const gate = conjunction.clauses.find((k) => k.flows.every((f) => sourceOf(f)));
    if (!gate) {
      this.everyRow.push(index);
      return;
    }
    for (const i of this.sourcesOf(gate)) this.bySource[i]!.push(index);
    if (gate.asks === 'source') {
      gate.asks = 'gate';
      gate.flows = [];
    }
  }

  /** The destinations the conjunction joins source `row` to (sorted), as relevantFlows would complete it. */
  private columns(conjunction: Conjunction, row: number): Int32Array {
    let columns: Int32Array | null = null;
    for (const clause of conjunction.clauses) {
      if (clause.asks === 'gate') continue;
      const allowed = this.clauseDestinations(clause, row);
      if (allowed === null) continue;
      columns = columns === null ? allowed : intersect(columns, allowed);
      if (columns.length === 0) return columns;
    }
    return columns ?? this.all;
  }

  /** The destinations that the clause's flows holding for source `row` let through; null: all. */
  private clauseDestinations(clause: AddressClause, row: number): Int32Array | null {
    if (clause.asks === 'source') {
      clause.sources ??= this.sourcesOf(clause);
      return clause.sources.has(row) ? null : NONE;
    }
    if (clause.destinations !== undefined) return clause.destinations;
    if (clause.asks === 'destination' && this.destinationsOfList.has(clause.list)) {
      clause.flows = [];
      return (clause.destinations = this.destinationsOfList.get(clause.list)!);
    }
    const found: number[] = [];
    let all = false;
    for (const f of clause.flows) {
      const src = sourceOf(f);
      const dst = destinationOf(f);
      if (src && !holds(src, f.ethType, this.endpoints[row]!.address)) continue;
      if (!dst) all = true;
      else this.forEachMatching(dst, f.ethType, (i) => found.push(i));
    }
    const destinations = all ? null : sortedUnique(found);
    if (clause.asks === 'destination') {
      clause.destinations = destinations;
      this.destinationsOfList.set(clause.list, destinations);
      clause.flows = [];
    }
    return destinations;
  }

  /** The endpoints a clause's flows ask about as sources, worked out once per list of matches. */
  private sourcesOf(clause: AddressClause): Set<number> {
    let sources = this.sourcesOfList.get(clause.list);
    if (sources === undefined) {
      sources = new Set<number>();
      for (const f of clause.flows) if (sourceOf(f)) this.forEachMatching(sourceOf(f)!, f.ethType, (i) => sources!.add(i));
      this.sourcesOfList.set(clause.list, sources);
    }
    return sources;
  }

  /** Calls `f` with each endpoint a mask (under an Ethernet type) holds for, in ascending order. */
  private forEachMatching(mask: AddressMask, ethType: number | undefined, f: (i: number) => void): void {
    if (isExactMask(mask)) {
      const i = this.byKey.get(addressKey(mask));
      if (i !== undefined && holds(mask, ethType, this.endpoints[i]!.address)) f(i);
      return;
    }
    const key = `${ethType ?? ''}/${mask.family}/${mask.value}/${mask.mask}`;
    let found = this.underPrefix.get(key);
    if (!found) {
      const indexes: number[] = [];
      this.endpoints.forEach((e, i) => holds(mask, ethType, e.address) && indexes.push(i));
      this.underPrefix.set(key, (found = Int32Array.from(indexes)));
    }
    found.forEach((i) => f(i));
  }
}

/** One source's joins: per destination, the forms of the conjunctions joining the pair on each host, in the order found. */
export interface RowJoins {
  /** The number of the list (ConjunctionJoins.lists) of the forms of the conjunctions on `host` joining the pair; ConjunctionLists.EMPTY when none does. */
  on(column: number, host: string): number;
  /** The destinations joined, ascending. */
  columns(): Int32Array;
}

/**
 * RowJoins in arrays kept from row to row: a row touches few of the destinations. A pair meets
 * conjunctions on the source's host (near) and on the destination's (far), so it keeps a list
 * for each: pairs of other hosts joined by the same rules have the same lists.
 */
class RowScratch implements RowJoins {
  private readonly near: Int32Array;
  private readonly far: Int32Array;
  private readonly touched: number[] = [];
  private sourceHost: string | undefined;

  constructor(
    private readonly endpoints: readonly { host?: string }[],
    private readonly lists: ConjunctionLists,
  ) {
    this.near = new Int32Array(endpoints.length).fill(ConjunctionLists.EMPTY);
    this.far = new Int32Array(endpoints.length).fill(ConjunctionLists.EMPTY);
  }

  clear(sourceHost: string | undefined): void {
    for (const col of this.touched) this.near[col] = this.far[col] = ConjunctionLists.EMPTY;
    this.touched.length = 0;
    this.sourceHost = sourceHost;
  }

  add(column: number, form: number, onSourceHost: boolean): void {
    if (this.near[column] === ConjunctionLists.EMPTY && this.far[column] === ConjunctionLists.EMPTY) this.touched.push(column);
    const lists = onSourceHost ? this.near : this.far;
    lists[column] = this.lists.append(lists[column]!, form);
  }

  on(column: number, host: string): number {
    if (host === this.sourceHost) return this.near[column]!;
    return host === this.endpoints[column]!.host ? this.far[column]! : ConjunctionLists.EMPTY;
  }

  columns(): Int32Array {
    return Int32Array.from(this.touched).sort();
  }
}

/** relevantFlows' test for one side: the mask holds and the flow's Ethernet type is the address's family. */
function holds(mask: AddressMask, ethType: number | undefined, address: AddressBits): boolean {
  if (ethType !== undefined && ethType !== (address.family === 4 ? ETH_TYPE.ipv4 : ETH_TYPE.ipv6)) return false;
  return addressMatches(mask, address);
}

function sourceOf(m: FlowMatch): AddressMask | undefined {
  return m.nwSrc ?? m.ipv6Src;
}

function destinationOf(m: FlowMatch): AddressMask | undefined {
  return m.nwDst ?? m.ipv6Dst;
}

/**
 * Per conjunction id, its clause flows once per conjunction action, with the action's clause
 * and clause count at the same index (numbers in arrays rather than an object per action: a
 * large estate's hosts hold one and a half million), and the flows on its conj_id.
 */
interface Served {
  flows: SimFlow[];
  clause: number[];
  clauses: number[];
  onId: SimFlow[];
}

function conjunctionFlows(flows: readonly SimFlow[]): Map<number, Served> {
  const out = new Map<number, Served>();
  const entry = (id: number): Served => {
    let served = out.get(id);
    if (!served) out.set(id, (served = { flows: [], clause: [], clauses: [], onId: [] }));
    return served;
  };
  for (const flow of flows) {
    if (isConjunctive(flow)) {
      for (const action of flow.actions) {
        if (action.kind !== 'conjunction') continue;
        const served = entry(action.id);
        served.flows.push(flow);
        served.clause.push(action.clause);
        served.clauses.push(action.clauses);
      }
    } else if (flow.match.conjId !== undefined && !hasAddress(flow.match)) entry(flow.match.conjId).onId.push(flow);
  }
  return out;
}

/** The address clauses of a conjunction, as relevantFlows counts them: clauses with a flow that names an address. */
function addressClauses(served: Served, matchLists: MatchLists): AddressClause[] {
  const byClause = new Map<number, FlowMatch[]>();
  for (let e = 0; e < served.flows.length; e++) {
    const m = served.flows[e]!.match;
    if (!hasAddress(m)) continue;
    const clause = served.clause[e]!;
    let list = byClause.get(clause);
    if (!list) byClause.set(clause, (list = []));
    list.push(m);
  }
  return [...byClause.values()].map((flows): AddressClause => ({
    flows,
    list: matchLists.numberOf(flows),
    asks: flows.every((f) => sourceOf(f) && !destinationOf(f)) ? 'source' : flows.every((f) => !sourceOf(f)) ? 'destination' : 'mixed',
  }));
}

/**
 * What makes a plain conjunction's kind (see Conjunction.kind): its table, priority and
 * clauses, and its conj_id flows; null when it is not plain. A clause flow that hides a hard
 * flow is in a pair's tables whether or not the conjunction completes; its presence is part
 * of the pair's hard signatures, so it does not make the kind less plain.
 */
function plainKind(table: number, served: Served): { clauses: string; verdict: string; priority: number; protocols: number } | null {
  const priority = served.flows[0]!.priority;
  const count = served.clauses[0]!;
  // Per clause: the matches of its flows that name no address, or 'address' when all name one.
  const clauses = new Map<number, Set<string>>();
  const addressed = new Set<number>();
  // Per clause that names no address: the protocols its flows can match.
  const carried = new Map<number, number>();
  for (let e = 0; e < served.flows.length; e++) {
    const flow = served.flows[e]!;
    const clause = served.clause[e]!;
    if (flow.priority !== priority || served.clauses[e] !== count) return null;
    if (hasAddress(flow.match)) {
      if (!isPlainAddress(flow.match)) return null;
      addressed.add(clause);
    } else {
      let texts = clauses.get(clause);
      if (!texts) clauses.set(clause, (texts = new Set()));
      texts.add(matchText(flow.match));
      carried.set(clause, (carried.get(clause) ?? 0) | protocolsOf(flow.match.ipProto));
    }
  }
  let protocols = ALL_PROTOCOLS;
  for (const mask of carried.values()) protocols &= mask;
  const parts = [`${table}`, `${priority}`, `${count}`];
  for (let k = 1; k <= count; k++) {
    // An address clause is supplied for every pair the conjunction joins, whichever flow does it;
    // one that also has flows naming no address is not that simple.
    if (addressed.has(k) && clauses.has(k)) return null;
    parts.push(addressed.has(k) ? 'address' : [...(clauses.get(k) ?? [])].sort().join(';'));
  }
  const onId = served.onId.map((flow) => `${flow.priority} ${matchTextWithoutConjId(flow.match)} ${flow.text.slice(flow.text.indexOf('actions='))}`);
  return { clauses: parts.join('|'), verdict: onId.sort().join('|'), priority, protocols };
}

const ALL_PROTOCOLS = (1 << SERVICE_PROTOCOLS.length) - 1;
const NAMED_PROTOCOLS: Partial<Record<number, ServiceProtocol>> = { 1: 'icmp', 58: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' };

/** The protocols whose packets a flow matching `ipProto` (undefined: any) can meet, as bits. */
function protocolsOf(ipProto: number | undefined): number {
  if (ipProto === undefined) return ALL_PROTOCOLS;
  return 1 << SERVICE_PROTOCOLS.indexOf(NAMED_PROTOCOLS[ipProto] ?? 'other');
}

/** One address field and at most an Ethernet type: the flow holds for every packet between the pairs it supplies. */
function isPlainAddress(m: FlowMatch): boolean {
  let plain = plainAddresses.get(m);
  if (plain === undefined) plainAddresses.set(m, (plain = namesOnlyOneAddress(m)));
  return plain;
}

// Once per match object: the reader shares them between flows and hosts.
const plainAddresses = new WeakMap<FlowMatch, boolean>();

function namesOnlyOneAddress(m: FlowMatch): boolean {
  const fields = Object.keys(m).filter((k) => m[k as keyof FlowMatch] !== undefined);
  return ADDRESS_FIELDS.filter((f) => m[f] !== undefined).length === 1 && fields.every((f) => f === 'ethType' || (ADDRESS_FIELDS as readonly string[]).includes(f));
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return Int32Array.from(out);
}

const NONE = new Int32Array(0);

function sortedUnique(indexes: number[]): Int32Array {
  const sorted = Int32Array.from(indexes).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}
