import type { Inventory, Workload } from '../inventory/model';
import { matchesLabels, parseLabelSelector } from './label-selector';
import type { Group, Policy, Service } from './model';

/**
 * A direct answer to "may A open a connection to B?", written from the documented policy
 * semantics (docs/pipeline.md, "Semantics") and not from the compiler, so the two can be
 * checked against each other. It knows nothing of flows, hosts or conjunctions.
 */

/** A party to a connection: a workload of the inventory, or an address (a workload's, or an outside one). */
export type Party = { workload: string } | { address: string };

export interface ConnectionQuestion {
  from: Party;
  to: Party;
  /** `icmp` is ICMPv6 when the connection is IPv6; `other` is any other IP protocol. */
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'other';
  /** Destination port, for tcp, udp and sctp. */
  port?: number;
  icmpType?: number;
  family: 4 | 6;
}

export interface ReferenceAnswer {
  allowed: boolean;
  /** The sentence a person would give. */
  because: string;
}

const ND_TYPES = [133, 134, 135, 136];

/**
 * Answers the question from the policy's meaning: IPv6 neighbour discovery passes where the
 * inventory or policy has IPv6; two members of one group that is not isolated may talk when
 * `defaults.withinGroup` is allow; an edge from a group of A to a group of B permits the
 * services it lists; everything else is denied. Pure; throws on an unknown workload id.
 */
export function mayConnect(policy: Policy, inventory: Inventory, question: ConnectionQuestion): ReferenceAnswer {
  const a = resolve(inventory, question.from);
  const b = resolve(inventory, question.to);

  if (question.family === 6 && question.protocol === 'icmp' && ND_TYPES.includes(question.icmpType ?? -1) && usesIPv6(policy, inventory)) {
    return { allowed: true, because: 'IPv6 neighbour discovery always passes' };
  }

  const groupsA = policy.groups.filter((g) => isMember(g, a));
  const groupsB = new Set(policy.groups.filter((g) => isMember(g, b)).map((g) => g.name));

  if (policy.defaults.withinGroup === 'allow') {
    const shared = groupsA.find((g) => groupsB.has(g.name) && !g.isolated);
    if (shared) return { allowed: true, because: `both are in group "${shared.name}"` };
  }

  const names = new Set(groupsA.map((g) => g.name));
  for (const edge of policy.edges) {
    if (!names.has(edge.from) || !groupsB.has(edge.to)) continue;
    const service = edge.services.find((s) => serviceCovers(s, question));
    if (service) return { allowed: true, because: `edge "${edge.id}" from "${edge.from}" to "${edge.to}" permits it` };
  }

  return { allowed: false, because: groupsA.length === 0 || groupsB.size === 0 ? 'an end is in no group' : 'no group holds both and no edge permits it' };
}

/** A resolved party: a workload, or an outside address as 128 bits (IPv4 mapped into the low 32). */
type Resolved = { kind: 'workload'; workload: Workload } | { kind: 'outside'; bits: string; family: 4 | 6 };

function resolve(inventory: Inventory, party: Party): Resolved {
  if ('workload' in party) {
    const workload = inventory.workloads.find((w) => w.id === party.workload);
    if (!workload) throw new Error(`no workload "${party.workload}" in the inventory`);
    return { kind: 'workload', workload };
  }
  const parsed = toBits(party.address);
  if (!parsed) throw new Error(`"${party.address}" is not an IP address`);
  // An address that belongs to a workload is that workload.
  const owner = inventory.workloads.find((w) => w.addresses.some((x) => toBits(x)?.bits === parsed.bits));
  return owner ? { kind: 'workload', workload: owner } : { kind: 'outside', ...parsed };
}

/** Membership straight from the model's rules: every workload criterion given must hold; cidrs hold outside parties. */
function isMember(group: Group, party: Resolved): boolean {
  const s = group.selector;
  if (party.kind === 'outside') {
    return (s.cidrs ?? []).some((cidr) => {
      const [address = '', prefix] = cidr.split('/');
      const net = toBits(address);
      if (!net || net.family !== party.family) return false;
      const length = prefix === undefined ? (net.family === 4 ? 32 : 128) : Number(prefix);
      const offset = net.family === 4 ? 96 : 0;
      return party.bits.slice(offset, offset + length) === net.bits.slice(offset, offset + length);
    });
  }
  const w = party.workload;
  const criteria: boolean[] = [];
  if (s.labels !== undefined) {
    const parsed = parseLabelSelector(s.labels);
    criteria.push(parsed.ok && matchesLabels(parsed.requirements, w.labels));
  }
  if (s.image) criteria.push(w.image !== undefined && globMatches(s.image, w.image));
  if (s.namespace) criteria.push(w.namespace === s.namespace);
  if (s.host) criteria.push(w.host === s.host);
  return criteria.length > 0 && criteria.every(Boolean);
}

function serviceCovers(service: Service, q: ConnectionQuestion): boolean {
  if (service.protocol === 'any') return true;
  if (service.protocol !== q.protocol) return false;
  if (!service.ports) return true;
  return q.port !== undefined && q.port >= service.ports.from && q.port <= service.ports.to;
}

function usesIPv6(policy: Policy, inventory: Inventory): boolean {
  const texts = [...inventory.workloads.flatMap((w) => w.addresses), ...policy.groups.flatMap((g) => g.selector.cidrs ?? [])];
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

/** An address as a string of 128 '0'/'1' characters; IPv4 sits in the low 32. Null when invalid. */
function toBits(text: string): { bits: string; family: 4 | 6 } | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return null;
    return { family: 4, bits: '0'.repeat(96) + octets.map((o) => o.toString(2).padStart(8, '0')).join('') };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return null;
  const [left = '', right] = text.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const zeros = 8 - head.length - tail.length;
  if (right === undefined ? zeros !== 0 : zeros < 1) return null;
  const groups = [...head, ...Array<string>(right === undefined ? 0 : zeros).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { family: 6, bits: groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('') };
}
