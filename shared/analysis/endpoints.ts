import { pushUnder } from '../arrays';
import { qualifiedName, type Workload } from '../inventory/model';
import { parseCidr } from '../net/address';
import { cidrMatcher } from '../net/cidr-set';
import { groupCriteria, resolveMembership, type Membership } from '../policy/membership';
import type { Policy } from '../policy/model';
import type { AddressBits, AddressMask } from '../simulator/address-bits';
import { addressBits, addressMatches, formatAddress, parseAddressMask } from '../simulator/address-bits';
import { addressKey } from '../simulator/table-index';
import type { NamedAddresses } from './named-addresses';

/** One address the matrix reasons about: a workload's, or one standing for a stretch of an external block. */
export interface MatrixEndpoint {
  address: AddressBits;
  text: string;
  host?: string;
  workload?: Workload;
  /** Groups that hold this address, for edges (workload criteria or address blocks). */
  groups: string[];
}

const WIDTH = { 4: 32, 6: 128 } as const;

/**
 * Every workload address; every address some flow names one by one that is no workload's (a
 * DNS resolver, a honeypot outside), within a group's blocks; and, for each group's address
 * blocks, one address in every stretch that the tables' prefix matches (and those addresses)
 * cut the blocks into: together they meet every distinction the flows can make. With
 * `outside`, the whole address space is taken the same way, for connections from and to
 * addresses no group names (an impact must see those too).
 */
export function matrixEndpoints(workloads: readonly Workload[], membership: ReadonlyMap<string, Membership>, named: NamedAddresses, options: { outside?: boolean } = {}): MatrixEndpoint[] {
  const groups = new AddressGroups(membership);
  const endpoints: MatrixEndpoint[] = [];
  const taken = new Set<string>();
  for (const w of workloads)
    for (const text of w.addresses) {
      const address = addressBits(text);
      if (!address || taken.has(addressKey(address))) continue;
      taken.add(addressKey(address));
      endpoints.push(workloadEndpoint(address, text, w, groups));
    }

  const outside = new Map<string, AddressBits>();
  // With `outside`, all address space counts, in a group or not.
  const blocks = [...groups.cidrs, ...(options.outside ? ['0.0.0.0/0', '::/0'] : [])].flatMap((cidr) => parseAddressMask(cidr) ?? []);
  for (const address of named.exactAddresses())
    if (!taken.has(addressKey(address)) && blocks.some((b) => addressMatches(b, address))) outside.set(addressKey(address), address);
  const prefixes = named.prefixMasks();
  for (const block of blocks)
    for (const address of standInsFor(block, prefixes, (a) => taken.has(addressKey(a)) || named.namesExactly(a))) outside.set(addressKey(address), address);
  for (const address of outside.values()) endpoints.push(outsideEndpoint(address, groups));
  return endpoints;
}

/**
 * The endpoints matrixEndpoints gives these addresses, each of which a workload has or some flow
 * names one by one (so each is an endpoint with `outside`), without working out the others.
 */
export function endpointsAt(addresses: readonly AddressBits[], workloads: WorkloadAddresses, groups: AddressGroups): MatrixEndpoint[] {
  return addresses.map((address) => {
    const owner = workloads.owner(address);
    return owner ? workloadEndpoint(owner.address, owner.text, owner.workload, groups) : outsideEndpoint(address, groups);
  });
}

/** Dotted IPv4 as formatAddress writes it: such a text is its address's canonical text without being parsed. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Each workload address with the first workload that has it, as matrixEndpoints takes them,
 * filed by canonical text: most inventories write addresses canonically, so few are parsed.
 */
export class WorkloadAddresses {
  private readonly byText = new Map<string, { text: string; workload: Workload }>();

  constructor(workloads: readonly Workload[]) {
    for (const workload of workloads)
      for (const text of workload.addresses) {
        const key = canonicalText(text);
        if (key !== null && !this.byText.has(key)) this.byText.set(key, { text, workload });
      }
  }

  /** How many distinct addresses the workloads have. */
  get size(): number {
    return this.byText.size;
  }

  owner(address: AddressBits): { address: AddressBits; text: string; workload: Workload } | undefined {
    const found = this.byText.get(formatAddress(address));
    return found && { address: addressBits(found.text)!, ...found };
  }
}

function canonicalText(text: string): string | null {
  if (CANONICAL_IPV4.test(text)) return text;
  const address = addressBits(text);
  return address && formatAddress(address);
}

function workloadEndpoint(address: AddressBits, text: string, workload: Workload, groups: AddressGroups): MatrixEndpoint {
  return { address, text: formatAddress(address), host: workload.host, workload, groups: groups.of(text, workload) };
}

function outsideEndpoint(address: AddressBits, groups: AddressGroups): MatrixEndpoint {
  const text = formatAddress(address);
  return { address, text, groups: groups.of(text) };
}

/**
 * The groups that hold an address: those whose criteria hold its workload, then those whose
 * address blocks hold it. Edges to and from a block reach the workloads inside it too.
 */
export class AddressGroups {
  private readonly criteria: (workload: Workload) => readonly string[];
  private readonly blocks: { name: string; inside: (address: string) => boolean; cidrs: string[] }[];

  /** `criteria`: the groups whose criteria hold a workload, when not from `membership` (which then need only hold the groups with blocks). */
  constructor(membership: ReadonlyMap<string, Membership>, criteria?: (workload: Workload) => readonly string[]) {
    if (criteria) this.criteria = criteria;
    else {
      const byWorkload = new Map<string, string[]>();
      for (const [name, m] of membership) for (const w of m.workloads) pushUnder(byWorkload, w.id, name);
      this.criteria = (w) => byWorkload.get(w.id) ?? [];
    }
    this.blocks = [...membership].filter(([, m]) => m.cidrs.length > 0).map(([name, m]) => ({ name, inside: cidrMatcher(m.cidrs), cidrs: m.cidrs }));
  }

  /**
   * For a few addresses: each workload's groups are asked of the groups' criteria, and only the
   * groups with address blocks are resolved over every workload (their blocks leave out the
   * addresses of the workloads they exclude), rather than every group's members.
   */
  static forFew(policy: Policy, workloads: readonly Workload[]): AddressGroups {
    const withBlocks = policy.groups.filter((g) => (g.selector.cidrs ?? []).length > 0);
    return new AddressGroups(withBlocks.length === 0 ? new Map() : resolveMembership({ ...policy, groups: withBlocks }, workloads), groupCriteria(policy));
  }

  /** Every block of every group. */
  get cidrs(): string[] {
    return this.blocks.flatMap((b) => b.cidrs);
  }

  /** `address` as text; `workload` when it is a workload's. */
  of(address: string, workload?: Workload): string[] {
    return [...new Set([...(workload ? this.criteria(workload) : []), ...this.blocks.filter((b) => b.inside(address)).map((b) => b.name)])];
  }
}

/**
 * Whether two endpoints are one party: one address, or two of one workload's. A workload's
 * connections among its own addresses stay inside it (trace refuses them), so they are no pair
 * the matrix or an impact counts. Outside addresses are no workload: each is its own party.
 */
export function sameParty(a: MatrixEndpoint, b: MatrixEndpoint): boolean {
  return a === b || (a.workload !== undefined && a.workload.id === b.workload?.id);
}

/** How the matrix, the impact and a replay name an end: its groups, else `(no group) NAME` for a workload in none, else `(outside)`. */
export function groupNames(groups: readonly string[], workload?: Workload): readonly string[] {
  if (groups.length > 0) return groups;
  return [workload ? `(no group) ${qualifiedName(workload)}` : '(outside)'];
}

/**
 * An endpoint as `trace` accepts it: by the workload's name (`namespace/name` where there are
 * namespaces) where `trace` reads that name as this very address, else by the address. `trace`
 * takes a workload's first address of the pair's family, IPv4 when both ends have both, so a
 * second address of one family, or the IPv6 address of a workload that has IPv4 too, is named
 * by its address: the name could stand for another address, which the pair's verdict need not
 * hold for. A name that is itself an address (a container called `10.0.0.9`) is read by `trace`
 * as that address, whoever has it, so such a workload is named by its address too.
 */
export function endpointLabel(endpoint: MatrixEndpoint): string {
  const workload = endpoint.workload;
  if (!workload) return endpoint.text;
  const ofFamily = (family: number): number => workload.addresses.filter((a) => a.includes(':') === (family === 6)).length;
  const family = endpoint.address.family;
  const name = qualifiedName(workload);
  const namedAsItself = ofFamily(family) === 1 && (family === 4 || ofFamily(4) === 0) && parseCidr(name) === null;
  return namedAsItself ? name : endpoint.text;
}

/** One free address in each piece that the prefixes strictly inside `block` cut it into. */
function standInsFor(block: AddressMask, prefixes: readonly AddressMask[], unavailable: (a: AddressBits) => boolean): AddressBits[] {
  const width = WIDTH[block.family];
  const out: AddressBits[] = [];
  const visit = (value: bigint, length: number): void => {
    const inner = prefixes.filter((p) => p.family === block.family && prefixLength(p) > length && (p.value >> BigInt(width - length)) === value >> BigInt(width - length));
    if (inner.length === 0 || length === width) {
      const free = firstFree(block.family, value, length, unavailable);
      if (free) out.push(free);
      return;
    }
    const half = 1n << BigInt(width - length - 1);
    visit(value, length + 1);
    visit(value | half, length + 1);
  };
  visit(block.value, prefixLength(block));
  return out;
}

/**
 * Where public address space starts: below lie 0.0.0.0/8 ("this network") and, for IPv6, the
 * unspecified, loopback and other special addresses, which a reader would take for something else.
 */
const PUBLIC_START = { 4: 1n << 24n, 6: 1n << 125n } as const;

/**
 * A free address of the piece, as a person would pick one to trace (a cell's example may be it):
 * a host address, not the network address, and in public space where the piece holds some
 * (1.0.0.1 rather than 0.0.0.0 for the internet). Any free address of the piece meets the flows
 * alike. Tries a few (used ones are sparse), then any from the piece's start.
 */
function firstFree(family: 4 | 6, value: bigint, length: number, unavailable: (a: AddressBits) => boolean): AddressBits | null {
  const size = 1n << BigInt(WIDTH[family] - length);
  const start = value <= PUBLIC_START[family] && PUBLIC_START[family] < value + size ? PUBLIC_START[family] : value;
  // A piece of one or two addresses (/32, /31) has no network address to skip.
  const typical = start + (size > 2n ? 1n : 0n);
  return freeFrom(family, typical, value + size, unavailable) ?? freeFrom(family, value, value + size, unavailable);
}

/** The first of a few addresses from `from` (before `end`) no one else uses. */
function freeFrom(family: 4 | 6, from: bigint, end: bigint, unavailable: (a: AddressBits) => boolean): AddressBits | null {
  for (let value = from; value < end && value < from + 4096n; value++) {
    const candidate = { family, value };
    if (!unavailable(candidate)) return candidate;
  }
  return null;
}

function prefixLength(m: AddressMask): number {
  let length = 0;
  for (let bit = BigInt(WIDTH[m.family] - 1); bit >= 0n && (m.mask >> bit) & 1n; bit--) length++;
  return length;
}
