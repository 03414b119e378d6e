import { cidrsOverlap } from '../net/cidr-set';
import type { Membership } from '../policy/membership';
import type { Edge, Policy } from '../policy/model';
import { intersectServices } from '../policy/services';

/** One thing the export keeps that permits connections: an allow or log edge, or a group's within-group rule. */
interface Permission {
  what: string;
  /** Whether it permits some connection of this blocking edge, which the edge stops in the design. */
  overlaps: (blocking: Edge) => boolean;
}

/**
 * NetworkPolicy can only allow, so the export leaves a design's deny, reject and redirect edges
 * out and lets its default-deny stop their connections. That is exact only where nothing the
 * export keeps permits one of them: an allow or log edge they outrank, or a group's
 * within-group rule, which every edge outranks. Where one does, the exported policies would
 * permit what the design stops: returned as one problem per blocking edge, with the first
 * permission that overlaps it. Without an inventory the members are unknown, so every
 * blocking edge is a problem: give one.
 */
export function blockedButExported(policy: Policy, members: ReadonlyMap<string, Membership> | undefined): { edge: Edge; index: number; problem: string }[] {
  const blocking = policy.edges.map((edge, index) => ({ edge, index })).filter(({ edge }) => edge.action !== 'allow' && edge.action !== 'log');
  if (blocking.length === 0) return [];
  if (!members) {
    return blocking.map(({ edge, index }) => ({
      edge,
      index,
      problem: `edge "${edge.id}" (${edge.action}) cannot be left to the default-deny without knowing the workloads: export with --inventory, so that what the exported allows share with it can be checked`,
    }));
  }
  const permissions = permissionsOf(policy, members);
  return blocking.flatMap(({ edge, index }) => {
    const overlapping = permissions.find((p) => p.overlaps(edge));
    if (!overlapping) return [];
    const problem = `edge "${edge.id}" (${edge.action}) stops connections that ${overlapping.what} permits; NetworkPolicy can only allow, so the export would permit them too. Narrow one of the two so they share no connection, or keep enforcing this design with the compiled flows`;
    return [{ edge, index, problem }];
  });
}

function permissionsOf(policy: Policy, members: ReadonlyMap<string, Membership>): Permission[] {
  const share = (a: string, b: string): boolean => a === b || sharesMembers(members.get(a), members.get(b));
  const edges: Permission[] = policy.edges
    .filter((e) => e.action === 'allow' || e.action === 'log')
    .map((allow) => ({
      what: `${allow.action} edge "${allow.id}"`,
      overlaps: (blocking) => share(blocking.from, allow.from) && share(blocking.to, allow.to) && intersectServices(blocking.services, allow.services).length > 0,
    }));
  if (policy.defaults.withinGroup !== 'allow') return edges;
  // Every service between two members of a group; its address blocks never count for the rule.
  const within: Permission[] = policy.groups
    .filter((g) => !g.isolated)
    .map((group) => {
      const inside = new Set(members.get(group.name)?.workloads.map((w) => w.id));
      const membersIn = (name: string): string[] => everyWorkload(members.get(name)).filter((id) => inside.has(id));
      return {
        what: `the within-group rule of group "${group.name}"`,
        overlaps: (blocking) => {
          const sources = membersIn(blocking.from);
          const destinations = membersIn(blocking.to);
          return sources.some((s) => destinations.some((d) => d !== s));
        },
      };
    });
  return [...edges, ...within];
}

function everyWorkload(m: Membership | undefined): string[] {
  return m ? [...m.workloads, ...m.covered].map((w) => w.id) : [];
}

/** Whether two groups hold a workload in common, or address blocks that overlap. */
function sharesMembers(a: Membership | undefined, b: Membership | undefined): boolean {
  if (!a || !b) return false;
  const inA = new Set(everyWorkload(a));
  return everyWorkload(b).some((id) => inA.has(id)) || cidrsOverlap(a.cidrs, b.cidrs);
}
