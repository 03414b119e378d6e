import { pushUnder } from '../arrays';
import type { Workload } from '../inventory/model';
import type { Membership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { addressMatch } from './clauses';
import type { CountedMatches, MatchChangeLog } from './counted-matches';
import { ruleBandPriority } from './host-table';
import type { Endpoints, ResolvedRule } from './rules';
import { serviceMatches } from './service-matches';

type Direction = 'src' | 'dst';

/** One rule as a compile session keeps it: its band and its clauses, counted so members can come and go. */
export interface SessionRule {
  rule: ResolvedRule;
  /** The priority of the rule's band; a session only keeps rules that never spilled below it. */
  top: number;
  /** The match of its `conj_id` flow, made once: a patch files edits by it. */
  conjunctionMatch: string;
  /** Null when the rule permits every service (a two-clause conjunction). */
  services: string[] | null;
  /** Every member's matches, for the side that is remote. */
  all: Record<Direction, CountedMatches>;
  /** Each host's members' matches, for the side that is local. */
  local: Record<Direction, Map<string, CountedMatches>>;
}

/** The session's rules, and which of them a workload joins through each group. */
export interface SessionRules {
  byNumber: SessionRule[];
  /** Rules whose sources are every workload (DNS to named resolvers). */
  everyone: SessionRule[];
  bySource: Map<string, SessionRule[]>;
  byDestination: Map<string, SessionRule[]>;
  /** Groups some edge's named ports resolve on: a member changes which rules the edge gives. */
  namedPortDestinations: Set<string>;
}

/** Indexes a compile's rules by the groups that feed them, and counts their clauses as the compile built them. */
export function sessionRules(policy: Policy, rules: readonly ResolvedRule[], withIPv6: boolean): SessionRules {
  const edges = new Map(policy.edges.map((e) => [e.id, e]));
  const index: SessionRules = { byNumber: [], everyone: [], bySource: new Map(), byDestination: new Map(), namedPortDestinations: new Set() };
  for (const rule of rules) {
    const state: SessionRule = {
      rule,
      top: ruleBandPriority(rule, 0),
      conjunctionMatch: `conj_id=${rule.number}`,
      services: rule.services ? serviceMatches(rule.services, withIPv6) : null,
      all: { src: counted(rule.sources, 'src'), dst: counted(rule.destinations, 'dst') },
      // The local side also holds local workloads inside the rule's address blocks (as clauses.ts does).
      local: { src: countedByHost([...rule.sources.workloads, ...rule.sources.covered], 'src'), dst: countedByHost([...rule.destinations.workloads, ...rule.destinations.covered], 'dst') },
    };
    index.byNumber.push(state);
    const edge = rule.kind === 'edge' ? edges.get(rule.ref.id) : undefined;
    const groups = rule.kind === 'within-group' ? { from: rule.ref.id, to: rule.ref.id } : edge;
    if (rule.kind === 'dns') index.everyone.push(state);
    if (!groups) continue;
    pushUnder(index.bySource, groups.from, state);
    pushUnder(index.byDestination, groups.to, state);
  }
  // From the policy, not the rules: an edge whose named ports resolve on no destination yet has no rule.
  for (const edge of policy.edges) {
    if (!edge.services.some((s) => s.protocol === 'any') && edge.services.some((s) => s.portName !== undefined)) index.namedPortDestinations.add(edge.to);
  }
  return index;
}

/** Workload id → the groups whose workload criteria hold it (address blocks aside). */
export function groupsByWorkload(membership: ReadonlyMap<string, Membership>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [name, m] of membership) for (const w of m.workloads) pushUnder(groups, w.id, name);
  return groups;
}

/**
 * Adds (delta 1) or takes away (delta -1) one workload's matches in the rules it joins: as a
 * source of `asSource`, as a destination of `asDestination`.
 */
export function bumpMember(workload: Workload, asSource: readonly SessionRule[], asDestination: readonly SessionRule[], delta: 1 | -1, log: MatchChangeLog): void {
  for (const [rules, direction] of [[asSource, 'src'], [asDestination, 'dst']] as const) {
    const matches = workload.addresses.flatMap((a) => addressMatch(a, direction) ?? []);
    for (const rule of rules) {
      let local = rule.local[direction].get(workload.host);
      if (!local) rule.local[direction].set(workload.host, (local = new Map<string, number>()));
      for (const m of matches) {
        log.bump(rule.all[direction], m, delta);
        log.bump(local, m, delta);
      }
    }
  }
}

/** Members' and blocks' matches: the remote side (as clauses.ts builds it). */
function counted(endpoints: Endpoints, direction: Direction): CountedMatches {
  const matches: CountedMatches = new Map();
  for (const w of endpoints.workloads) for (const a of w.addresses) count(matches, addressMatch(a, direction));
  for (const c of endpoints.cidrs) count(matches, addressMatch(c, direction));
  return matches;
}

function countedByHost(workloads: readonly Workload[], direction: Direction): Map<string, CountedMatches> {
  const byHost = new Map<string, CountedMatches>();
  for (const w of workloads) {
    let matches = byHost.get(w.host);
    if (!matches) byHost.set(w.host, (matches = new Map<string, number>()));
    for (const a of w.addresses) count(matches, addressMatch(a, direction));
  }
  return byHost;
}

function count(matches: CountedMatches, match: string | undefined): void {
  if (match !== undefined) matches.set(match, (matches.get(match) ?? 0) + 1);
}
