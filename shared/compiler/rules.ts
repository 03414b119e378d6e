import type { Workload } from '../inventory/model';
import { cidrMatcher, subtractCidrs } from '../net/cidr-set';
import type { Membership } from '../policy/membership';
import type { Policy, Service } from '../policy/model';
import { resolveNamedPorts } from './named-ports';
import { cookieFor, type RuleKind } from './pipeline';

/** One permission after membership is resolved: who may open connections to whom, on what. */
export interface ResolvedRule {
  /** 1-based, also the conjunction id; unique within a compile. */
  number: number;
  kind: Extract<RuleKind, 'within-group' | 'edge' | 'dns'>;
  /** What the rule does with the connections it matches. */
  verdict: RuleVerdict;
  cookie: string;
  /** The canvas element (or policy setting) that produced the rule. */
  ref: { kind: 'group' | 'edge' | 'setting'; id: string };
  sources: Endpoints;
  destinations: Endpoints;
  /** Null means every protocol and port. */
  services: Service[] | null;
  /** With verdict `redirect`: the honeypot's number (see redirects.ts). */
  redirectTarget?: number;
}

export type RuleVerdict = 'allow' | 'log' | 'deny' | 'reject' | 'redirect';

/** One side of a rule: selected workloads, address blocks, and the workloads inside those blocks. */
export interface Endpoints {
  workloads: Workload[];
  cidrs: string[];
  covered: Workload[];
}

/**
 * Lists the rules a policy produces, numbered in a canonical order (DNS to named resolvers,
 * within-group rules by group name, then edges by id), so the output never depends on
 * drawing order. An edge with named ports may give several rules, one per part of its
 * destinations (see named-ports.ts), numbered one after another.
 */
export function resolveRules(
  policy: Policy,
  membership: Map<string, Membership>,
  workloads: readonly Workload[],
  redirectTargets: ReadonlyMap<string, { number: number }> = new Map(),
): ResolvedRule[] {
  const rules: Omit<ResolvedRule, 'number' | 'cookie'>[] = [];
  const groups = [...policy.groups].sort((a, b) => compare(a.name, b.name));

  const resolvers = subtractCidrs(policy.infrastructure?.dnsResolvers ?? [], []);
  if (resolvers.length > 0) {
    // Every workload may query the named resolvers; nobody else gains anything from this rule.
    const inResolvers = cidrMatcher(resolvers);
    rules.push({
      kind: 'dns',
      verdict: 'allow',
      ref: { kind: 'setting', id: 'infrastructure.dnsResolvers' },
      sources: { workloads: [...workloads], cidrs: [], covered: [] },
      destinations: { workloads: [], cidrs: resolvers, covered: workloads.filter((w) => w.addresses.some(inResolvers)).map((w) => ({ ...w, addresses: w.addresses.filter(inResolvers) })) },
      services: DNS_SERVICES,
    });
  }

  if (policy.defaults.withinGroup === 'allow') {
    for (const group of groups) {
      if (group.isolated) continue;
      const members = membership.get(group.name)?.workloads ?? [];
      // Address blocks count for edges only: "internet = 0.0.0.0/0" must not let every
      // workload inside it talk to every other.
      const endpoints = { workloads: members, cidrs: [], covered: [] };
      rules.push({ kind: 'within-group', verdict: 'allow', ref: { kind: 'group', id: group.name }, sources: endpoints, destinations: endpoints, services: null });
    }
  }

  for (const edge of [...policy.edges].sort((a, b) => compare(a.id, b.id))) {
    const from = membership.get(edge.from);
    const to = membership.get(edge.to);
    if (!from || !to) continue;
    const anyService = edge.services.some((s) => s.protocol === 'any');
    const redirectTarget = edge.action === 'redirect' ? redirectTargets.get(edge.redirectTo?.trim() ?? '')?.number : undefined;
    // Named ports resolve per destination: one rule per set of destinations sharing the numbers.
    const parts: { destinations: Endpoints; services: Service[] | null }[] = anyService ? [{ destinations: to, services: null }] : resolveNamedPorts(edge.services, to);
    for (const part of parts) {
      rules.push({
        kind: 'edge',
        verdict: edge.action,
        ref: { kind: 'edge', id: edge.id },
        sources: from,
        destinations: part.destinations,
        services: part.services,
        redirectTarget,
      });
    }
  }

  return rules.map((rule, i) => numbered(rule, i + 1));
}

/**
 * The rule with its number and cookie, every field written out: one object shape for all
 * rules, where a spread of the rule made each a dictionary of its own (over 400 bytes, 10 MB at
 * the huge estate's 24,500 rules).
 */
function numbered(rule: Omit<ResolvedRule, 'number' | 'cookie'>, number: number): ResolvedRule {
  const { kind, verdict, ref, sources, destinations, services, redirectTarget } = rule;
  return { number, kind, verdict, cookie: cookieFor(kind, number), ref, sources, destinations, services, redirectTarget };
}

const DNS_SERVICES: Service[] = [
  { protocol: 'udp', ports: { from: 53, to: 53 } },
  { protocol: 'tcp', ports: { from: 53, to: 53 } },
];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
