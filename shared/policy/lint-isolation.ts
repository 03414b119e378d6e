import { pushUnder } from '../arrays';
import type { Diagnostic } from '../diagnostics';
import { qualifiedName, type Workload } from '../inventory/model';
import type { Membership } from './membership';
import type { Policy } from './model';

/** How many of the other groups a warning names before it only counts the rest. */
const NAMED_GROUPS = 3;

/**
 * MS406: isolated groups whose members still talk to each other because another group holds
 * two of them and is not isolated: its within-group rule permits them (docs/pipeline.md,
 * Precedence), which an author who ticked "isolated" rarely expects. One pass over the
 * isolated groups' members, so a large estate pays for those members only.
 */
export function defeatedIsolation(policy: Policy, membership: ReadonlyMap<string, Membership>): Diagnostic[] {
  if (policy.defaults.withinGroup !== 'allow') return [];
  const isolated = policy.groups.flatMap((group, index) => (group.isolated ? [{ name: group.name, index }] : []));
  if (isolated.length === 0) return [];

  const permitting = permittingGroups(policy, membership, isolated);
  const order = new Map(policy.groups.map((g, index) => [g.name, index]));
  return isolated.flatMap(({ name, index }): Diagnostic[] => {
    const shared = sharedPairs(membership.get(name)?.workloads ?? [], permitting);
    if (shared.size === 0) return [];
    const [first, ...rest] = [...shared.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
    const [a, b] = shared.get(first!)!;
    const alsoIn = rest.length === 0 ? '' : ` (as does that of ${describeGroups(rest)}, for members they share)`;
    const them = rest.length === 0 ? `"${first}"` : 'those groups';
    const message = `isolated group "${name}" does not keep its members apart: "${qualifiedName(a!)}" and "${qualifiedName(b!)}" are both in group "${first}" too, which is not isolated, so its within-group rule permits connections between them${alsoIn}; isolate ${them} too, or exclude the members of "${name}" from ${rest.length === 0 ? 'it' : 'them'}`;
    return [{ code: 'MS406', severity: 'warning', message, location: { path: `groups.${index}.isolated`, element: { kind: 'group', id: name } } }];
  });
}

/** `group "x"`, `groups "x", "y"` or `groups "x", "y", "z" and 4 more`. */
function describeGroups(names: readonly string[]): string {
  const listed = names.slice(0, NAMED_GROUPS).map((g) => `"${g}"`).join(', ');
  const more = names.length > NAMED_GROUPS ? ` and ${names.length - NAMED_GROUPS} more` : '';
  return `${names.length === 1 ? 'group' : 'groups'} ${listed}${more}`;
}

/** Workload id → the groups that are not isolated and hold it, for the members of isolated groups only. */
function permittingGroups(policy: Policy, membership: ReadonlyMap<string, Membership>, isolated: readonly { name: string }[]): Map<string, string[]> {
  const guarded = new Set<string>();
  for (const { name } of isolated) for (const w of membership.get(name)?.workloads ?? []) guarded.add(w.id);
  const permitting = new Map<string, string[]>();
  for (const group of policy.groups) {
    if (group.isolated) continue;
    // Blocks never count for the within-group rule: only members selected by criteria do.
    for (const w of membership.get(group.name)?.workloads ?? []) if (guarded.has(w.id)) pushUnder(permitting, w.id, group.name);
  }
  return permitting;
}

/** Other group → the first two of `members` it holds, for the groups that hold at least two. */
function sharedPairs(members: readonly Workload[], permitting: ReadonlyMap<string, string[]>): Map<string, Workload[]> {
  const firstTwo = new Map<string, Workload[]>();
  for (const w of members) {
    for (const group of permitting.get(w.id) ?? []) {
      const list = firstTwo.get(group);
      if (!list) firstTwo.set(group, [w]);
      else if (list.length < 2) list.push(w);
    }
  }
  for (const [group, list] of firstTwo) if (list.length < 2) firstTwo.delete(group);
  return firstTwo;
}
