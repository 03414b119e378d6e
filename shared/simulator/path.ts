import type { HostTable } from '../compiler/compile';
import { takesPart } from '../inventory/participation';
import { addressBits, formatAddress } from './address-bits';
import { CompiledFlowReader } from './compiled-flows';
import { packetStartsConnection, type ConnectionState, type Packet } from './packet';
import { rememberDigest } from './table-digest';
import { committedMark, groupByTable, simulatePacket, type FlowTables, type SimulationResult } from './simulate';

/** Each enforcement host's tables, ready to simulate. */
export type HostFlowTables = ReadonlyMap<string, FlowTables>;

/** Where a path finds a host's tables: all of them loaded, or each loaded when first asked for (`tablesOnDemand`). */
export type HostTableLookup = Pick<HostFlowTables, 'get'>;

/** One end of a connection: an address, and the host whose switch it sits behind (none if outside). */
export interface PathEnd {
  address: string;
  host?: string;
  /** For a source: the switch port its packets come in by on its host (a workload's `switchPort`), which meets the host's spoof guard. */
  port?: string;
}

/** The packet apart from its addresses; the address family follows from the ends. */
export type PathProbe = Omit<Packet, 'src' | 'dst' | 'ethType'> & { ethType?: 'arp' };

export interface PathHop {
  host: string;
  result: SimulationResult;
  /** For an established packet: the connection's ct_mark on this host, as its first packet's commit set it. */
  ctMark?: number;
}

export interface PathResult {
  /** `redirected`: a switch sent the connection to another destination (a honeypot), and it got there. */
  verdict: 'permitted' | 'dropped' | 'redirected';
  /** With `redirected`: where the connection went instead (canonical address text). */
  redirectedTo?: string;
  /** False when neither end is behind one of our switches, so nothing enforces the policy. */
  enforced: boolean;
  /** The hosts the packet was simulated on, in path order; stops at the first that drops it. */
  hops: PathHop[];
  reason: string;
}

export interface PathOptions {
  /**
   * The host each address sits behind (see addressHosts), so a redirected packet can be
   * followed to its new destination's switch. Without it, or for an address it does not
   * know, the path ends at the switch that redirected.
   */
  hostOf?: ReadonlyMap<string, string>;
  /** As SimulateOptions.everyFirstPacketOpens: what the policy lets open, for the analyses. */
  everyFirstPacketOpens?: boolean;
}

/** A redirect could in principle bounce between switches; no real path needs this many hops. */
export const MAX_HOPS = 8;

/**
 * Every host's compiled flows as the simulator reads them: what parsing the lines the preview
 * shows and deploy sends gives (line N is the host's Nth flow), each distinct match and action
 * list parsed once (CompiledFlowReader; one reader can serve several calls). Throws if the
 * compiler's output does not parse, which would be a compiler bug.
 */
export function loadHostTables(hosts: readonly HostTable[], reader = new CompiledFlowReader()): HostFlowTables {
  return new Map(hosts.map((h) => [h.host, loadHostTable(h, reader)]));
}

/** One host's table as loadHostTables loads it. */
export function loadHostTable(host: HostTable, reader: CompiledFlowReader): FlowTables {
  const flows = reader.readTable(host, `${host.host}.flows`);
  const tables = groupByTable(flows);
  const digest = reader.digestOf(flows);
  if (digest !== undefined) rememberDigest(tables, digest);
  for (const [table, digest] of reader.tableDigestsOf(flows) ?? []) rememberDigest(tables.get(table)!, digest);
  return tables;
}

/**
 * loadHostTables for one path at a time: a host's tables are parsed the first time a path
 * reaches it. A trace meets two or three hosts, and a large estate's hundred tables hold a
 * million flows, which take many seconds to parse.
 */
export function tablesOnDemand(hosts: readonly HostTable[]): HostTableLookup {
  const byName = new Map(hosts.map((h) => [h.host, h]));
  const parsed = new Map<string, FlowTables>();
  const reader = new CompiledFlowReader();
  return {
    get(host) {
      let tables = parsed.get(host);
      const table = byName.get(host);
      if (!tables && table) parsed.set(host, (tables = loadHostTables([table], reader).get(host)!));
      return tables;
    },
  };
}

/** Address (canonical text) → host, for PathOptions.hostOf: every address of every workload that has a host. Pure. */
export function addressHosts(
  workloads: readonly { host: string; addresses: readonly string[] }[],
): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const w of workloads)
    for (const a of takesPart(w) ? w.addresses : []) {
      const key = canonical(a);
      if (key !== null && !hosts.has(key)) hosts.set(key, w.host);
    }
  return hosts;
}

/** Whether the probe's packet can open a connection: not an ICMP reply or error (packetStartsConnection). */
function opensConnection(probe: PathProbe, from: PathEnd, to: PathEnd): boolean {
  if (probe.protocol !== 'icmp') return true;
  const ethType = probe.ethType ?? familyOf(from.address, to.address);
  return ethType === 'arp' || packetStartsConnection({ ethType, src: from.address, dst: to.address, protocol: 'icmp', icmpType: probe.icmpType ?? 0 });
}

/**
 * Simulates the first packet (state `new`) or a later one (`established`, `reply`) of a
 * connection: on the source's host, then, if forwarded and the destination sits behind another
 * host, on that host. When a switch redirects the packet (destination NAT), the next switch is
 * the one of the new destination (from `options.hostOf`), and the packet goes on with that
 * destination. Permitted only if every host on the path forwards it; `redirected` if every
 * host forwards it and one redirected it. Pure and deterministic; throws if an end names a host
 * without tables or the ends' address families differ.
 *
 * An `established` packet belongs to the connection its first packet would open: each host's
 * conntrack holds the mark that packet's commit set there and, where it was redirected, the
 * NAT to the honeypot, so later packets follow it there. Where the first packet is dropped, the
 * later one is taken as of a connection conntrack already knows (opened before this policy, or
 * seen from its other end), without mark or NAT, and the reason says so.
 */
export function simulatePath(
  tables: HostTableLookup,
  from: PathEnd,
  to: PathEnd,
  probe: PathProbe,
  state: ConnectionState,
  options: PathOptions = {},
): PathResult {
  if (state !== 'established') return walkPath(tables, from, to, probe, state, options);
  if (!opensConnection(probe, from, to)) {
    // Its own first packet is no question: it belongs to a connection opened another way.
    const later = walkPath(tables, from, to, probe, state, options);
    return { ...later, reason: `${later.reason}; an ICMP reply or error opens no connection: it passes as part of the one it belongs to (the request it answers, or the connection an error is about)` };
  }
  const first = walkPath(tables, from, to, probe, 'new', options);
  if (first.verdict === 'dropped') {
    const later = walkPath(tables, from, to, probe, state, options);
    const opens = `no connection in this direction opens under this policy (its first packet is dropped: ${first.reason}), so only one already open, from before it was deployed, would pass`;
    return { ...later, reason: `${later.reason}; ${opens}` };
  }
  return walkPath(tables, from, to, probe, state, options, conntrackEntries(first.hops));
}

/** What conntrack holds for a connection on each host its first packet passed: the mark its commits set there, and the NAT of a redirect. */
type ConntrackEntries = ReadonlyMap<string, Pick<Packet, 'ctMark' | 'ctNat'>>;

function conntrackEntries(hops: readonly PathHop[]): ConntrackEntries {
  return new Map(hops.map(({ host, result }) => [host, { ctMark: committedMark(result), ctNat: result.verdict === 'redirected' ? result.redirectedTo : undefined }]));
}

function walkPath(
  tables: HostTableLookup,
  from: PathEnd,
  to: PathEnd,
  probe: PathProbe,
  state: ConnectionState,
  options: PathOptions,
  entries?: ConntrackEntries,
): PathResult {
  let packet: Packet = {
    ...probe,
    ethType: probe.ethType ?? familyOf(from.address, to.address),
    src: from.address,
    dst: to.address,
  };
  const hops: PathHop[] = [];
  let redirectedTo: string | undefined;
  let destinationHost = to.host;
  let next = from.host ?? to.host;

  while (next !== undefined) {
    const host = next;
    if (hops.length >= MAX_HOPS)
      return {
        verdict: 'dropped',
        enforced: true,
        hops,
        reason: `more than ${MAX_HOPS} hops: the switches redirect in a loop`,
      };
    const hostTables = tables.get(host);
    if (!hostTables) throw new Error(`no flow table for host "${host}"`);
    const entry = entries?.get(host);
    // Only the sender's own switch sees its port: the next ones get the packet from the uplink.
    const inPort = hops.length === 0 && host === from.host && from.port !== undefined ? { inPort: from.port } : {};
    const result = simulatePacket(hostTables, { ...packet, ...entry, ...inPort }, state, options.everyFirstPacketOpens);
    hops.push({ host, result, ...(entry ? { ctMark: entry.ctMark } : {}) });
    if (result.verdict === 'dropped')
      return { verdict: 'dropped', enforced: true, hops, reason: `${host}: ${result.reason}` };
    if (result.verdict === 'redirected' && result.redirectedTo !== undefined) {
      redirectedTo = result.redirectedTo;
      packet = { ...packet, dst: result.redirectedTo };
      destinationHost = hostOfAddress(options.hostOf, result.redirectedTo);
    }
    next = destinationHost !== host ? destinationHost : undefined;
  }

  if (hops.length === 0)
    return { verdict: 'permitted', enforced: false, hops, reason: 'neither end is behind one of our switches' };
  const reasons = hops.map((h) => `${h.host}: ${h.result.reason}`).join('; ');
  return redirectedTo !== undefined
    ? { verdict: 'redirected', redirectedTo, enforced: true, hops, reason: reasons }
    : { verdict: 'permitted', enforced: true, hops, reason: `forwarded by ${hops.map((h) => h.host).join(' and ')}` };
}

function hostOfAddress(hosts: ReadonlyMap<string, string> | undefined, address: string): string | undefined {
  if (!hosts) return undefined;
  const direct = hosts.get(address);
  if (direct !== undefined) return direct;
  for (const [key, host] of hosts) if (canonical(key) === address) return host;
  return undefined;
}

function canonical(address: string): string | null {
  const bits = addressBits(address);
  return bits ? formatAddress(bits) : null;
}

function familyOf(src: string, dst: string): 'ipv4' | 'ipv6' {
  const a = addressBits(src);
  const b = addressBits(dst);
  if (!a || !b) throw new Error(`"${a ? dst : src}" is not an IP address`);
  if (a.family !== b.family) throw new Error(`${src} and ${dst} are of different address families`);
  return a.family === 4 ? 'ipv4' : 'ipv6';
}
