import type { Workload } from '../inventory/model';
import { cidrMatchValue, parseCidr } from '../net/address';
import type { Service } from '../policy/model';
import { formatPortMatch, portRangeMasks } from './port-masks';
import type { Endpoints } from './rules';

export type Direction = 'src' | 'dst';

/** One match per address of the given workloads and address blocks, for the given direction. */
export function addressMatches(endpoints: Endpoints, direction: Direction): string[] {
  const texts = [...endpoints.workloads.flatMap((w) => w.addresses), ...endpoints.cidrs];
  const matches = new Set<string>();
  for (const text of texts) {
    const cidr = parseCidr(text);
    if (!cidr) continue;
    const value = cidrMatchValue(cidr);
    matches.add(cidr.family === 4 ? `ip,nw_${direction}=${value}` : `ipv6,ipv6_${direction}=${value}`);
  }
  return [...matches];
}

/** Addresses of workloads on one host only: the enforcement point's own side of a rule. */
export function localEndpoints(endpoints: Endpoints, host: string): Endpoints {
  return { workloads: endpoints.workloads.filter((w: Workload) => w.host === host), cidrs: [] };
}

/** Matches for a list of services; IPv6 variants only when the compile has IPv6 addresses. */
export function serviceMatches(services: readonly Service[], withIPv6: boolean): string[] {
  const matches = new Set<string>();
  for (const service of services) {
    const families = service.protocol === 'icmp' ? ['icmp', ...(withIPv6 ? ['icmp6'] : [])] : [service.protocol, ...(withIPv6 ? [`${service.protocol}6`] : [])];
    for (const proto of families) {
      if (!service.ports) {
        matches.add(proto);
        continue;
      }
      for (const port of portRangeMasks(service.ports.from, service.ports.to)) {
        matches.add(`${proto},tp_dst=${formatPortMatch(port)}`);
      }
    }
  }
  return [...matches];
}
