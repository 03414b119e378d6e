import type { Workload } from '../inventory/model';
import type { Membership } from '../policy/membership';
import type { Policy, Service } from '../policy/model';
import { cookieFor, type RuleKind } from './pipeline';

/** One permission after membership is resolved: who may open connections to whom, on what. */
export interface ResolvedRule {
  /** 1-based, also the conjunction id; unique within a compile. */
  number: number;
  kind: Extract<RuleKind, 'within-group' | 'edge'>;
  /** What the rule does with the connections it matches. */
  verdict: RuleVerdict;
  cookie: string;
  /** The canvas element that produced the rule. */
  ref: { kind: 'group' | 'edge'; id: string };
  sources: Endpoints;
  destinations: Endpoints;
  /** Null means every protocol and port. */
  services: Service[] | null;
}

export type RuleVerdict = 'allow' | 'log' | 'deny' | 'reject';

export interface Endpoints {
  workloads: Workload[];
  cidrs: string[];
}

/**
 * Lists the rules a policy produces, numbered in a canonical order (within-group rules by
 * group name, then edges by id), so the output never depends on drawing order.
 */
export function resolveRules(policy: Policy, membership: Map<string, Membership>): ResolvedRule[] {
  const rules: Omit<ResolvedRule, 'number' | 'cookie'>[] = [];
  const groups = [...policy.groups].sort((a, b) => compare(a.name, b.name));

  if (policy.defaults.withinGroup === 'allow') {
    for (const group of groups) {
      if (group.isolated) continue;
      const members = membership.get(group.name)?.workloads ?? [];
      // External address blocks never talk to each other through our switches.
      const endpoints = { workloads: members, cidrs: [] };
      rules.push({ kind: 'within-group', verdict: 'allow', ref: { kind: 'group', id: group.name }, sources: endpoints, destinations: endpoints, services: null });
    }
  }

  for (const edge of [...policy.edges].sort((a, b) => compare(a.id, b.id))) {
    const from = membership.get(edge.from);
    const to = membership.get(edge.to);
    if (!from || !to) continue;
    const anyService = edge.services.some((s) => s.protocol === 'any');
    rules.push({ kind: 'edge', verdict: edge.action, ref: { kind: 'edge', id: edge.id }, sources: from, destinations: to, services: anyService ? null : edge.services });
  }

  return rules.map((rule, i) => ({ ...rule, number: i + 1, cookie: cookieFor(rule.kind, i + 1) }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
