import type { AddressBits, AddressMask } from '../simulator/address-bits';
import { addressMatches } from '../simulator/address-bits';
import { ETH_TYPE, formatMatch, hasAddress, isConjunctive, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import { isExactMask } from '../simulator/table-index';

/** One flow of an address clause: what it asks of the source and of the destination (either may be anything). */
interface ClauseFlow {
  ethType?: number;
  src?: AddressMask;
  dst?: AddressMask;
}

/** One address clause, with what rows share worked out on first use. */
interface AddressClause {
  flows: ClauseFlow[];
  /**
   * `source`: every flow asks about the source only (`gate` once it decides which rows the
   * conjunction is a candidate for); `destination`: no flow asks about it; else mixed.
   */
  asks: 'gate' | 'source' | 'destination' | 'mixed';
  /** When every flow asks about the source only: the sources it holds for (it lets every destination through). */
  sources?: Set<number>;
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
  /** Per endpoint: conjunctions one of whose clauses asks for it as the source (only those can join it as one). */
  private readonly bySource: number[][];
  /** Conjunctions with no clause that asks about the source alone: candidates for every row. */
  private readonly everyRow: number[] = [];
  /** Endpoints under each prefix mask (and Ethernet type) asked about. */
  private readonly underPrefix = new Map<string, Int32Array>();
  /** Per family, endpoint index by address value. */
  private readonly byValue = { 4: new Map<bigint, number>(), 6: new Map<bigint, number>() };
  /** Per conjunction, the last row that visited it. */
  private stamp = new Int32Array(0);
  private readonly all: Int32Array;

  constructor(
    tables: HostFlowTables,
    private readonly endpoints: readonly { address: AddressBits; host?: string }[],
  ) {
    endpoints.forEach((e, i) => this.byValue[e.address.family].set(e.address.value, i));
    this.bySource = endpoints.map(() => []);
    this.all = Int32Array.from(endpoints.keys());
    const kinds = new Map<string, number>();
    for (const [host, byTable] of tables)
      for (const [table, flows] of byTable)
        for (const [id, served] of conjunctionFlows(flows)) {
          const kindKey = kindOf(table, id, served);
          let kind = -1;
          if (kindKey !== null) {
            kind = kinds.get(kindKey) ?? kinds.size;
            kinds.set(kindKey, kind);
          }
          const clauses = addressClauses(id, served);
          if (clauses.length > 0) this.add({ host, table, id, clauses, kind });
        }
  }

  /**
   * For source endpoint `row`: each destination some conjunction joins it to on the source's
   * or the destination's host (the only ones its path meets), with those conjunctions. Pairs
   * of one endpoint with itself, or of two families, are left out.
   */
  row(row: number): Map<number, number[]> {
    const source = this.endpoints[row]!;
    if (this.stamp.length !== this.conjunctions.length) this.stamp = new Int32Array(this.conjunctions.length).fill(-1);
    const out = new Map<number, number[]>();
    const visit = (c: number): void => {
      if (this.stamp[c] === row) return;
      this.stamp[c] = row;
      const conjunction = this.conjunctions[c]!;
      const columns = this.columns(conjunction, row);
      if (columns.length === 0) return;
      for (const col of columns) {
        const destination = this.endpoints[col]!;
        if (col === row || destination.address.family !== source.address.family) continue;
        if (conjunction.host !== source.host && conjunction.host !== destination.host) continue;
        const list = out.get(col);
        if (list) list.push(c);
        else out.set(col, [c]);
      }
    };
    for (const c of this.bySource[row]!) visit(c);
    for (const c of this.everyRow) visit(c);
    return out;
  }

  private add(conjunction: Conjunction): void {
    const index = this.conjunctions.push(conjunction) - 1;
    // A clause whose every flow asks about the source gates the rows: only its sources can be
    // joined, so a row that comes through it need not ask it again.
    const gate = conjunction.clauses.find((k) => k.flows.every((f) => f.src));
    if (!gate) {
      this.everyRow.push(index);
      return;
    }
    const rows = new Set<number>();
    for (const f of gate.flows) this.forEachMatching(f.src!, f.ethType, (i) => rows.add(i));
    for (const i of rows) this.bySource[i]!.push(index);
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
      if (!clause.sources) {
        const sources = new Set<number>();
        for (const f of clause.flows) this.forEachMatching(f.src!, f.ethType, (i) => sources.add(i));
        clause.sources = sources;
      }
      return clause.sources.has(row) ? null : NONE;
    }
    if (clause.destinations !== undefined) return clause.destinations;
    const parts: Int32Array[] = [];
    let all = false;
    for (const f of clause.flows) {
      if (f.src && !holds(f.src, f.ethType, this.endpoints[row]!.address)) continue;
      if (!f.dst) all = true;
      else {
        const part: number[] = [];
        this.forEachMatching(f.dst, f.ethType, (i) => part.push(i));
        parts.push(Int32Array.from(part));
      }
    }
    const destinations = all ? null : union(parts);
    if (clause.asks === 'destination') {
      clause.destinations = destinations;
      clause.flows = [];
    }
    return destinations;
  }

  /** Calls `f` with each endpoint a mask (under an Ethernet type) holds for, in ascending order. */
  private forEachMatching(mask: AddressMask, ethType: number | undefined, f: (i: number) => void): void {
    if (isExactMask(mask)) {
      const i = this.byValue[mask.family].get(mask.value);
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

/** relevantFlows' test for one side: the mask holds and the flow's Ethernet type is the address's family. */
function holds(mask: AddressMask, ethType: number | undefined, address: AddressBits): boolean {
  if (ethType !== undefined && ethType !== (address.family === 4 ? ETH_TYPE.ipv4 : ETH_TYPE.ipv6)) return false;
  return addressMatches(mask, address);
}

/** Per conjunction id, the flows that serve it (clause flows) and the flows on its conj_id. */
interface Served {
  clauseFlows: SimFlow[];
  onId: SimFlow[];
}

function conjunctionFlows(flows: readonly SimFlow[]): Map<number, Served> {
  const out = new Map<number, Served>();
  const entry = (id: number): Served => {
    let served = out.get(id);
    if (!served) out.set(id, (served = { clauseFlows: [], onId: [] }));
    return served;
  };
  for (const flow of flows) {
    if (isConjunctive(flow)) {
      for (const action of flow.actions) if (action.kind === 'conjunction') entry(action.id).clauseFlows.push(flow);
    } else if (flow.match.conjId !== undefined && !hasAddress(flow.match)) entry(flow.match.conjId).onId.push(flow);
  }
  return out;
}

/** The address clauses of a conjunction, as relevantFlows counts them: clauses with a flow that names an address. */
function addressClauses(id: number, served: Served): AddressClause[] {
  const byClause = new Map<number, ClauseFlow[]>();
  for (const flow of served.clauseFlows) {
    if (!hasAddress(flow.match)) continue;
    const m = flow.match;
    const src = m.nwSrc ?? m.ipv6Src;
    const dst = m.nwDst ?? m.ipv6Dst;
    for (const action of flow.actions)
      if (action.kind === 'conjunction' && action.id === id) {
        const list = byClause.get(action.clause) ?? [];
        list.push({ ...(m.ethType !== undefined ? { ethType: m.ethType } : {}), ...(src ? { src } : {}), ...(dst ? { dst } : {}) });
        byClause.set(action.clause, list);
      }
  }
  return [...byClause.values()].map((flows): AddressClause => ({
    flows,
    asks: flows.every((f) => f.src && !f.dst) ? 'source' : flows.every((f) => !f.src) ? 'destination' : 'mixed',
  }));
}

/**
 * The kind key of a plain conjunction (see Conjunction.kind), or null. A clause flow that
 * hides a hard flow is in a pair's tables whether or not the conjunction completes; its
 * presence is part of the pair's hard signatures, so it does not make the kind less plain.
 */
function kindOf(table: number, id: number, served: Served): string | null {
  const priorities = new Set(served.clauseFlows.map((f) => f.priority));
  const sizes = new Set<number>();
  const clauses = new Map<number, string[]>();
  for (const flow of served.clauseFlows) {
    for (const action of flow.actions) {
      if (action.kind !== 'conjunction' || action.id !== id) continue;
      sizes.add(action.clauses);
      const list = clauses.get(action.clause) ?? [];
      clauses.set(action.clause, list);
      if (!hasAddress(flow.match)) list.push(formatMatch(flow.match));
      else if (!isPlainAddress(flow.match)) return null;
      else list.push('address');
    }
  }
  if (priorities.size !== 1 || sizes.size !== 1) return null;
  const [n] = sizes;
  const parts = [`${table}`, `${[...priorities][0]}`, `${n}`];
  for (let k = 1; k <= n!; k++) {
    const list = clauses.get(k) ?? [];
    // An address clause is supplied for every pair the conjunction joins, whichever flow does it;
    // one that also has flows naming no address is not that simple.
    if (list.includes('address') && !list.every((x) => x === 'address')) return null;
    parts.push([...new Set(list)].sort().join(';'));
  }
  const onId = served.onId.map((flow) => {
    const rest: FlowMatch = { ...flow.match };
    delete rest.conjId;
    return `${flow.priority} ${formatMatch(rest)} ${flow.text.slice(flow.text.indexOf('actions='))}`;
  });
  return [...parts, ...onId.sort()].join('|');
}

/** One address field and at most an Ethernet type: the flow holds for every packet between the pairs it supplies. */
function isPlainAddress(m: FlowMatch): boolean {
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

function union(parts: readonly Int32Array[]): Int32Array {
  if (parts.length === 0) return NONE;
  if (parts.length === 1) return parts[0]!;
  return Int32Array.from(new Set(parts.flatMap((p) => [...p]))).sort();
}
