import { pushUnder } from '../arrays';
import type { Workload } from '../inventory/model';
import { cidrMatcher, subtractCidrs } from '../net/cidr-set';
import { matchesLabels, parseLabelSelector, type LabelRequirement } from './label-selector';
import type { ExcludeSelector, Group, Policy } from './model';
import { NAMESPACE_NAME_LABEL } from './namespace-name';

/**
 * Who a group holds right now. `workloads` are selected by the workload criteria (labels,
 * namespace labels, image, namespace, host); `cidrs` are address blocks, which hold every
 * address in them, a workload's too: `covered` lists the workloads with addresses inside (just
 * those addresses). Excluded workloads are in none of the three: their addresses are carved out
 * of the blocks. Edges treat the group as all three; the within-group rule only as `workloads`.
 */
export interface Membership {
  workloads: Workload[];
  cidrs: string[];
  covered: Workload[];
}

/**
 * Resolves every group of a policy against an inventory. Workload criteria (labels, namespace
 * labels, image, namespace, host) must all hold; `cidrs` adds address blocks besides the
 * workloads they select (a union, not a filter); `exclude` takes workloads out again. Deterministic: members come sorted by workload id.
 */
export function resolveMembership(policy: Pick<Policy, 'groups'>, workloads: readonly Workload[]): Map<string, Membership> {
  const sorted = [...workloads].sort((a, b) => a.id.localeCompare(b.id));
  const byLabel = labelIndex(sorted);
  const result = new Map<string, Membership>();
  for (const group of policy.groups) result.set(group.name, membershipOf(group, sorted, byLabel));
  return result;
}

/**
 * Things filed under a label, by its key and then its value: no `key=value` string is made to
 * file or to look up (200,000 labels at the huge size made as many).
 */
class ByLabel<T> {
  private readonly byKey = new Map<string, Map<string, T[]>>();

  add(key: string, value: string, item: T): void {
    let byValue = this.byKey.get(key);
    if (!byValue) this.byKey.set(key, (byValue = new Map<string, T[]>()));
    pushUnder(byValue, value, item);
  }

  get(key: string, value: string): readonly T[] {
    return this.byKey.get(key)?.get(value) ?? [];
  }
}

/** The workloads carrying each label, in the given (sorted) order. */
function labelIndex(workloads: readonly Workload[]): ByLabel<Workload> {
  const index = new ByLabel<Workload>();
  for (const w of workloads) for (const key in w.labels) index.add(key, w.labels[key]!, w);
  return index;
}

/**
 * The workloads worth testing against a selector: those carrying the rarest label an
 * equality requirement names (most selectors have one), else all. Only a shortcut: the full
 * predicate still decides, and the candidates keep the sorted order.
 */
function candidatesFor(requirements: readonly LabelRequirement[] | null, all: readonly Workload[], byLabel: ByLabel<Workload>): readonly Workload[] {
  let best: readonly Workload[] = all;
  for (const r of requirements ?? []) {
    if (r.op !== 'eq') continue;
    const list = byLabel.get(r.key, r.value);
    if (list.length < best.length) best = list;
  }
  return best;
}

/**
 * The groups whose criteria hold a workload (its labels, namespace, image, host; exclusions
 * applied), in policy order: what resolveMembership lists the workload under, without address
 * blocks. Selectors are parsed once per group list (policies are replaced, never edited in
 * place), so asking about one workload at a time (a live inventory's changes, the few
 * addresses of an impact) costs the predicates of the groups it may be in only.
 */
export function groupCriteria(policy: Policy): (workload: Workload) => string[] {
  let criteria = criteriaByGroups.get(policy.groups);
  if (!criteria) criteriaByGroups.set(policy.groups, (criteria = criteriaOf(policy.groups)));
  return criteria;
}

const criteriaByGroups = new WeakMap<readonly Group[], (workload: Workload) => string[]>();

interface GroupCheck {
  order: number;
  name: string;
  match: (w: Workload) => boolean;
  excludes: ((w: Workload) => boolean)[];
}

function criteriaOf(groups: readonly Group[]): (workload: Workload) => string[] {
  const parsed = groups.map((group) => ({ group, requirements: requirementsOf(group.selector.labels) }));
  // Most selectors require label values: such a group is asked only about workloads carrying
  // one of them, the one fewest selectors require (`env=prod` would bring a third of the groups).
  const requiring = new ByLabel<Group>();
  for (const { group, requirements } of parsed) for (const r of requiredLabels(requirements)) requiring.add(r.key, r.value, group);
  const byLabel = new ByLabel<GroupCheck>();
  const unfiled: GroupCheck[] = [];
  parsed.forEach(({ group, requirements }, order) => {
    const match = selectorPredicate(group.selector, requirements);
    if (match === null) return;
    const excludes = (group.selector.exclude ?? []).map((e) => selectorPredicate(e, requirementsOf(e.labels))).filter((p) => p !== null);
    const check = { order, name: group.name, match, excludes };
    const rarest = requiredLabels(requirements).sort((a, b) => requiring.get(a.key, a.value).length - requiring.get(b.key, b.value).length)[0];
    if (rarest === undefined) unfiled.push(check);
    else byLabel.add(rarest.key, rarest.value, check);
  });
  return (workload) => {
    const candidates = [...unfiled];
    for (const key in workload.labels) candidates.push(...byLabel.get(key, workload.labels[key]!));
    return candidates
      .sort((a, b) => a.order - b.order)
      .filter((g) => g.match(workload) && !g.excludes.some((p) => p(workload)))
      .map((g) => g.name);
  };
}

/** The labels the requirements insist on a value of. */
function requiredLabels(requirements: readonly LabelRequirement[] | null | undefined): { key: string; value: string }[] {
  return (requirements ?? []).flatMap((r) => (r.op === 'eq' ? [{ key: r.key, value: r.value }] : []));
}

/**
 * Workloads that no group holds, by its criteria or through its address blocks (edges to and
 * from a block reach the workloads inside it): usually a selector typo or a forgotten group.
 */
export function ungroupedWorkloads(membership: Map<string, Membership>, workloads: readonly Workload[]): Workload[] {
  const grouped = new Set<string>();
  for (const m of membership.values()) for (const w of [...m.workloads, ...m.covered]) grouped.add(w.id);
  return workloads.filter((w) => !grouped.has(w.id));
}

function membershipOf(group: Group, workloads: readonly Workload[], byLabel: ByLabel<Workload>): Membership {
  // Parsed once for both the index shortcut and the predicate; an unparsable selector selects nobody.
  const requirements = requirementsOf(group.selector.labels);
  const match = selectorPredicate(group.selector, requirements);
  const excluded = excludedWorkloads(group.selector.exclude ?? [], workloads);
  const candidates = candidatesFor(requirements ?? null, workloads, byLabel);
  // An excluded workload leaves the blocks too: its addresses are carved out of them.
  const carvedOut = [...(group.selector.except ?? []), ...[...excluded].flatMap((w) => w.addresses)];
  const cidrs = subtractCidrs(group.selector.cidrs ?? [], carvedOut);
  const inBlocks = cidrMatcher(cidrs);
  // Only the addresses inside the blocks: a workload's other addresses stay outside the group.
  const covered = cidrs.length > 0 ? workloads.filter((w) => w.addresses.some(inBlocks)).map((w) => ({ ...w, addresses: w.addresses.filter(inBlocks) })) : [];
  return { workloads: match ? candidates.filter((w) => match(w) && !excluded.has(w)) : [], cidrs, covered };
}

/** Workloads any exclude entry selects; an entry with no criterion selects nobody. */
function excludedWorkloads(entries: readonly ExcludeSelector[], workloads: readonly Workload[]): Set<Workload> {
  const predicates = entries.map((e) => selectorPredicate(e, requirementsOf(e.labels))).filter((p) => p !== null);
  return new Set(predicates.length === 0 ? [] : workloads.filter((w) => predicates.some((p) => p(w))));
}

/** Undefined when there is no label selector, null when it does not parse (it then selects nobody). */
function requirementsOf(selector: string | undefined): LabelRequirement[] | null | undefined {
  if (selector === undefined) return undefined;
  const parsed = parseLabelSelector(selector);
  return parsed.ok ? parsed.requirements : null;
}

/**
 * Null when the selector names no workload criterion (it selects only address blocks, if any).
 * `requirements`: the parsed label selector; undefined when there is none, null when it did not parse.
 */
function selectorPredicate(selector: ExcludeSelector, requirements: readonly LabelRequirement[] | null | undefined): ((w: Workload) => boolean) | null {
  const checks: ((w: Workload) => boolean)[] = [];
  if (requirements !== undefined) checks.push((w) => requirements !== null && matchesLabels(requirements, w.labels));
  if (selector.namespaceLabels !== undefined) {
    const namespaceRequirements = requirementsOf(selector.namespaceLabels);
    // A workload in no namespace is in no namespace a selector could pick.
    // Every namespace carries its name as a label, whether or not the inventory lists it.
    checks.push((w) => w.namespace !== undefined && namespaceRequirements != null && matchesLabels(namespaceRequirements, { ...w.namespaceLabels, [NAMESPACE_NAME_LABEL]: w.namespace }));
  }
  if (selector.image) {
    const pattern = globToRegExp(selector.image);
    checks.push((w) => w.image !== undefined && pattern.test(w.image));
  }
  if (selector.namespace) {
    const pattern = globToRegExp(selector.namespace);
    checks.push((w) => w.namespace !== undefined && pattern.test(w.namespace));
  }
  if (selector.host) checks.push((w) => w.host === selector.host);
  if (checks.length === 0) return null;
  return (w) => {
    for (const check of checks) if (!check(w)) return false;
    return true;
  };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
