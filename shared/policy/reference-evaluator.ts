import type { Inventory, Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { icmpOpensConnection } from '../net/icmp-requests';
import { matchesLabels, parseLabelSelector } from './label-selector';
import type { Edge, ExcludeSelector, Group, Policy, Service } from './model';
import { familyOf, inBlock, toBits, type AddressPoint } from './reference-addresses';
import { findHoneypot, honeypotsOf, redirectAddress } from './reference-honeypots';

// A direct answer to "may A open a connection to B?", written from the documented policy
// semantics (docs/pipeline.md "Semantics", the model's comments) and not from the compiler, so
// the two can be checked against each other. It knows nothing of flows, hosts or conjunctions.

/**
 * A party to a connection: a workload of the inventory (optionally the address it uses), or an
 * address, which is the workload that has it or else an outside party.
 */
export type Party = { workload: string; address?: string } | { address: string };

export interface ConnectionQuestion {
  from: Party;
  to: Party;
  /** `icmp` is ICMPv6 when the connection is IPv6; `other` is any other IP protocol. */
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'other';
  /** Destination port, for tcp, udp and sctp. */
  port?: number;
  /** Source port; only DHCP depends on it. */
  sourcePort?: number;
  icmpType?: number;
  icmpCode?: number;
  family: 4 | 6;
}

export interface ReferenceAnswer {
  /** The connection reaches its destination. */
  allowed: boolean;
  /** Set when the connection goes to a honeypot instead: the honeypot's address (of the connection's family). */
  redirectedTo?: string;
  /** The sentence a person would give. */
  because: string;
}

const ND_TYPES = [133, 134, 135, 136];

/**
 * Answers the question from the policy's meaning, in its order of precedence: neighbour
 * discovery (where IPv6 is in use) and DHCP (when enabled) always pass; an ICMP message that is
 * no request opens no connection and is dropped; any workload may query
 * a named DNS resolver on port 53; a honeypot (a workload the policy redirects to) takes
 * whatever an outside party sends it, while a workload's connections to it meet the policy as
 * usual; a deny or reject edge from a group of A to a group of B that covers the service
 * blocks, and before any redirect edge; then the first redirect edge (by id) sends the
 * connection to its honeypot; an allow or log edge that covers it permits; two members of one
 * group that is not isolated may talk when `withinGroup` is allow; otherwise the default
 * decides (`monitor` permits, `redirect` sends to `defaults.redirectTo`, `drop` and `reject`
 * deny). A redirect goes to the honeypot's address of the connection's family; without one,
 * or when the honeypot itself opened the connection, the connection is dropped. Pure; throws on an unknown workload or honeypot, or a workload that
 * takes no part (no host or no address: its addresses are outside ones).
 */
export function mayConnect(policy: Policy, inventory: Inventory, q: ConnectionQuestion): ReferenceAnswer {
  const a = resolve(inventory, q.from);
  const b = resolve(inventory, q.to);

  const infrastructure = infrastructureAnswer(policy, inventory, q, a, b);
  if (infrastructure) return { allowed: true, because: infrastructure };

  // Connections are stateful: only a request opens one. An ICMP reply or error passes as part of
  // the connection it answers, and on its own opens nothing, whatever the policy permits.
  if (q.protocol === 'icmp' && !icmpOpensConnection(q.family, q.icmpType ?? 0))
    return { allowed: false, because: `ICMP type ${q.icmpType ?? 0} is no request: it opens no connection, and alone it is dropped as invalid` };

  if (a.kind === 'outside' && isHoneypotAddress(policy, inventory, b, q.family))
    return { allowed: true, because: 'a honeypot takes whatever reaches it' };

  // Edges see a group as its selected workloads plus every address in its blocks; the
  // within-group rule sees only the selected workloads.
  const groupsA = new Set(policy.groups.filter((g) => isSelected(g, a) || inBlocks(g, a)).map((g) => g.name));
  const groupsB = new Set(policy.groups.filter((g) => isSelected(g, b) || inBlocks(g, b)).map((g) => g.name));
  const covering = (e: Edge): boolean =>
    groupsA.has(e.from) && groupsB.has(e.to) && e.services.some((s) => serviceCovers(s, q, b));

  const blocking = policy.edges.find((e) => (e.action === 'deny' || e.action === 'reject') && covering(e));
  if (blocking) return { allowed: false, because: `edge "${blocking.id}" (${blocking.action}) blocks it` };

  const redirecting = [...policy.edges]
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .find((e) => e.action === 'redirect' && covering(e));
  if (redirecting) return redirected(inventory, a, redirecting.redirectTo ?? '', q.family, `edge "${redirecting.id}"`);

  const permitting = policy.edges.find((e) => (e.action === 'allow' || e.action === 'log') && covering(e));
  if (permitting)
    return {
      allowed: true,
      because: `edge "${permitting.id}" from "${permitting.from}" to "${permitting.to}" permits it`,
    };

  if (policy.defaults.withinGroup === 'allow') {
    const shared = policy.groups.find((g) => isSelected(g, a) && isSelected(g, b) && !g.isolated);
    if (shared) return { allowed: true, because: `both are in group "${shared.name}"` };
  }

  if (policy.defaults.betweenGroups === 'monitor')
    return { allowed: true, because: 'the default is monitor, which permits and counts' };
  if (policy.defaults.betweenGroups === 'redirect')
    return redirected(inventory, a, policy.defaults.redirectTo ?? '', q.family, 'the default');
  const lonely = groupsA.size === 0 || groupsB.size === 0;
  return { allowed: false, because: lonely ? 'an end is in no group' : 'no group holds both and no edge permits it' };
}

function redirected(inventory: Inventory, a: Resolved, spec: string, family: 4 | 6, who: string): ReferenceAnswer {
  const honeypot = findHoneypot(inventory, spec);
  if (a.kind === 'workload' && a.workload === honeypot)
    return { allowed: false, because: `${who} would redirect it to "${honeypot.name}", which opened it: a honeypot's own connection is dropped` };
  const address = redirectAddress(honeypot, family);
  if (address === undefined)
    return {
      allowed: false,
      because: `${who} redirects it to "${honeypot.name}", which has no IPv${family} address: dropped`,
    };
  return {
    allowed: false,
    redirectedTo: address,
    because: `${who} redirects it to honeypot "${honeypot.name}" (${address})`,
  };
}

/** Whether B is a honeypot of the policy at the address a redirect of this family uses. */
function isHoneypotAddress(policy: Policy, inventory: Inventory, b: Resolved, family: 4 | 6): boolean {
  if (b.kind !== 'workload') return false;
  const workload = b.workload;
  if (!honeypotsOf(policy, inventory).includes(workload)) return false;
  const address = redirectAddress(workload, family);
  return address !== undefined && (b.bits === undefined || toBits(address)?.bits === b.bits);
}

/** A resolved party: a workload (and the address used, if known), or an outside address as 128 bits. */
type Resolved =
  { kind: 'workload'; workload: Workload; bits?: string } | { kind: 'outside'; bits: string; family: 4 | 6 };

function infrastructureAnswer(
  policy: Policy,
  inventory: Inventory,
  q: ConnectionQuestion,
  a: Resolved,
  b: Resolved,
): string | null {
  if (q.family === 6 && q.protocol === 'icmp' && ND_TYPES.includes(q.icmpType ?? -1) && usesIPv6(policy, inventory)) {
    return 'IPv6 neighbour discovery always passes';
  }
  const dhcpPorts = `${q.sourcePort ?? ''}>${q.port ?? ''}`;
  if (policy.infrastructure?.dhcp && q.protocol === 'udp') {
    if (q.family === 4 && (dhcpPorts === '68>67' || dhcpPorts === '67>68')) return 'DHCP always passes';
    if (q.family === 6 && (dhcpPorts === '546>547' || dhcpPorts === '547>546') && usesIPv6(policy, inventory)) return 'DHCPv6 always passes';
  }
  const resolvers = (policy.infrastructure?.dnsResolvers ?? []).map((r) => toBits(r)?.bits);
  const target = b.kind === 'outside' ? [b.bits] : b.bits ? [b.bits] : b.workload.addresses.map((x) => toBits(x)?.bits);
  const dns =
    (q.protocol === 'udp' || q.protocol === 'tcp') &&
    q.port === 53 &&
    target.some((t) => t !== undefined && resolvers.includes(t));
  if (dns && a.kind === 'workload') return 'every workload may query the named DNS resolvers';
  return null;
}

function resolve(inventory: Inventory, party: Party): Resolved {
  if ('workload' in party) {
    const workload = inventory.workloads.find((w) => w.id === party.workload);
    if (!workload) throw new Error(`no workload "${party.workload}" in the inventory`);
    if (!takesPart(workload)) throw new Error(`workload "${party.workload}" takes no part: it has no host or no address`);
    return { kind: 'workload', workload, bits: party.address === undefined ? undefined : toBits(party.address)?.bits };
  }
  const parsed = toBits(party.address);
  if (!parsed) throw new Error(`"${party.address}" is not an IP address`);
  // An address that belongs to a workload is that workload, if it takes part (has a host).
  const owner = inventory.workloads.find((w) => takesPart(w) && w.addresses.some((x) => toBits(x)?.bits === parsed.bits));
  return owner ? { kind: 'workload', workload: owner, bits: parsed.bits } : { kind: 'outside', ...parsed };
}

/**
 * Whether the address in use (any of a workload's, when not given) lies in the group's cidrs
 * minus except; an excluded workload lies in none of the group's blocks.
 */
function inBlocks(group: Group, party: Resolved): boolean {
  const s = group.selector;
  if (party.kind === 'workload' && (s.exclude ?? []).some((entry) => meetsCriteria(entry, party.workload))) return false;
  const addresses =
    party.kind === 'outside' || party.bits !== undefined
      ? [{ bits: party.bits!, family: party.kind === 'outside' ? party.family : familyOf(party.bits!) }]
      : party.workload.addresses.map(toBits).filter((x): x is AddressPoint => x !== null);
  const within = (point: AddressPoint, blocks: readonly string[] | undefined): boolean =>
    (blocks ?? []).some((cidr) => inBlock(cidr, point));
  return addresses.some((point) => within(point, s.cidrs) && !within(point, s.except));
}

/**
 * Selection by the workload criteria: every one given must hold, and no exclude entry may
 * select the workload; an outside party is never selected.
 */
function isSelected(group: Group, party: Resolved): boolean {
  if (party.kind === 'outside') return false;
  const s = group.selector;
  return meetsCriteria(s, party.workload) && !(s.exclude ?? []).some((entry) => meetsCriteria(entry, party.workload));
}

/** Every workload criterion given holds (and at least one is given). */
function meetsCriteria(s: ExcludeSelector, w: Workload): boolean {
  const criteria: boolean[] = [];
  const labelsMatch = (selector: string, labels: Record<string, string>): boolean => {
    const parsed = parseLabelSelector(selector);
    return parsed.ok && matchesLabels(parsed.requirements, labels);
  };
  if (s.labels !== undefined) criteria.push(labelsMatch(s.labels, w.labels));
  // Namespace labels belong to a namespace: a workload in none meets no such selector. Each
  // namespace is labelled with its own name (kubernetes.io/metadata.name), listed or not.
  if (s.namespaceLabels !== undefined) criteria.push(w.namespace !== undefined && labelsMatch(s.namespaceLabels, { ...w.namespaceLabels, 'kubernetes.io/metadata.name': w.namespace }));
  if (s.image) criteria.push(w.image !== undefined && globMatches(s.image, w.image));
  if (s.namespace) criteria.push(w.namespace !== undefined && globMatches(s.namespace, w.namespace));
  if (s.host) criteria.push(w.host === s.host);
  return criteria.length > 0 && criteria.every(Boolean);
}

/**
 * Whether a service covers the connection. A named port covers it when the destination is a
 * workload declaring a port of that name and protocol whose number is the connection's port
 * (and lies in the service's range, if it has one).
 */
function serviceCovers(service: Service, q: ConnectionQuestion, destination: Resolved): boolean {
  if (service.protocol === 'any') return true;
  if (service.protocol !== q.protocol) return false;
  // An ICMP service's range holds types, read in the connection's own family.
  const value = q.protocol === 'icmp' ? q.icmpType : q.port;
  if (service.ports && (value === undefined || value < service.ports.from || value > service.ports.to)) return false;
  const code = q.icmpCode ?? 0;
  if (service.icmpCodes && (code < service.icmpCodes.from || code > service.icmpCodes.to)) return false;
  if (service.portName === undefined) return true;
  return (
    destination.kind === 'workload' &&
    (destination.workload.ports ?? []).some((p) => p.name === service.portName && p.protocol === q.protocol && p.port === q.port)
  );
}

function usesIPv6(policy: Policy, inventory: Inventory): boolean {
  const texts = [
    ...inventory.workloads.flatMap((w) => w.addresses),
    ...policy.groups.flatMap((g) => g.selector.cidrs ?? []),
    ...(policy.infrastructure?.dnsResolvers ?? []),
  ];
  return texts.some((t) => toBits(t.split('/')[0] ?? '')?.family === 6);
}

function globMatches(glob: string, text: string): boolean {
  // `*` is any run of characters; everything else is literal.
  const parts = glob.split('*');
  if (parts.length === 1) return glob === text;
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  if (!text.startsWith(first) || !text.endsWith(last) || text.length < first.length + last.length) return false;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = text.indexOf(middle, at);
    if (found < 0 || found + middle.length > text.length - last.length) return false;
    at = found + middle.length;
  }
  return true;
}
