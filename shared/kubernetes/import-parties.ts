import { labelsSatisfiable, matchesLabels, parseLabelSelector } from '../policy/label-selector';
import type { ExcludeSelector, Selector } from '../policy/model';
import { allOf } from './label-selectors';
import { NAMESPACE_NAME_LABEL, type NetworkPolicy, type NetworkPolicyPeer } from './network-policy';

// The ends of imported edges, before they become groups: pods (a conjunction of a namespace,
// namespace labels and pod labels, minus isolated pods), blocks of outside addresses, and
// "everything not isolated". Intersections stay within these forms, so every end is one group.

/** Pods that meet every criterion given; `labels` `''` is every pod. */
export interface PodSet {
  namespace?: string;
  namespaceLabels?: string;
  labels: string;
  exclude: ExcludeSelector[];
}

export type Party =
  | { kind: 'pods'; pods: PodSet }
  /** Addresses outside the cluster: NetworkPolicy's ipBlock is for them, never for pods. */
  | { kind: 'block'; cidr: string; except: string[] }
  /** Every address, a workload's or not, except the excluded pods (those isolated in one direction). */
  | { kind: 'everything'; exclude: ExcludeSelector[] };

/** The pods a policy applies to: its podSelector within its namespace. */
export function targetOf(policy: NetworkPolicy): PodSet {
  return { namespace: policy.namespace, labels: policy.podSelector, exclude: [] };
}

/** A peer of a rule of a policy in `namespace`, as a party. */
export function partyOfPeer(peer: NetworkPolicyPeer): Party {
  switch (peer.kind) {
    case 'block':
      return { kind: 'block', cidr: peer.cidr, except: peer.except };
    case 'pods':
      return { kind: 'pods', pods: { namespace: peer.namespace, labels: peer.podSelector, exclude: [] } };
    case 'namespaces': {
      // Every namespace carries its name as a label: selecting on it alone is selecting by name.
      const byName = new RegExp(`^${NAMESPACE_NAME_LABEL.replace(/\./g, '\\.')}(=|==| in \\()([a-z0-9-]+)\\)?$`).exec(peer.namespaceSelector);
      const pods: PodSet = byName ? { namespace: byName[2], labels: peer.podSelector, exclude: [] } : { namespaceLabels: peer.namespaceSelector, labels: peer.podSelector, exclude: [] };
      return { kind: 'pods', pods };
    }
  }
}

/** The party minus the given pods; outside addresses are never pods, so blocks stay as they are. */
export function without(party: Party, pods: readonly PodSet[]): Party {
  // Pods that cannot be in the party (another namespace, contradicting labels) leave nothing to take out.
  const relevant = party.kind === 'pods' ? pods.filter((p) => intersectPods(party.pods, p) !== null) : pods;
  const excluded = [...new Map(relevant.map(excludeEntry).map((e) => [JSON.stringify(e), e])).values()];
  if (party.kind === 'block' || excluded.length === 0) return party;
  if (party.kind === 'everything') return { kind: 'everything', exclude: [...party.exclude, ...excluded] };
  return { kind: 'pods', pods: { ...party.pods, exclude: [...party.pods.exclude, ...excluded] } };
}

/**
 * The pods of both sets, or null when no pod can be in both: two different namespaces, or
 * label or namespace-label requirements that contradict each other (`app=a` and `app=b`; a
 * namespace by name and a namespace selector on another name).
 */
function intersectPods(a: PodSet, b: PodSet): PodSet | null {
  if (a.namespace !== undefined && b.namespace !== undefined && a.namespace !== b.namespace) return null;
  const namespace = a.namespace ?? b.namespace;
  const namespaceLabels = a.namespaceLabels === undefined ? b.namespaceLabels : b.namespaceLabels === undefined ? a.namespaceLabels : allOf(a.namespaceLabels, b.namespaceLabels);
  const labels = allOf(a.labels, b.labels);
  if (!satisfiable(labels) || (namespaceLabels !== undefined && !namespaceSatisfiable(namespace, namespaceLabels))) return null;
  return {
    ...(namespace ? { namespace } : {}),
    ...(namespaceLabels !== undefined ? { namespaceLabels } : {}),
    labels,
    exclude: [...a.exclude, ...b.exclude],
  };
}

function satisfiable(selector: string): boolean {
  const parsed = parseLabelSelector(selector);
  return parsed.ok && labelsSatisfiable(parsed.requirements);
}

/** Namespace labels some namespace can carry; a namespace known by name carries its name label with that value. */
function namespaceSatisfiable(namespace: string | undefined, selector: string): boolean {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok || !labelsSatisfiable(parsed.requirements)) return false;
  if (namespace === undefined) return true;
  return matchesLabels(parsed.requirements.filter((r) => r.key === NAMESPACE_NAME_LABEL), { [NAMESPACE_NAME_LABEL]: namespace });
}

/** The pods of a party that are also in `pods`: null for outside addresses, which are no pods. */
export function podsWithin(party: Party | 'everyone', pods: PodSet): PodSet | null {
  if (party === 'everyone') return pods;
  if (party.kind === 'block') return null;
  if (party.kind === 'everything') return { ...pods, exclude: [...pods.exclude, ...party.exclude] };
  return intersectPods(party.pods, pods);
}

/** The group selector of a party. */
export function selectorOf(party: Party): Selector {
  switch (party.kind) {
    case 'block':
      return { cidrs: [party.cidr], ...(party.except.length > 0 ? { except: party.except } : {}), exclude: [{ namespace: '*' }] };
    case 'everything':
      return { cidrs: ['0.0.0.0/0', '::/0'], ...(party.exclude.length > 0 ? { exclude: party.exclude } : {}) };
    case 'pods': {
      const p = party.pods;
      // No namespace criterion would make it "any workload": pods are in some namespace.
      const namespace = p.namespace ?? (p.namespaceLabels ? undefined : '*');
      return {
        ...(namespace ? { namespace } : {}),
        ...(p.namespaceLabels ? { namespaceLabels: p.namespaceLabels } : {}),
        ...(p.labels !== '' ? { labels: p.labels } : {}),
        ...(p.exclude.length > 0 ? { exclude: p.exclude } : {}),
      };
    }
  }
}

function excludeEntry(pods: PodSet): ExcludeSelector {
  return { ...(pods.namespace ? { namespace: pods.namespace } : {}), ...(pods.namespaceLabels ? { namespaceLabels: pods.namespaceLabels } : {}), ...(pods.labels !== '' ? { labels: pods.labels } : {}), ...(pods.namespace || pods.namespaceLabels ? {} : { namespace: '*' }) };
}
