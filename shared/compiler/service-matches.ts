import type { Service } from '../policy/model';
import { narrowedIcmpCodes } from '../policy/services';
import { formatPortMatch, portRangeMasks } from './port-masks';

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
      // Open vSwitch takes no mask on icmp_type: a flow per type, read in the flow's family;
      // every type is the protocol alone, not 256 flows.
      if (service.protocol === 'icmp' && service.ports.from === 0 && service.ports.to === 255) {
        matches.add(proto);
        continue;
      }
      if (service.protocol === 'icmp') {
        // icmp_code takes no mask either: a flow per code of the one type.
        const codes = narrowedIcmpCodes(service);
        for (let type = service.ports.from; type <= service.ports.to; type++) {
          if (!codes) matches.add(`${proto},icmp_type=${type}`);
          else for (let code = codes.from; code <= codes.to; code++) matches.add(`${proto},icmp_type=${type},icmp_code=${code}`);
        }
        continue;
      }
      for (const port of portRangeMasks(service.ports.from, service.ports.to)) {
        matches.add(`${proto},tp_dst=${formatPortMatch(port)}`);
      }
    }
  }
  return [...matches];
}
