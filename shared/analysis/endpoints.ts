import { pushUnder } from '../arrays';
import { qualifiedName, type Workload } from '../inventory/model';
import { cidrMatcher } from '../net/cidr-set';
import type { Membership } from '../policy/membership';
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
      endpoints.push({ address, text: formatAddress(address), host: w.host, workload: w, groups: groups.of(text, w) });
    }

  const outside = new Map<string, AddressBits>();
  // With `outside`, all address space counts, in a group or not.
  const blocks = [...groups.cidrs, ...(options.outside ? ['0.0.0.0/0', '::/0'] : [])].flatMap((cidr) => parseAddressMask(cidr) ?? []);
  for (const address of named.exactAddresses())
    if (!taken.has(addressKey(address)) && blocks.some((b) => addressMatches(b, address))) outside.set(addressKey(address), address);
  const prefixes = named.prefixMasks();
  for (const block of blocks)
    for (const address of standInsFor(block, prefixes, (a) => taken.has(addressKey(a)) || named.namesExactly(a))) outside.set(addressKey(address), address);
  for (const address of outside.values()) {
    const text = formatAddress(address);
    endpoints.push({ address, text, groups: groups.of(text) });
  }
  return endpoints;
}

/**
 * The groups that hold an address: those whose criteria hold its workload, then those whose
 * address blocks hold it. Edges to and from a block reach the workloads inside it too.
 */
export class AddressGroups {
  private readonly byWorkload = new Map<string, string[]>();
  private readonly blocks: { name: string; inside: (address: string) => boolean; cidrs: string[] }[];

  constructor(membership: ReadonlyMap<string, Membership>) {
    for (const [name, m] of membership) for (const w of m.workloads) pushUnder(this.byWorkload, w.id, name);
    this.blocks = [...membership].filter(([, m]) => m.cidrs.length > 0).map(([name, m]) => ({ name, inside: cidrMatcher(m.cidrs), cidrs: m.cidrs }));
  }

  /** Every block of every group. */
  get cidrs(): string[] {
    return this.blocks.flatMap((b) => b.cidrs);
  }

  /** `address` as text; `workload` when it is a workload's. */
  of(address: string, workload?: Workload): string[] {
    return [...new Set([...(workload ? (this.byWorkload.get(workload.id) ?? []) : []), ...this.blocks.filter((b) => b.inside(address)).map((b) => b.name)])];
  }
}

/** How the matrix, the impact and a replay name an end: its groups, else `(no group) NAME` for a workload in none, else `(outside)`. */
export function groupNames(groups: readonly string[], workload?: Workload): readonly string[] {
  if (groups.length > 0) return groups;
  return [workload ? `(no group) ${qualifiedName(workload)}` : '(outside)'];
}

/** A workload as `trace` accepts it (`namespace/name` where there are namespaces), else the address. */
export function endpointLabel(endpoint: MatrixEndpoint): string {
  return endpoint.workload ? qualifiedName(endpoint.workload) : endpoint.text;
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

/** The first address of the block no one else uses, trying a few (used ones are sparse). */
function firstFree(family: 4 | 6, value: bigint, length: number, unavailable: (a: AddressBits) => boolean): AddressBits | null {
  const size = 1n << BigInt(WIDTH[family] - length);
  for (let i = 0n; i < size && i < 4096n; i++) {
    const candidate = { family, value: value + i };
    if (!unavailable(candidate)) return candidate;
  }
  return null;
}

function prefixLength(m: AddressMask): number {
  let length = 0;
  for (let bit = BigInt(WIDTH[m.family] - 1); bit >= 0n && (m.mask >> bit) & 1n; bit--) length++;
  return length;
}
