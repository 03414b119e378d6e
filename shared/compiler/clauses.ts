import type { Workload } from '../inventory/model';
import { cidrMatchValue, parseCidr, type Family } from '../net/address';
import type { MatchIds } from './match-ids';
import { serviceMatches } from './service-matches';
import type { Endpoints, ResolvedRule } from './rules';
import type { Service } from '../policy/model';

/** A rule's conjunction clauses as match ids (see MatchIds), computed once per compile and shared by every host. */
export interface RuleClauses {
  rule: ResolvedRule;
  /** Source and destination matches of all members, for the side that is remote. */
  allSources: readonly number[];
  allDestinations: readonly number[];
  /** Matches of members on each host, for the side that is local. */
  sourcesByHost: HostMatches;
  destinationsByHost: HostMatches;
  /** Null when the rule permits every service (a two-clause conjunction). */
  services: readonly number[] | null;
}

/**
 * Match lists by host, as two lists side by side: the lists' readers only walk them, and a `Map`
 * per group and direction took 3 MB more at the huge estate (5,000 groups over 500 hosts).
 */
export interface HostMatches {
  readonly hosts: readonly string[];
  /** The matches of `hosts[i]`, without repeats. */
  readonly matches: readonly (readonly number[])[];
}

type Direction = 'src' | 'dst';

/**
 * Precomputes every rule's clause matches, each list without repeats. The edges of one group
 * share its endpoints, so each set of endpoints is worked out once per direction, however
 * many rules name it.
 */
export function buildClauses(rules: readonly ResolvedRule[], withIPv6: boolean, cache: AddressMatchCache): RuleClauses[] {
  const all = { src: new Map<Endpoints, number[]>(), dst: new Map<Endpoints, number[]>() };
  const byHost = { src: new Map<Endpoints, HostMatches>(), dst: new Map<Endpoints, HostMatches>() };
  const allOf = (endpoints: Endpoints, direction: Direction): number[] => remember(all[direction], endpoints, () => cache.endpoints(endpoints, direction));
  // The local side of a rule also holds local workloads that lie inside its address blocks.
  const byHostOf = (endpoints: Endpoints, direction: Direction): HostMatches =>
    remember(byHost[direction], endpoints, () => cache.byHost(endpoints.workloads, endpoints.covered, direction));
  // Edges repeat the same few services (tcp/443, udp/53): their port masks are worked out once.
  const byServices = new Map<string, number[]>();
  const servicesOf = (services: readonly Service[]): number[] =>
    remember(byServices, servicesKey(services), () => serviceMatches(services, withIPv6).map((m) => cache.ids.id(m)));
  return rules.map((rule) => ({
    rule,
    allSources: allOf(rule.sources, 'src'),
    allDestinations: allOf(rule.destinations, 'dst'),
    sourcesByHost: byHostOf(rule.sources, 'src'),
    destinationsByHost: byHostOf(rule.destinations, 'dst'),
    services: rule.services ? servicesOf(rule.services) : null,
  }));
}

/** What serviceMatches reads of a list of services, as text: lists with the same key have the same matches. */
function servicesKey(services: readonly Service[]): string {
  let key = '';
  for (const { protocol, ports, icmpCodes } of services)
    key += `${protocol}${ports ? `/${ports.from}-${ports.to}` : ''}${icmpCodes ? `/${icmpCodes.from}-${icmpCodes.to}` : ''},`;
  return key;
}

/** The match of one address in one direction; undefined when it does not parse. */
export function addressMatch(address: string, direction: Direction): string | undefined {
  const cidr = parseCidr(address);
  return cidr ? matchPair(cidr.family, cidrMatchValue(cidr))[direction] : undefined;
}

/** Address matches by address, parsed once per compile however many rules and hosts use them, numbered in the compile's MatchIds. */
export class AddressMatchCache {
  private readonly matches = new Map<string, { family: Family; src: number; dst: number } | null>();
  /** For `distinct`: the pass that last saw each match id. */
  private stamps = new Int32Array(0);
  private pass = 0;

  constructor(readonly ids: MatchIds) {}

  /** The id of one address's match in one direction; undefined when it does not parse. */
  match(address: string, direction: Direction): number | undefined {
    return this.entry(address)?.[direction];
  }

  /** The family of an address or block; undefined when it does not parse. */
  family(address: string): Family | undefined {
    return this.entry(address)?.family;
  }

  /** Distinct matches of a set of addresses (e.g. a host's own workloads), in first-seen order. */
  addresses(addresses: readonly string[], direction: Direction): number[] {
    const out: number[] = [];
    for (const a of addresses) this.add(out, a, direction);
    return this.distinct(out);
  }

  endpoints(endpoints: Endpoints, direction: Direction): number[] {
    const out: number[] = [];
    for (const w of endpoints.workloads) for (const a of w.addresses) this.add(out, a, direction);
    for (const c of endpoints.cidrs) this.add(out, c, direction);
    return this.distinct(out);
  }

  /** Distinct matches of the workloads of both lists, by host. */
  byHost(workloads: readonly Workload[], more: readonly Workload[], direction: Direction): HostMatches {
    const byHost = new Map<string, number[]>();
    const file = (w: Workload): void => {
      let list = byHost.get(w.host);
      if (!list) byHost.set(w.host, (list = []));
      for (const a of w.addresses) this.add(list, a, direction);
    };
    workloads.forEach(file);
    more.forEach(file);
    // Made at their length: `push` would leave room for 17 hosts in each.
    const hosts = new Array<string>(byHost.size);
    const matches = new Array<number[]>(byHost.size);
    let i = 0;
    byHost.forEach((list, host) => {
      hosts[i] = host;
      matches[i++] = this.distinct(list);
    });
    return { hosts, matches };
  }

  private add(list: number[], address: string, direction: Direction): void {
    const m = this.match(address, direction);
    if (m !== undefined) list.push(m);
  }

  /**
   * The list without repeats, first-seen order kept, in an array of its own length. Most lists
   * (a group's members on one host) hold one match: a stamp per match id spares them a `Set`
   * each, and the copy sheds the room `push` left (17 elements for one), which was a third of
   * what a huge compile held before its first host table.
   */
  private distinct(list: number[]): number[] {
    if (list.length < 2) return list.slice();
    if (this.stamps.length < this.ids.size) this.stamps = new Int32Array(2 * this.ids.size);
    const pass = ++this.pass;
    let kept = 0;
    for (const m of list) {
      if (this.stamps[m] === pass) continue;
      this.stamps[m] = pass;
      list[kept++] = m;
    }
    return list.slice(0, kept);
  }

  private entry(address: string): { family: Family; src: number; dst: number } | null {
    let entry = this.matches.get(address);
    if (entry === undefined) {
      entry = null;
      const cidr = parseCidr(address);
      if (cidr) {
        const { src, dst } = matchPair(cidr.family, cidrMatchValue(cidr));
        entry = { family: cidr.family, src: this.ids.id(src), dst: this.ids.id(dst) };
      }
      this.matches.set(address, entry);
    }
    return entry;
  }
}

function remember<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function matchPair(family: 4 | 6, value: string): { src: string; dst: string } {
  return family === 4
    ? { src: `ip,nw_src=${value}`, dst: `ip,nw_dst=${value}` }
    : { src: `ipv6,ipv6_src=${value}`, dst: `ipv6,ipv6_dst=${value}` };
}
