import type { Workload } from '../inventory/model';
import { matchValuesOf } from '../net/address';
import { cidrsOverlap } from '../net/cidr-set';
import type { FlowList } from './flow-order';
import { cookieFor, PRIORITY, TABLES } from './pipeline';

/** A port of one host's bridge and the addresses the workloads behind it send from. */
export interface GuardedPort {
  port: string;
  addresses: readonly string[];
}

/** What a guard needs of the policy: whether IPv6 and DHCP pass the pipeline at all. */
export interface PortGuardOptions {
  withIPv6: boolean;
  dhcp: boolean;
}

const GUARD = cookieFor('port-guard', 0);
const ROUTER_SOLICITATION = 133;
const ROUTER_ADVERTISEMENT = 134;
const NEIGHBOUR_SOLICITATION = 135;
const NEIGHBOUR_ADVERTISEMENT = 136;
const REDIRECT = 137;
/** Where a workload's neighbour discovery may speak from besides its own addresses: its link-local address, or none yet (duplicate address detection). */
const LINK_LOCAL = 'fe80::/10';
const UNSPECIFIED = '::';

/**
 * The local workloads' switch ports, each with the addresses of every workload given that port
 * (a port may lead to several, a nested bridge's for one), in port-name order.
 */
export function guardedPorts(local: readonly Workload[]): GuardedPort[] {
  const byPort = new Map<string, string[]>();
  for (const w of local) {
    if (w.switchPort === undefined) continue;
    const addresses = byPort.get(w.switchPort);
    if (addresses) addresses.push(...w.addresses);
    else byPort.set(w.switchPort, [...w.addresses]);
  }
  return [...byPort].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([port, addresses]) => ({ port, addresses }));
}

/**
 * Table 0's spoof guard for the ports workloads are known to sit behind. Without it the egress
 * table knows a local source by its address alone, so a workload sending from another's address
 * is judged as that one, or, from an address of no local workload, not checked on its own host
 * at all. A packet from a guarded port goes on only from one of the port's own addresses (IP,
 * and ARP as sender), plus what has no address of its own yet or speaks from a link-local one:
 * a DHCP request, an ARP probe, neighbour discovery (bound too: addNeighbourDiscovery).
 * Everything else from the port drops under the guard's cookie, whose counters count forged
 * packets.
 *
 * A packet the port's own workload sends honestly (from its own address, and advertising only
 * its own) meets exactly what it would meet without the guard: the pass flows act as the flows
 * below them do (`conntrack` is the classify table's own
 * action for IP). Analyses of traffic between workloads rely on this and leave the guard out
 * (simulator/port-guards.ts).
 */
export function addPortGuards(flows: FlowList, ports: readonly GuardedPort[], options: PortGuardOptions, conntrack: string): void {
  const table = TABLES.classify.id;
  const add = (priority: number, match: string, actions: string[]): void => flows.push({ table, priority, cookie: GUARD, match, actions });
  for (const { port, addresses } of ports) {
    const from = `in_port=${port}`;
    const ipv4 = matchValuesOf(addresses, 4);
    if (options.withIPv6) addNeighbourDiscovery(from, matchValuesOf(addresses, 6), add);
    if (options.dhcp) {
      add(PRIORITY.portGuardInfrastructure, `${from},udp,tp_src=68,tp_dst=67`, ['NORMAL']);
      // A workload serving DHCP answers from its own address.
      for (const a of ipv4) add(PRIORITY.portGuardInfrastructure, `${from},udp,nw_src=${a},tp_src=67,tp_dst=68`, ['NORMAL']);
      // DHCPv6 speaks from link-local addresses, the client's and the server's (RFC 8415), or from a server's own.
      if (options.withIPv6) {
        add(PRIORITY.portGuardInfrastructure, `${from},udp6,ipv6_src=${LINK_LOCAL},tp_src=546,tp_dst=547`, ['NORMAL']);
        for (const a of [LINK_LOCAL, ...matchValuesOf(addresses, 6)]) add(PRIORITY.portGuardInfrastructure, `${from},udp6,ipv6_src=${a},tp_src=547,tp_dst=546`, ['NORMAL']);
      }
    }
    for (const a of ipv4) {
      add(PRIORITY.portGuard, `${from},ip,nw_src=${a}`, [conntrack]);
      add(PRIORITY.portGuard, `${from},arp,arp_spa=${a}`, ['NORMAL']);
    }
    // An ARP probe asks whether an address is taken before using it (RFC 5227): it names no sender.
    add(PRIORITY.portGuard, `${from},arp,arp_spa=0.0.0.0`, ['NORMAL']);
    if (options.withIPv6) for (const a of matchValuesOf(addresses, 6)) add(PRIORITY.portGuard, `${from},ipv6,ipv6_src=${a}`, [conntrack]);
    add(PRIORITY.portGuardDrop, from, ['drop']);
  }
}

/**
 * Neighbour discovery from a guarded port, bound as ARP is: solicitations (router and
 * neighbour) only from the port's own addresses, its link-local one or none (duplicate address
 * detection), and advertisements only for a target that is one of its own addresses or
 * link-local, so a workload cannot claim another's address in its neighbours' caches. A router
 * advertisement counts only from a link-local address (RFC 4861), and from there it is dropped:
 * a workload announcing itself as the router would take its neighbours' outside traffic
 * (Kubernetes' CVE-2020-10749). From the port's own addresses it passes as without the guard,
 * and its neighbours discard it. Redirects, which routers send from link-local too, drop. Both
 * drop from a link-local address the inventory lists as the port's own as well, which the port's
 * own IPv6 traffic would otherwise let through.
 */
function addNeighbourDiscovery(from: string, own: readonly string[], add: (priority: number, match: string, actions: string[]) => void): void {
  const icmp6 = `${from},icmp6,icmp_type=`;
  const pass = (match: string): void => add(PRIORITY.portGuardInfrastructure, match, ['NORMAL']);
  for (const source of [...own, LINK_LOCAL, UNSPECIFIED]) for (const type of [ROUTER_SOLICITATION, NEIGHBOUR_SOLICITATION]) pass(`${icmp6}${type},ipv6_src=${source}`);
  const linkLocal = own.filter((source) => cidrsOverlap([source], [LINK_LOCAL]));
  for (const source of own) if (!linkLocal.includes(source)) pass(`${icmp6}${ROUTER_ADVERTISEMENT},ipv6_src=${source}`);
  // From its own link-local address a router's messages would otherwise pass as the port's own IPv6 traffic.
  for (const source of linkLocal) for (const type of [ROUTER_ADVERTISEMENT, REDIRECT]) add(PRIORITY.portGuardForgedAdvertisement, `${icmp6}${type},ipv6_src=${source}`, ['drop']);
  for (const target of [...own, LINK_LOCAL]) pass(`${icmp6}${NEIGHBOUR_ADVERTISEMENT},nd_target=${target}`);
  // Sent from its own address, an advertisement of another's would otherwise pass as the port's own IPv6 traffic.
  // Only code 0 names a target: with another Open vSwitch reads none and receivers discard the
  // message (RFC 4861), so it passes as the port's solicitations do, as it would without the guard.
  add(PRIORITY.portGuardForgedAdvertisement, `${icmp6}${NEIGHBOUR_ADVERTISEMENT},icmp_code=0`, ['drop']);
  for (const source of [...own, LINK_LOCAL]) add(PRIORITY.portGuardUntargetedAdvertisement, `${icmp6}${NEIGHBOUR_ADVERTISEMENT},ipv6_src=${source}`, ['NORMAL']);
}
