import { labelsSatisfiable, matchesLabels, parseLabelSelector, type LabelRequirement } from '../policy/label-selector';
import type { ExcludeSelector, Group } from '../policy/model';
import { selectorObject } from './label-selectors';
import { NAMESPACE_NAME_LABEL, type LabelSelectorObject, type PeerObject } from './network-policy';

// A group's pods as NetworkPolicy can select them: a union of terms, each a namespace selector
// and a pod selector. NetworkPolicy selectors only conjoin, so `exclude` becomes negations
// spread over terms: "not (namespace shop and app=db)" is two terms, "not shop" and "not app=db".
// Imported designs need this: they take the pods a policy isolates out of their peers.

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

/** Pods in a namespace whose labels meet `namespace`, carrying labels that meet `pods`. */
export interface PodTerm {
  namespace: LabelRequirement[];
  pods: LabelRequirement[];
}

export type GroupPods = { ok: true; terms: PodTerm[] } | { ok: false; reason: string };

/** More terms than this is a selector nobody could review; the export refuses it. */
const MAX_TERMS = 64;

/**
 * The group's pods as terms (none for a group of address blocks only), given the known
 * namespaces (a namespace pattern is said by the names it matches among them), or why
 * NetworkPolicy cannot select them. Deterministic.
 */
export function groupPods(group: Group, namespaces: readonly Namespace[]): GroupPods {
  const s = group.selector;
  const cannot = s.image ? 'selects by image' : s.host ? 'selects by host' : s.exclude?.find((e) => e.image || e.host) ? 'excludes workloads by image or host' : undefined;
  if (cannot) return { ok: false, reason: cannot };
  const texts = [s.labels, s.namespaceLabels, ...(s.exclude ?? []).flatMap((e) => [e.labels, e.namespaceLabels])];
  const bad = texts.find((t) => t !== undefined && !parseLabelSelector(t).ok);
  if (bad !== undefined) return { ok: false, reason: `has the label selector "${bad}", which does not parse` };
  if ((s.cidrs ?? []).length > 0 && s.exclude?.some((e) => e.namespace === undefined && e.namespaceLabels === undefined)) {
    // Such an entry takes addresses of workloads in no namespace out of the blocks; ipBlock cannot.
    return { ok: false, reason: 'excludes workloads in no namespace from its address blocks' };
  }

  let terms = baseTerms(group, namespaces);
  for (const entry of s.exclude ?? []) {
    const literals = literalsOf(entry, namespaces);
    if (literals === null) continue;
    terms = dedupe(terms.flatMap((t) => literals.map((l) => withLiteral(t, l))).filter(satisfiable));
    if (terms.length > MAX_TERMS) return { ok: false, reason: `excludes workloads in a way that needs more than ${MAX_TERMS} NetworkPolicy peers` };
  }
  return { ok: true, terms };
}

/**
 * Whether the group's blocks hold every address (0.0.0.0/0 and ::/0, nothing excepted), so
 * every pod too: the design counts a workload's address in a block, NetworkPolicy's ipBlock
 * is for outside addresses, so such a group's pods are said as pods.
 */
export function coversEveryAddress(group: Group): boolean {
  const cidrs = group.selector.cidrs ?? [];
  return cidrs.includes('0.0.0.0/0') && cidrs.includes('::/0') && (group.selector.except ?? []).length === 0;
}

/** The pod selectors of the terms that hold in this namespace, without repeats. */
export function podSelectorsIn(terms: readonly PodTerm[], ns: Namespace): LabelSelectorObject[] {
  const texts = terms.filter((t) => matchesLabels(t.namespace, ns.labels)).map((t) => textOf(t.pods));
  return [...new Set(texts)].map(objectOf);
}

/** A term as a peer of a policy in namespace `here`: pods of that namespace need no namespace selector. */
export function peerOf(term: PodTerm, here: Namespace): PeerObject {
  const podSelector = objectOf(textOf(term.pods));
  const onlyHere = term.namespace.length === 1 && textOf(term.namespace) === `${NAMESPACE_NAME_LABEL}=${here.name}`;
  return onlyHere ? { podSelector } : { namespaceSelector: objectOf(textOf(term.namespace)), podSelector };
}

function baseTerms(group: Group, namespaces: readonly Namespace[]): PodTerm[] {
  const s = group.selector;
  if (coversEveryAddress(group)) return [{ namespace: [], pods: [] }];
  if (s.labels === undefined && s.namespace === undefined && s.namespaceLabels === undefined) return [];
  const byName = s.namespace === undefined ? [] : namespaceLiteral(s.namespace, namespaces);
  if (byName === null) return [];
  const term = { namespace: [...byName, ...requirements(s.namespaceLabels)], pods: requirements(s.labels) };
  return satisfiable(term) ? [term] : [];
}

type Literal = { side: 'namespace' | 'pods'; requirement: LabelRequirement };

/** An exclude entry's requirements, negated; null when the entry holds no pod (a pattern no known namespace matches). */
function literalsOf(entry: ExcludeSelector, namespaces: readonly Namespace[]): Literal[] | null {
  const byName = entry.namespace === undefined ? [] : namespaceLiteral(entry.namespace, namespaces);
  if (byName === null) return null;
  const namespace = [...byName, ...requirements(entry.namespaceLabels)].map((r) => ({ side: 'namespace' as const, requirement: negated(r) }));
  const pods = requirements(entry.labels).map((r) => ({ side: 'pods' as const, requirement: negated(r) }));
  return [...namespace, ...pods];
}

/** A namespace name or pattern as a requirement on the name label; `*` is none, a pattern with no known match null. */
function namespaceLiteral(namespace: string, namespaces: readonly Namespace[]): LabelRequirement[] | null {
  if (namespace === '*') return [];
  if (!namespace.includes('*')) return [{ key: NAMESPACE_NAME_LABEL, op: 'eq', value: namespace }];
  const pattern = new RegExp(`^${namespace.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const names = namespaces.map((n) => n.name).filter((n) => pattern.test(n));
  return names.length > 0 ? [{ key: NAMESPACE_NAME_LABEL, op: 'in', values: names }] : null;
}

function negated(r: LabelRequirement): LabelRequirement {
  switch (r.op) {
    case 'eq':
      return { key: r.key, op: 'neq', value: r.value };
    case 'neq':
      return { key: r.key, op: 'eq', value: r.value };
    case 'in':
      return { key: r.key, op: 'notin', values: r.values };
    case 'notin':
      return { key: r.key, op: 'in', values: r.values };
    case 'exists':
      return { key: r.key, op: 'notexists' };
    case 'notexists':
      return { key: r.key, op: 'exists' };
  }
}

function withLiteral(term: PodTerm, literal: Literal): PodTerm {
  return { ...term, [literal.side]: [...term[literal.side], literal.requirement] };
}

function satisfiable(term: PodTerm): boolean {
  return labelsSatisfiable(term.namespace) && labelsSatisfiable(term.pods);
}

/** The terms without repeated requirements, and without those another term already holds (fewer requirements, all among its own). */
function dedupe(terms: readonly PodTerm[]): PodTerm[] {
  const keyed = terms.map((t) => ({ namespace: uniqueTexts(t.namespace), pods: uniqueTexts(t.pods) }));
  const holds = (a: (typeof keyed)[number], b: (typeof keyed)[number]): boolean => [...a.namespace.keys()].every((r) => b.namespace.has(r)) && [...a.pods.keys()].every((r) => b.pods.has(r));
  const kept = keyed.filter((t, i) => !keyed.some((other, j) => j !== i && holds(other, t) && (!holds(t, other) || j < i)));
  return kept.map((t) => ({ namespace: [...t.namespace.values()], pods: [...t.pods.values()] }));
}

function uniqueTexts(requirements: readonly LabelRequirement[]): Map<string, LabelRequirement> {
  return new Map(requirements.map((r) => [requirementText(r), r]));
}

/** A selector's requirements; groupPods has refused one that does not parse. */
function requirements(text: string | undefined): LabelRequirement[] {
  const parsed = parseLabelSelector(text ?? '');
  return parsed.ok ? parsed.requirements : [];
}

function textOf(requirements: readonly LabelRequirement[]): string {
  return requirements.map(requirementText).join(',');
}

function requirementText(r: LabelRequirement): string {
  switch (r.op) {
    case 'eq':
      return `${r.key}=${r.value}`;
    case 'neq':
      return `${r.key}!=${r.value}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case 'notexists':
      return `!${r.key}`;
  }
}

function objectOf(text: string): LabelSelectorObject {
  return selectorObject(text) ?? {};
}
