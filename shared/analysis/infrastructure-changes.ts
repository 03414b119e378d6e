import { trafficName, type InfrastructureTraffic, type PolicyTables } from './infrastructure-passes';

/**
 * Infrastructure traffic (DHCP, DHCPv6, IPv6 neighbour discovery) that one side's switches pass before
 * any policy on some hosts and the other side's do not. The impact compares both sides without
 * those passes, so no entry of it shows this: without its own line, turning DHCP off read as no
 * change at all.
 */
export interface InfrastructureChange {
  traffic: InfrastructureTraffic;
  change: 'now passes' | 'no longer passes';
  /** Sorted by name. */
  hosts: string[];
}

/**
 * Per kind of traffic, the hosts where the newer side passes it and the older did not, then those
 * where it no longer does. Deterministic.
 */
export function infrastructureChanges(older: PolicyTables, newer: PolicyTables): InfrastructureChange[] {
  const changes: InfrastructureChange[] = [];
  const traffics = [...new Set([...older.leftOut, ...newer.leftOut])].sort();
  for (const traffic of traffics)
    for (const change of ['now passes', 'no longer passes'] as const) {
      const [from, to] = change === 'now passes' ? [older, newer] : [newer, older];
      const hosts = [...to.leftOutByHost]
        .filter(([host, passed]) => passed.includes(traffic) && !(from.leftOutByHost.get(host) ?? []).includes(traffic))
        .map(([host]) => host)
        .sort((a, b) => a.localeCompare(b));
      if (hosts.length > 0) changes.push({ traffic, change, hosts });
    }
  return changes;
}

/** Hosts named in a line before the rest are counted: a change on 500 hosts stays one line (the JSON lists them all). */
const HOSTS_NAMED = 10;

/**
 * One sentence per change, for the command line, the Impact tab and the deploy confirmation.
 * Neighbour discovery comes with the first IPv6 address whatever the policy's rules, and the
 * sentence says so, so that it does not read as something the policy now permits.
 */
export function infrastructureChangeLine({ traffic, change, hosts }: InfrastructureChange): string {
  const more = hosts.length - HOSTS_NAMED;
  const where =
    more > 0
      ? `${hosts.slice(0, HOSTS_NAMED).join(', ')} and ${more} more host${more === 1 ? '' : 's'}`
      : hosts.join(', ');
  const why =
    traffic === 'dhcp' || traffic === 'dhcpv6'
      ? " ahead of the policy's rules"
      : change === 'now passes'
        ? ': it comes with the first IPv6 address and is not a change of what the policy permits'
        : ': it goes with the last IPv6 address';
  return `${trafficName(traffic)} ${change} on ${where}${why}`;
}
