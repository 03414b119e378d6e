import type { Workload } from '../inventory/model';
import { cidrMatchValue, parseCidr } from '../net/address';
import { serviceMatches } from './service-matches';
import type { Endpoints, ResolvedRule } from './rules';

/** A rule's conjunction clauses, computed once per compile and shared by every host. */
export interface RuleClauses {
  rule: ResolvedRule;
  /** Source and destination matches of all members, for the side that is remote. */
  allSources: string[];
  allDestinations: string[];
  /** Matches of members on each host, for the side that is local. */
  sourcesByHost: Map<string, string[]>;
  destinationsByHost: Map<string, string[]>;
  /** Null when the rule permits every service (a two-clause conjunction). */
  services: string[] | null;
}

/**
 * Precomputes every rule's clause matches. Address parsing and match text are cached per
 * address, so a workload in many groups costs one parse, not one per rule and host.
 */
export function buildClauses(rules: readonly ResolvedRule[], withIPv6: boolean, cache = new AddressMatchCache()): RuleClauses[] {
  return rules.map((rule) => ({
    rule,
    allSources: cache.endpoints(rule.sources, 'src'),
    allDestinations: cache.endpoints(rule.destinations, 'dst'),
    // The local side of a rule also holds local workloads that lie inside its address blocks.
    sourcesByHost: cache.byHost([...rule.sources.workloads, ...rule.sources.covered], 'src'),
    destinationsByHost: cache.byHost([...rule.destinations.workloads, ...rule.destinations.covered], 'dst'),
    services: rule.services ? serviceMatches(rule.services, withIPv6) : null,
  }));
}

/** Matches of a set of addresses (e.g. a host's own workloads) in one direction; a compile passes its one cache. */
export function addressMatchesOf(addresses: readonly string[], direction: 'src' | 'dst', cache = new AddressMatchCache()): string[] {
  return [...new Set(addresses.flatMap((a) => cache.match(a, direction) ?? []))];
}

/** The match of one address in one direction; undefined when it does not parse. */
export function addressMatch(address: string, direction: 'src' | 'dst'): string | undefined {
  const cidr = parseCidr(address);
  return cidr ? matchPair(cidr.family, cidrMatchValue(cidr))[direction] : undefined;
}

/** Address matches by address, parsed once per compile however many rules and hosts use them. */
export class AddressMatchCache {
  private readonly matches = new Map<string, { src: string; dst: string } | null>();

  match(address: string, direction: 'src' | 'dst'): string | undefined {
    let entry = this.matches.get(address);
    if (entry === undefined) {
      const cidr = parseCidr(address);
      entry = cidr ? matchPair(cidr.family, cidrMatchValue(cidr)) : null;
      this.matches.set(address, entry);
    }
    return entry?.[direction];
  }

  endpoints(endpoints: Endpoints, direction: 'src' | 'dst'): string[] {
    const out = new Set<string>();
    for (const w of endpoints.workloads) for (const a of w.addresses) this.add(out, a, direction);
    for (const c of endpoints.cidrs) this.add(out, c, direction);
    return [...out];
  }

  byHost(workloads: readonly Workload[], direction: 'src' | 'dst'): Map<string, string[]> {
    const byHost = new Map<string, Set<string>>();
    for (const w of workloads) {
      let set = byHost.get(w.host);
      if (!set) byHost.set(w.host, (set = new Set()));
      for (const a of w.addresses) this.add(set, a, direction);
    }
    return new Map([...byHost].map(([host, set]) => [host, [...set]]));
  }

  private add(set: Set<string>, address: string, direction: 'src' | 'dst'): void {
    const m = this.match(address, direction);
    if (m !== undefined) set.add(m);
  }
}

function matchPair(family: 4 | 6, value: string): { src: string; dst: string } {
  return family === 4
    ? { src: `ip,nw_src=${value}`, dst: `ip,nw_dst=${value}` }
    : { src: `ipv6,ipv6_src=${value}`, dst: `ipv6,ipv6_dst=${value}` };
}
