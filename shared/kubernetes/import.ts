import type { Diagnostic } from '../diagnostics';
import { emptyPolicy, type Edge, type Group, type Policy, type Selector, type Service } from '../policy/model';
import { formatService, intersectServices } from '../policy/services';
import { partyOfPeer, podsWithin, selectorOf, targetOf, without, type Party, type PodSet } from './import-parties';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from './network-policy';

// NetworkPolicy to a design with the same connectivity. Kubernetes allows a connection from s
// to d on p when Ingress(s,d,p) and Egress(s,d,p) both hold, where Ingress holds if no policy
// isolates d for ingress or some ingress rule of a policy selecting d admits (s,p), and Egress
// likewise for s. Our compiler allows what some allow edge covers, so the product is expanded
// into allow edges, one per term:
//   1. d not ingress-isolated and s not egress-isolated, any service;
//   2. d not ingress-isolated, egress rule j admits (d,p);
//   3. ingress rule i admits (s,p), s not egress-isolated;
//   4. ingress rule i admits (s,p) and egress rule j admits (d,p): peers and services intersected.
// Within-group traffic and everything else drop, so nothing but these edges allows.

export interface NetworkPolicyImport {
  policy: Policy;
  diagnostics: Diagnostic[];
}

interface RuleSide {
  policy: NetworkPolicy;
  /** 1-based, as people count rules. */
  index: number;
  pods: PodSet;
  peers: { party: Party | 'everyone'; label: string }[];
  services: Service[];
}

/**
 * Builds a design from validated NetworkPolicies: groups and allow edges whose compiled tables
 * give exactly the connectivity Kubernetes defines for them (see docs/kubernetes.md). Pure and
 * deterministic: policies are taken in namespace/name order, whatever order they come in.
 */
export function importNetworkPolicies(input: readonly NetworkPolicy[], name: string): NetworkPolicyImport {
  const diagnostics = duplicates(input);
  const policies = [...new Map(input.map((p) => [`${p.namespace}/${p.name}`, p])).values()].sort((a, b) => compare(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  const ingressIsolated = policies.filter((p) => p.ingress).map(targetOf);
  const egressIsolated = policies.filter((p) => p.egress).map(targetOf);
  const ingressRules = policies.filter((p) => p.ingress).flatMap((p) => p.ingressRules.map((r, i) => side(p, i, r)));
  const egressRules = policies.filter((p) => p.egress).flatMap((p) => p.egressRules.map((r, i) => side(p, i, r)));
  const design = new DesignBuilder();

  const notIngressIsolated = design.group(selectorOf(without({ kind: 'everything', exclude: [] }, ingressIsolated)), 'not-ingress-isolated', 'every address but the pods a policy isolates for ingress');
  const notEgressIsolated = design.group(selectorOf(without({ kind: 'everything', exclude: [] }, egressIsolated)), 'not-egress-isolated', 'every address but the pods a policy isolates for egress');
  design.edge(notEgressIsolated, notIngressIsolated, [{ protocol: 'any' }], 'not-isolated', 'no policy isolates the source for egress nor the destination for ingress');

  for (const e of egressRules) {
    const from = design.pods(e.pods, groupName(e.policy), `pods that NetworkPolicy ${ref(e.policy)} selects`);
    e.peers.forEach((peer, k) => {
      const party = peer.party === 'everyone' ? { kind: 'everything' as const, exclude: [] } : peer.party;
      const to = design.group(selectorOf(without(party, ingressIsolated)), restrictedName(ruleName(e, 'eg', k), party, ingressIsolated, 'not-ingress-isolated'), `${peer.label} (egress rule ${e.index} of ${ref(e.policy)}), unless a policy isolates them for ingress`);
      design.edge(from, to, e.services, `${ruleId(e, 'egress', k, e.peers.length)}`, `NetworkPolicy ${ref(e.policy)} egress rule ${e.index}${peerNote(e, k)}, to destinations no policy isolates for ingress`);
    });
  }

  for (const i of ingressRules) {
    const to = design.pods(i.pods, groupName(i.policy), `pods that NetworkPolicy ${ref(i.policy)} selects`);
    i.peers.forEach((peer, k) => {
      const party = peer.party === 'everyone' ? { kind: 'everything' as const, exclude: [] } : peer.party;
      const from = design.group(selectorOf(without(party, egressIsolated)), restrictedName(ruleName(i, 'in', k), party, egressIsolated, 'not-egress-isolated'), `${peer.label} (ingress rule ${i.index} of ${ref(i.policy)}), unless a policy isolates them for egress`);
      design.edge(from, to, i.services, ruleId(i, 'ingress', k, i.peers.length), `NetworkPolicy ${ref(i.policy)} ingress rule ${i.index}${peerNote(i, k)}, from sources no policy isolates for egress`);

      for (const e of egressRules) bothRules(design, i, k, e);
    });
  }

  const policy: Policy = { ...emptyPolicy(name), defaults: { withinGroup: 'drop', betweenGroups: 'drop' }, groups: design.laidOut(), edges: design.edges };
  return { policy, diagnostics };
}

/** Term 4: ingress rule i (peer k) of the destination's policy with egress rule j of the source's. */
function bothRules(design: DesignBuilder, i: RuleSide, k: number, e: RuleSide): void {
  const services = intersectServices(i.services, e.services);
  if (services.length === 0) return;
  const sources = podsWithin(i.peers[k]!.party, e.pods);
  e.peers.forEach((peer, m) => {
    const destinations = podsWithin(peer.party, i.pods);
    if (!sources || !destinations) return;
    const from = design.pods(sources, `${ruleName(i, 'in', k)}.and.${groupName(e.policy)}`, `pods of ${i.peers[k]!.label} (ingress rule ${i.index} of ${ref(i.policy)}) that ${ref(e.policy)} selects`);
    const to = design.pods(destinations, `${groupName(i.policy)}.and.${ruleName(e, 'eg', m)}`, `pods of ${ref(i.policy)} that are ${peer.label} (egress rule ${e.index} of ${ref(e.policy)})`);
    const id = `${ruleId(i, 'ingress', k, i.peers.length)}+${ruleId(e, 'egress', m, e.peers.length)}`;
    design.edge(from, to, services, id, `NetworkPolicy ${ref(i.policy)} ingress rule ${i.index}${peerNote(i, k)} together with ${ref(e.policy)} egress rule ${e.index}${peerNote(e, m)}`);
  });
}

function side(policy: NetworkPolicy, index: number, rule: NetworkPolicyRule): RuleSide {
  const peers = rule.peers === 'everyone' ? [{ party: 'everyone' as const, label: 'everyone' }] : rule.peers.map((p) => ({ party: partyOfPeer(p), label: peerLabel(p) }));
  const services = rule.ports === 'all' ? [{ protocol: 'any' as const }] : rule.ports.map(serviceOf);
  return { policy, index: index + 1, pods: targetOf(policy), peers, services };
}

function serviceOf(port: NetworkPolicyPort): Service {
  if (port.port === undefined) return { protocol: port.protocol };
  if (typeof port.port === 'string') return { protocol: port.protocol, portName: port.port };
  return { protocol: port.protocol, ports: port.port };
}

function peerLabel(peer: NetworkPolicyPeer): string {
  switch (peer.kind) {
    case 'block':
      return `addresses ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''}`;
    case 'pods':
      return `pods ${peer.podSelector || '(all)'} of namespace ${peer.namespace}`;
    case 'namespaces':
      return `pods ${peer.podSelector || '(all)'} of namespaces ${peer.namespaceSelector || '(all)'}`;
  }
}

/** A peer's group name, saying so when isolated pods were taken out of it. */
function restrictedName(name: string, party: Party, isolated: readonly PodSet[], suffix: string): string {
  return without(party, isolated) === party ? name : `${name}.${suffix}`;
}

function ref(policy: NetworkPolicy): string {
  return `${policy.namespace}/${policy.name}`;
}

function groupName(policy: NetworkPolicy): string {
  return `${policy.namespace}.${policy.name}`;
}

function ruleName(rule: RuleSide, direction: 'in' | 'eg', peer: number): string {
  return `${groupName(rule.policy)}.${direction}${rule.index}${rule.peers.length > 1 ? `.peer${peer + 1}` : ''}`;
}

function ruleId(rule: RuleSide, direction: 'ingress' | 'egress', peer: number, peers: number): string {
  return `${ref(rule.policy)}.${direction}-${rule.index}${peers > 1 ? `.peer-${peer + 1}` : ''}`;
}

function peerNote(rule: RuleSide, peer: number): string {
  return rule.peers.length > 1 ? ` peer ${peer + 1} (${rule.peers[peer]!.label})` : ` (${rule.peers[peer]!.label})`;
}

/** The API server keeps one policy per namespace and name; a second in the input would replace the first. */
function duplicates(policies: readonly NetworkPolicy[]): Diagnostic[] {
  const seen = new Set<string>();
  return policies.flatMap((p): Diagnostic[] => {
    const key = ref(p);
    const twice = seen.has(key);
    seen.add(key);
    return twice ? [{ code: 'MS609', severity: 'warning', message: `NetworkPolicy ${key} is given twice; the last one counts, as it would replace the first in a cluster`, location: { file: p.source.file, line: p.source.line } }] : [];
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const GRID = { columns: 4, x: 80, y: 80, width: 320, height: 170 };

/** Collects groups (one per distinct selector, named after the first role it plays) and edges (one per distinct meaning). */
class DesignBuilder {
  private readonly groups = new Map<string, Group>();
  private readonly names = new Set<string>();
  readonly edges: Edge[] = [];
  private readonly edgesByEnds = new Map<string, Edge>();

  /** The group with this selector, made if new; returns its name. */
  group(selector: Selector, name: string, description: string): string {
    const key = JSON.stringify(selector);
    const existing = this.groups.get(key);
    if (existing) return existing.name;
    const unique = this.uniqueName(fitName(name));
    this.groups.set(key, { name: unique, description, selector });
    this.names.add(unique);
    return unique;
  }

  pods(pods: PodSet, name: string, description: string): string {
    return this.group(selectorOf({ kind: 'pods', pods }), name, description);
  }

  /**
   * An allow edge; one between the same two groups as an earlier one joins it (the union of
   * their services, both descriptions): allow edges add up, so the meaning is the same.
   */
  edge(from: string, to: string, services: Service[], id: string, description: string): void {
    const key = `${from}>${to}`;
    const existing = this.edgesByEnds.get(key);
    if (!existing) {
      const edge: Edge = { id, from, to, services: unionOfServices([], services), action: 'allow', description };
      this.edgesByEnds.set(key, edge);
      this.edges.push(edge);
      return;
    }
    const merged = unionOfServices(existing.services, services);
    if (merged.length === existing.services.length && merged.every((s, i) => s === existing.services[i])) return;
    existing.services = merged;
    existing.description = `${existing.description ?? ''}; ${description}`;
  }

  /** The groups on a grid, in the order they were made: policies' pods first, their peers beside them. */
  laidOut(): Group[] {
    return [...this.groups.values()].map((g, i) => ({
      ...g,
      position: { x: GRID.x + (i % GRID.columns) * GRID.width, y: GRID.y + Math.floor(i / GRID.columns) * GRID.height },
    }));
  }

  private uniqueName(name: string): string {
    if (!this.names.has(name)) return name;
    for (let n = 2; ; n++) {
      const candidate = fitName(`${name}-${n}`);
      if (!this.names.has(candidate)) return candidate;
    }
  }
}

/** Services of both lists, without repeats; `any` stands for all of them. */
function unionOfServices(a: readonly Service[], b: readonly Service[]): Service[] {
  const all = [...a, ...b];
  const any = all.find((s) => s.protocol === 'any');
  if (any) return a.length === 1 && a[0]!.protocol === 'any' ? [...a] : [any];
  return [...new Map(all.map((s) => [formatService(s), s])).values()];
}

/** A group name within the 63 characters allowed: long ones keep their start and a short hash of the rest. */
function fitName(name: string): string {
  if (name.length <= 63) return name;
  let hash = 0x811c9dc5;
  for (const ch of name) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${name.slice(0, 54).replace(/[-_.]+$/, '')}-${hash.toString(16).padStart(8, '0')}`;
}
