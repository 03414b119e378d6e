import type { HostTable } from '../compiler/compile';
import { formatFlow } from '../compiler/flow';
import { addressBits } from './address-bits';
import { parseFlowTextStrict } from './flow-parser';
import type { ConnectionState, Packet } from './packet';
import { groupByTable, simulatePacket, type FlowTables, type SimulationResult } from './simulate';

/** Each enforcement host's tables, ready to simulate. */
export type HostFlowTables = ReadonlyMap<string, FlowTables>;

/** One end of a connection: an address, and the host whose switch it sits behind (none if outside). */
export interface PathEnd {
  address: string;
  host?: string;
}

/** The packet apart from its addresses; the address family follows from the ends. */
export type PathProbe = Omit<Packet, 'src' | 'dst' | 'ethType'> & { ethType?: 'arp' };

export interface PathHop {
  host: string;
  result: SimulationResult;
}

export interface PathResult {
  verdict: 'permitted' | 'dropped';
  /** False when neither end is behind one of our switches, so nothing enforces the policy. */
  enforced: boolean;
  /** The hosts the packet was simulated on, in path order; stops at the first that drops it. */
  hops: PathHop[];
  reason: string;
}

/**
 * Prints every host's compiled flows with the compiler's own printer (the lines the preview
 * shows and deploy sends) and parses them once; line N is the host's Nth flow. Throws if the
 * compiler's output does not parse, which would be a compiler bug.
 */
export function loadHostTables(hosts: readonly HostTable[]): HostFlowTables {
  return new Map(
    hosts.map((h) => [
      h.host,
      groupByTable(parseFlowTextStrict(h.flows.map(formatFlow).join('\n'), `${h.host}.flows`)),
    ]),
  );
}

/**
 * Simulates the first packet (state `new`) or a later one (`established`) of a connection:
 * on the source's host, then, if forwarded and the destination sits behind another host, on
 * that host. Permitted only if every host on the path forwards it. Pure and deterministic;
 * throws if an end names a host without tables or the ends' address families differ.
 */
export function simulatePath(
  tables: HostFlowTables,
  from: PathEnd,
  to: PathEnd,
  probe: PathProbe,
  state: ConnectionState,
): PathResult {
  const packet: Packet = {
    ...probe,
    ethType: probe.ethType ?? familyOf(from.address, to.address),
    src: from.address,
    dst: to.address,
  };
  const hosts = [from.host, to.host].filter((h, i, all): h is string => h !== undefined && all.indexOf(h) === i);
  const hops: PathHop[] = [];

  for (const host of hosts) {
    const hostTables = tables.get(host);
    if (!hostTables) throw new Error(`no flow table for host "${host}"`);
    const result = simulatePacket(hostTables, packet, state);
    hops.push({ host, result });
    if (result.verdict === 'dropped')
      return { verdict: 'dropped', enforced: true, hops, reason: `${host}: ${result.reason}` };
  }

  if (hops.length === 0)
    return { verdict: 'permitted', enforced: false, hops, reason: 'neither end is behind one of our switches' };
  return {
    verdict: 'permitted',
    enforced: true,
    hops,
    reason: `forwarded by ${hops.map((h) => h.host).join(' and ')}`,
  };
}

function familyOf(src: string, dst: string): 'ipv4' | 'ipv6' {
  const a = addressBits(src);
  const b = addressBits(dst);
  if (!a || !b) throw new Error(`"${a ? dst : src}" is not an IP address`);
  if (a.family !== b.family) throw new Error(`${src} and ${dst} are of different address families`);
  return a.family === 4 ? 'ipv4' : 'ipv6';
}
