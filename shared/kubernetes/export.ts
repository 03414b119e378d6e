import { Document } from 'yaml';
import type { Diagnostic, SourceLocation } from '../diagnostics';
import type { Inventory, Workload } from '../inventory/model';
import { canonicalCidr, cidrInside } from '../net/cidr-set';
import { resolveMembership } from '../policy/membership';
import { isNamespaceName, isNamespacePattern, NAMESPACE_NAME_RULE } from '../policy/namespace-name';
import type { Edge, Group, Policy } from '../policy/model';
import { coversEveryAddress, groupPods, peerOf, podSelectorsIn, type Namespace, type PodTerm } from './export-members';
import { blockedButExported } from './export-blocks';
import { portOf } from './export-ports';
import { NAMESPACE_NAME_LABEL, type NetworkPolicyObject, type PeerObject, type PortObject } from './network-policy';

// A design as NetworkPolicy: every pod is isolated both ways by a default policy per namespace,
// and each group's pods get a policy whose rules are the group's allow edges (and, when members
// may talk, the group itself). NetworkPolicy only allows, so a connection passes when the
// source's egress rules and the destination's ingress rules both admit it: each edge is
// written on both sides, which gives exactly the design's allow edges.
//
// What it cannot say is a diagnostic naming the edge, group or setting, never dropped in
// silence. When that is something that permits traffic (an allow edge, a group with one, a
// default that permits), it is an error and nothing is written: the default-deny policies
// without the allows would cut the traffic the design lets through, and writing no deny
// instead would open everything else. Refusing leaves the cluster as it is.

export interface NetworkPolicyExport {
  /** One YAML stream per namespace, policies in name order; none when a warning is an error. */
  files: { namespace: string; yaml: string }[];
  warnings: Diagnostic[];
}

type Report = (code: string, severity: 'error' | 'warning', message: string, at: SourceLocation) => void;

/**
 * Writes the design as NetworkPolicy YAML, one stream per namespace: the namespaces the groups
 * name, and those of the inventory's pods (which also gives their labels, for groups that
 * select namespaces by label). All or nothing: with an error among the warnings, no file.
 * Pure and deterministic.
 */
export function exportNetworkPolicies(policy: Policy, inventory?: Inventory): NetworkPolicyExport {
  const warnings: Diagnostic[] = [];
  const report: Report = (code, severity, message, location) => warnings.push({ code, severity, message, location });
  const namespaces = namespacesOf(policy, inventory, warnings);
  if (warnings.length > 0) return { files: [], warnings };
  settingsWarnings(policy, report);
  const pods = exportableGroups(policy, namespaces, report);
  const members = inventory ? resolveMembership(policy, inventory.workloads) : undefined;
  if (members) nonPodWarnings(policy, pods, members, report);
  const blocked = new Map(blockedButExported(policy, members).map((b) => [b.index, b.problem]));
  const edges = policy.edges.flatMap((e, i) => exportedEdge(e, i, pods, members, blocked.get(i), report));
  if (warnings.some((w) => w.severity === 'error')) return { files: [], warnings };

  const groups = policy.groups.filter((g) => pods.has(g.name));
  // Blocks never count for the within-group rule, so a group of every address lets no member talk to another.
  const within = policy.defaults.withinGroup === 'allow' ? groups.filter((g) => !g.isolated && !coversEveryAddress(g) && pods.get(g.name)!.length > 0) : [];
  const targets = new Map(namespaces.map((ns) => [ns.name, groups.map((group) => ({ group, selectors: podSelectorsIn(pods.get(group.name)!, ns) })).filter((t) => t.selectors.length > 0)]));
  const policyNames = networkPolicyNames([...new Set([...targets.values()].flat().flatMap((t) => t.selectors.map((_, k) => pieceName(t.group.name, k))))]);
  const podPeers = (group: string, here: Namespace): PeerObject[] => pods.get(group)!.map((t) => peerOf(t, here));
  // A rule needs peers: NetworkPolicy reads an empty list as everyone, and a group that holds nobody opens nothing.
  const rule = (peers: PeerObject[], ports: PortObject[] | undefined): Rule[] => (peers.length > 0 ? [{ peers, ports }] : []);
  const edgeRule = (other: string, ports: PortObject[] | undefined, here: Namespace): Rule[] => rule([...podPeers(other, here), ...blockPeers(byName(groups, other))], ports);

  const files = namespaces.map((ns) => {
    const objects: NetworkPolicyObject[] = [defaultDeny(ns.name, policy)];
    for (const { group, selectors } of [...targets.get(ns.name)!].sort((a, b) => (a.group.name < b.group.name ? -1 : 1))) {
      const self = within.includes(group) ? rule(podPeers(group.name, ns), undefined) : [];
      const ingress = [...self, ...edges.filter((e) => e.to === group.name).flatMap((e) => edgeRule(e.from, e.ports, ns))];
      const egress = [...self, ...edges.filter((e) => e.from === group.name).flatMap((e) => edgeRule(e.to, e.ports, ns))];
      if (ingress.length + egress.length === 0) continue;
      selectors.forEach((podSelector, k) => {
        objects.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: policyNames.get(pieceName(group.name, k))!, namespace: ns.name },
          spec: {
            podSelector,
            policyTypes: ['Ingress', 'Egress'],
            ...(ingress.length > 0 ? { ingress: ingress.map((r) => ({ from: r.peers, ...ports(r.ports) })) } : {}),
            ...(egress.length > 0 ? { egress: egress.map((r) => ({ to: r.peers, ...ports(r.ports) })) } : {}),
          },
        });
      });
    }
    return { namespace: ns.name, yaml: objects.map((o) => new Document(o).toString({ lineWidth: 0 })).join('---\n') };
  });
  return { files, warnings };
}

/** The policy of a group's k-th pod selector in a namespace (several when its exclusions need them). */
function pieceName(group: string, k: number): string {
  return k === 0 ? group : `${group}#${k + 1}`;
}

function byName(groups: readonly Group[], name: string): Group {
  return groups.find((g) => g.name === name)!;
}

/** The name of each namespace's first NetworkPolicy, its default-deny: it marks a file as an export's. */
export const DEFAULT_DENY = 'microseg-default-deny';

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
  // A resolver may be written with its one-address prefix (`10.96.0.10/32`) or spaces around it.
  const dns = { to: resolvers.map((r) => ({ ipBlock: { cidr: spelled(r) } })), ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: DEFAULT_DENY, namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ...(resolvers.length > 0 ? { egress: [dns] } : {}) },
  };
}

function settingsWarnings(policy: Policy, report: Report): void {
  const fallback = policy.defaults.betweenGroups;
  if (fallback === 'monitor') report('MS652', 'error', 'the default "monitor" permits every connection, which NetworkPolicy can only say by isolating no pod; exporting it as drop would cut what the design lets through. Set defaults.betweenGroups to drop (with allow edges for what must pass) to export; nothing is exported', { path: 'defaults.betweenGroups' });
  else if (fallback !== 'drop') report('MS652', 'warning', `the default "${fallback}" cannot be said in NetworkPolicy; exported as drop (every pod isolated)`, { path: 'defaults.betweenGroups' });
  if (policy.infrastructure?.dhcp) report('MS652', 'warning', 'DHCP is not exported: NetworkPolicy does not govern how pods get addresses', { path: 'infrastructure.dhcp' });
}

/**
 * The groups NetworkPolicy can select, each with its pods as terms (none for blocks only). One
 * it cannot is an error when it permits traffic (an end of an allow or log edge, or members
 * that may talk), since its connections would be cut; else a warning.
 */
function exportableGroups(policy: Policy, namespaces: readonly Namespace[], report: Report): Map<string, PodTerm[]> {
  const exportable = new Map<string, PodTerm[]>();
  policy.groups.forEach((group, i) => {
    const pods = groupPods(group, namespaces);
    const permits = permitted(policy, group);
    const at = { element: { kind: 'group' as const, id: group.name }, path: `groups.${i}.selector` };
    if (pods.ok) {
      exportable.set(group.name, pods.terms);
      // Its pods are said as pods, so NetworkPolicy could not tell the selected ones (which may talk) from the rest.
      if (coversEveryAddress(group) && selectsWorkloads(group) && policy.defaults.withinGroup === 'allow' && !group.isolated) {
        report('MS653', 'error', `group "${group.name}" selects workloads and also holds every address, and its members may talk among themselves: NetworkPolicy cannot give that to the selected pods only. Make the group isolated, or split it into a group of the workloads and one of the addresses; nothing is exported`, at);
      }
      return;
    }
    if (permits === '') report('MS653', 'warning', `group "${group.name}" ${pods.reason}, which NetworkPolicy cannot say; it permits nothing, so it is left out`, at);
    else report('MS653', 'error', `group "${group.name}" ${pods.reason}, which NetworkPolicy cannot say, and the default-deny would cut ${permits}; select its workloads by namespace and labels (or remove the group) to export; nothing is exported`, at);
  });
  return exportable;
}

/** What the group lets through ('' for nothing): its allow edges, or its members talking among themselves. */
function permitted(policy: Policy, group: Group): string {
  const edges = policy.edges.filter((e) => (e.action === 'allow' || e.action === 'log') && (e.from === group.name || e.to === group.name)).map((e) => `"${e.id}"`);
  if (edges.length > 0) return `its allow edges ${edges.join(', ')}`;
  return policy.defaults.withinGroup === 'allow' && !group.isolated && selectsWorkloads(group) ? 'the traffic between its members' : '';
}

/** Whether the group has members by workload criteria: only those count for the within-group rule. */
function selectsWorkloads(group: Group): boolean {
  const s = group.selector;
  return [s.labels, s.namespace, s.namespaceLabels, s.image, s.host].some((c) => c !== undefined);
}

interface Rule {
  peers: PeerObject[];
  ports: PortObject[] | undefined;
}

interface ExportedEdge {
  from: string;
  to: string;
  /** Undefined: every port of every protocol. */
  ports: PortObject[] | undefined;
}

/** `blockedProblem`: why leaving this deny, reject or redirect edge to the default-deny would permit more (see blockedButExported). */
function exportedEdge(edge: Edge, index: number, groups: ReadonlyMap<string, PodTerm[]>, members: ReadonlyMap<string, { workloads: Workload[]; covered: Workload[] }> | undefined, blockedProblem: string | undefined, report: Report): ExportedEdge[] {
  const at = { element: { kind: 'edge' as const, id: edge.id }, path: `edges.${index}` };
  if (edge.action !== 'allow' && edge.action !== 'log') {
    if (blockedProblem) report('MS651', 'error', `${blockedProblem}; nothing is exported`, at);
    else report('MS651', 'warning', `edge "${edge.id}" (${edge.action}) is left out: NetworkPolicy can only allow, and nothing exported permits its connections, so the default-deny stops them`, at);
    return [];
  }
  if (edge.action === 'log') report('MS651', 'warning', `edge "${edge.id}" logs; exported as a plain allow, NetworkPolicy does not count connections`, at);
  const missing = [edge.from, edge.to].find((g) => !groups.has(g));
  if (missing) {
    report('MS651', 'error', `edge "${edge.id}" cannot be exported: its group "${missing}" cannot be said in NetworkPolicy (see that group); nothing is exported`, at);
    return [];
  }
  if (edge.services.some((s) => s.protocol === 'any')) return [{ from: edge.from, to: edge.to, ports: undefined }];
  const ports = edge.services.flatMap((s, k) => {
    const destination = members?.get(edge.to);
    const answer = portOf(s, edge.to, destination && [...destination.workloads, ...destination.covered]);
    const where = { ...at, path: `edges.${index}.services.${k}` };
    if (!answer.ok) report('MS654', 'error', `edge "${edge.id}": ${answer.problem}; nothing is exported`, where);
    else if (answer.note) report('MS654', 'warning', `edge "${edge.id}": ${answer.note}`, where);
    return answer.ok ? [answer.port] : [];
  });
  return [{ from: edge.from, to: edge.to, ports }];
}

function ports(list: PortObject[] | undefined): { ports?: PortObject[] } {
  return list ? { ports: list } : {};
}

/**
 * A group's address blocks as peers, each in its one spelling: the policy takes a lone address,
 * spaces around a block and host bits, none of which the API server does.
 */
function blockPeers(group: Group): PeerObject[] {
  const except = (group.selector.except ?? []).map(spelled);
  return (group.selector.cidrs ?? []).map(spelled).map((cidr) => ({ ipBlock: { cidr, ...exceptInside(cidr, except) } }));
}

function spelled(block: string): string {
  return canonicalCidr(block) ?? block;
}

function exceptInside(cidr: string, except: readonly string[]): { except?: string[] } {
  // The API server takes only blocks strictly inside the cidr; others carve nothing from it anyway.
  const inside = except.filter((e) => cidrInside(e, [cidr]) && !cidrInside(cidr, [e]));
  return inside.length > 0 ? { except: inside } : {};
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

/** Workloads outside any namespace that groups select, and pods in blocks: NetworkPolicy governs pods only, and ipBlock is for outside addresses. */
function nonPodWarnings(policy: Policy, exportable: ReadonlyMap<string, PodTerm[]>, membership: ReadonlyMap<string, { workloads: Workload[]; covered: Workload[] }>, report: Report): void {
  const at = (i: number): SourceLocation => ({ element: { kind: 'group', id: policy.groups[i]!.name }, path: `groups.${i}.selector` });
  policy.groups.forEach((group, i) => {
    const outside = exportable.has(group.name) ? (membership.get(group.name)?.workloads ?? []).filter((w) => w.namespace === undefined) : [];
    if (outside.length === 0) return;
    const names = outside.map((w) => w.name).join(', ');
    const permits = permitted(policy, group);
    // A pod's rule towards the group would not reach them: an allow of the design would be cut.
    if (permits === '') report('MS655', 'warning', `group "${group.name}" holds ${names}, which are no pods: NetworkPolicy cannot select them`, at(i));
    else report('MS655', 'error', `group "${group.name}" holds ${names}, which are no pods: NetworkPolicy cannot select them, so the export would cut ${permits} for them; give the group a namespace (or namespaceLabels) so it holds pods only, and put those workloads in a group of address blocks; nothing is exported`, at(i));
  });
  policy.groups.forEach((group, i) => {
    if (!exportable.has(group.name)) return;
    // A group of every address has its pods said as pods (export-members.ts).
    const pods = coversEveryAddress(group) ? [] : (membership.get(group.name)?.covered ?? []).filter((w) => w.namespace !== undefined);
    if (pods.length > 0) report('MS655', 'warning', `the address blocks of group "${group.name}" hold pods (${pods.map((w) => w.name).join(', ')}); NetworkPolicy's ipBlock is meant for addresses outside the cluster, and importing it back leaves pods out of the block`, at(i));
  });
}
