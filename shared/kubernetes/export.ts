import { Document } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import type { Inventory } from '../inventory/model';
import { matchesLabels, parseLabelSelector } from '../policy/label-selector';
import { cidrInside } from '../net/cidr-set';
import { resolveMembership } from '../policy/membership';
import { isNamespaceName, isNamespacePattern, NAMESPACE_NAME_RULE } from '../policy/namespace-name';
import type { Edge, Group, Policy, Service } from '../policy/model';
import { formatService } from '../policy/services';
import { allOf, selectorObject } from './label-selectors';
import { NAMESPACE_NAME_LABEL, type LabelSelectorObject, type NetworkPolicyObject, type PeerObject, type PortObject } from './network-policy';

// A design as NetworkPolicy: every pod is isolated both ways by a default policy per namespace,
// and each group's pods get a policy whose rules are the group's allow edges (and, when members
// may talk, the group itself). NetworkPolicy only allows, so a connection passes when the
// source's egress rules and the destination's ingress rules both admit it: each edge is
// written on both sides, which gives exactly the design's allow edges. What it cannot say is
// a warning naming the edge, group or setting; nothing is dropped silently.

export interface NetworkPolicyExport {
  /** One YAML stream per namespace, policies in name order. */
  files: { namespace: string; yaml: string }[];
  warnings: Diagnostic[];
}

interface Namespace {
  name: string;
  labels: Record<string, string>;
}

/**
 * Writes the design as NetworkPolicy YAML, one stream per namespace: the namespaces the groups
 * name, and those of the inventory's pods (which also gives their labels, for groups that
 * select namespaces by label). Pure and deterministic.
 */
export function exportNetworkPolicies(policy: Policy, inventory?: Inventory): NetworkPolicyExport {
  const warnings: Diagnostic[] = [];
  const warn = (code: string, message: string, element?: { kind: 'group' | 'edge'; id: string }): void => {
    warnings.push({ code, severity: 'warning', message, ...(element ? { location: { element } } : {}) });
  };
  const namespaces = namespacesOf(policy, inventory, warnings);
  if (warnings.length > 0) return { files: [], warnings };
  settingsWarnings(policy, warn);
  const groups = new Map(policy.groups.filter((g) => exportable(g, warn)).map((g) => [g.name, g]));
  if (inventory) nonPodWarnings(policy, inventory, groups, warn);
  const edges = policy.edges.flatMap((e) => exportedEdge(e, groups, warn));
  const within = policy.defaults.withinGroup === 'allow' ? [...groups.values()].filter((g) => !g.isolated && hasPods(g)) : [];
  const policyNames = networkPolicyNames([...groups.keys()]);

  const files = namespaces.map((ns) => {
    const objects: NetworkPolicyObject[] = [defaultDeny(ns.name, policy)];
    for (const group of [...groups.values()].filter((g) => hasPods(g) && inNamespace(g, ns)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const self = within.includes(group) ? [{ group, ports: undefined }] : [];
      const ingress = [...self, ...edges.filter((e) => e.to === group.name).map((e) => ({ group: groups.get(e.from)!, ports: e.ports }))];
      const egress = [...self, ...edges.filter((e) => e.from === group.name).map((e) => ({ group: groups.get(e.to)!, ports: e.ports }))];
      if (ingress.length + egress.length === 0) continue;
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: policyNames.get(group.name)!, namespace: ns.name },
        spec: {
          podSelector: labelSelector(group.selector.labels ?? ''),
          policyTypes: ['Ingress', 'Egress'],
          ...(ingress.length > 0 ? { ingress: ingress.map((r) => ({ from: peersOf(r.group, ns, namespaces), ...ports(r.ports) })) } : {}),
          ...(egress.length > 0 ? { egress: egress.map((r) => ({ to: peersOf(r.group, ns, namespaces), ...ports(r.ports) })) } : {}),
        },
      });
    }
    return { namespace: ns.name, yaml: objects.map((o) => new Document(o).toString({ lineWidth: 0 })).join('---\n') };
  });
  return { files, warnings };
}

const DEFAULT_DENY = 'microseg-default-deny';

/**
 * A NetworkPolicy name (a DNS subdomain) per group, unique and deterministic: `microseg-GROUP`
 * when the group's name is one already, else its nearest subdomain with a hash of the group's
 * name, so `a_b` and `a-b` (or a group called `default-deny`) never land on one name.
 */
export function networkPolicyNames(groupNames: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set([DEFAULT_DENY]);
  const plain = groupNames.filter((g) => subdomainOf(g) === g && `microseg-${g}` !== DEFAULT_DENY);
  for (const g of plain) {
    names.set(g, `microseg-${g}`);
    taken.add(`microseg-${g}`);
  }
  for (const g of [...groupNames].filter((x) => !names.has(x)).sort()) {
    let name = `microseg-${subdomainOf(g) || 'group'}-${fnv(g)}`;
    for (let n = 2; taken.has(name); n++) name = `microseg-${subdomainOf(g) || 'group'}-${fnv(g)}-${n}`;
    names.set(g, name);
    taken.add(name);
  }
  return names;
}

/** The nearest DNS subdomain: other characters become "-", and each dot-separated part starts and ends with a letter or digit. */
function subdomainOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]/g, '-')
    .split('.')
    .map((part) => part.replace(/^-+|-+$/g, ''))
    .filter((part) => part !== '')
    .join('.');
}

function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (const ch of text) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** Every pod of the namespace, isolated both ways; DNS to the named resolvers stays open. */
function defaultDeny(namespace: string, policy: Policy): NetworkPolicyObject {
  const resolvers = policy.infrastructure?.dnsResolvers ?? [];
  const dns = { to: resolvers.map((r) => ({ ipBlock: { cidr: r.includes(':') ? `${r}/128` : `${r}/32` } })), ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: DEFAULT_DENY, namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ...(resolvers.length > 0 ? { egress: [dns] } : {}) },
  };
}

function settingsWarnings(policy: Policy, warn: (code: string, message: string) => void): void {
  if (policy.defaults.betweenGroups !== 'drop') warn('MS652', `the default "${policy.defaults.betweenGroups}" cannot be said in NetworkPolicy; exported as drop (every pod isolated)`);
  if (policy.infrastructure?.dhcp) warn('MS652', 'DHCP is not exported: NetworkPolicy does not govern how pods get addresses');
}

/** Groups NetworkPolicy can select: pods by namespace and labels, and address blocks. */
function exportable(group: Group, warn: (code: string, message: string, element: { kind: 'group'; id: string }) => void): boolean {
  const s = group.selector;
  const at = { kind: 'group' as const, id: group.name };
  const cannot = s.image ? 'selects by image' : s.host ? 'selects by host' : s.exclude?.length ? 'excludes workloads' : undefined;
  if (cannot) warn('MS653', `group "${group.name}" ${cannot}, which NetworkPolicy cannot say; it and its edges are not exported`, at);
  return cannot === undefined;
}

function hasPods(group: Group): boolean {
  const s = group.selector;
  return s.labels !== undefined || s.namespace !== undefined || s.namespaceLabels !== undefined;
}

interface ExportedEdge {
  from: string;
  to: string;
  /** Undefined: every port of every protocol. */
  ports: PortObject[] | undefined;
}

function exportedEdge(edge: Edge, groups: ReadonlyMap<string, Group>, warn: (code: string, message: string, element: { kind: 'edge'; id: string }) => void): ExportedEdge[] {
  const at = { kind: 'edge' as const, id: edge.id };
  if (edge.action !== 'allow' && edge.action !== 'log') {
    warn('MS651', `edge "${edge.id}" (${edge.action}) is not exported: NetworkPolicy can only allow`, at);
    return [];
  }
  if (edge.action === 'log') warn('MS651', `edge "${edge.id}" logs; exported as a plain allow, NetworkPolicy does not count connections`, at);
  const missing = [edge.from, edge.to].find((g) => !groups.has(g));
  if (missing) {
    warn('MS651', `edge "${edge.id}" is not exported: its group "${missing}" cannot be said in NetworkPolicy`, at);
    return [];
  }
  if (edge.services.some((s) => s.protocol === 'any')) return [{ from: edge.from, to: edge.to, ports: undefined }];
  const ports = edge.services.flatMap((s) => {
    const port = portOf(s);
    if (!port) warn('MS654', `edge "${edge.id}": service ${formatService(s)} cannot be said in NetworkPolicy (TCP, UDP and SCTP ports only); left out`, at);
    return port ? [port] : [];
  });
  return ports.length > 0 ? [{ from: edge.from, to: edge.to, ports }] : [];
}

function portOf(s: Service): PortObject | null {
  if (s.protocol === 'icmp' || s.protocol === 'any') return null;
  const protocol = s.protocol.toUpperCase();
  if (s.portName !== undefined) return s.ports ? null : { protocol, port: s.portName };
  if (!s.ports) return { protocol };
  return { protocol, port: s.ports.from, ...(s.ports.to > s.ports.from ? { endPort: s.ports.to } : {}) };
}

function ports(list: PortObject[] | undefined): { ports?: PortObject[] } {
  return list ? { ports: list } : {};
}

/** The peers that hold a group's members, seen from a policy in namespace `here`. */
function peersOf(group: Group, here: Namespace, namespaces: readonly Namespace[]): PeerObject[] {
  const s = group.selector;
  const peers: PeerObject[] = [];
  if (hasPods(group)) {
    const podSelector = labelSelector(s.labels ?? '');
    if (s.namespace === here.name && s.namespaceLabels === undefined) peers.push({ podSelector });
    else peers.push({ namespaceSelector: namespaceSelector(group, namespaces), podSelector });
  }
  for (const cidr of s.cidrs ?? []) peers.push({ ipBlock: { cidr, ...exceptInside(cidr, s.except ?? []) } });
  return peers;
}

/** The namespaces of a group as a namespace selector: by name (a pattern lists the known matches) and by labels. */
function namespaceSelector(group: Group, namespaces: readonly Namespace[]): LabelSelectorObject {
  const s = group.selector;
  const byName =
    s.namespace === undefined || s.namespace === '*' ? ''
    : s.namespace.includes('*') ? `${NAMESPACE_NAME_LABEL} in (${namespaces.filter((n) => inNamespace(group, n)).map((n) => n.name).join(',') || 'none'})`
    : `${NAMESPACE_NAME_LABEL}=${s.namespace}`;
  return labelSelector(allOf(byName, s.namespaceLabels ?? ''));
}

function exceptInside(cidr: string, except: readonly string[]): { except?: string[] } {
  // The API server takes only blocks strictly inside the cidr; others carve nothing from it anyway.
  const inside = except.filter((e) => cidrInside(e, [cidr]) && !cidrInside(cidr, [e]));
  return inside.length > 0 ? { except: inside } : {};
}

function labelSelector(text: string): LabelSelectorObject {
  return selectorObject(text) ?? {};
}

function inNamespace(group: Group, ns: Namespace): boolean {
  const s = group.selector;
  if (s.namespace !== undefined && !new RegExp(`^${s.namespace.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(ns.name)) return false;
  if (s.namespaceLabels === undefined) return true;
  const parsed = parseLabelSelector(s.namespaceLabels);
  return parsed.ok && matchesLabels(parsed.requirements, ns.labels);
}

/**
 * The namespaces to write, each a file name; a name that is no Kubernetes namespace name (it
 * could name a file elsewhere, `../x`) is an error, and then nothing is written at all.
 */
function namespacesOf(policy: Policy, inventory: Inventory | undefined, errors: Diagnostic[]): Namespace[] {
  const byName = new Map<string, Namespace>();
  const refused = new Set<string>();
  const refuse = (name: string, where: string, element?: { kind: 'group'; id: string }): void => {
    if (refused.has(name)) return;
    refused.add(name);
    errors.push({ code: 'MS656', severity: 'error', message: `namespace "${name}" (${where}) is not ${NAMESPACE_NAME_RULE}; nothing is exported`, ...(element ? { location: { element } } : {}) });
  };
  for (const w of inventory?.workloads ?? []) {
    if (!w.namespace) continue;
    if (!isNamespaceName(w.namespace)) refuse(w.namespace, `of workload "${w.name}"`);
    else byName.set(w.namespace, { name: w.namespace, labels: { ...w.namespaceLabels, [NAMESPACE_NAME_LABEL]: w.namespace } });
  }
  for (const g of policy.groups) {
    for (const ns of [g.selector.namespace, ...(g.selector.exclude ?? []).map((e) => e.namespace)]) {
      if (!ns) continue;
      if (!isNamespacePattern(ns)) refuse(ns, `of group "${g.name}"`, { kind: 'group', id: g.name });
      else if (!ns.includes('*') && ns === g.selector.namespace && !byName.has(ns)) byName.set(ns, { name: ns, labels: { [NAMESPACE_NAME_LABEL]: ns } });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Workloads outside any namespace that groups select: NetworkPolicy governs pods only. */
function nonPodWarnings(policy: Policy, inventory: Inventory, groups: ReadonlyMap<string, Group>, warn: (code: string, message: string, element: { kind: 'group'; id: string }) => void): void {
  const membership = resolveMembership(policy, inventory.workloads);
  for (const group of groups.values()) {
    const outside = (membership.get(group.name)?.workloads ?? []).filter((w) => w.namespace === undefined);
    if (outside.length > 0) warn('MS655', `group "${group.name}" holds ${outside.map((w) => w.name).join(', ')}, which are no pods: NetworkPolicy cannot select them, so their connections are not exported`, { kind: 'group', id: group.name });
  }
  for (const group of groups.values()) {
    const pods = (membership.get(group.name)?.covered ?? []).filter((w) => w.namespace !== undefined);
    if (pods.length > 0) warn('MS655', `the address blocks of group "${group.name}" hold pods (${pods.map((w) => w.name).join(', ')}); NetworkPolicy's ipBlock is meant for addresses outside the cluster, and importing it back leaves pods out of the block`, { kind: 'group', id: group.name });
  }
}
