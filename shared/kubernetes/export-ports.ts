import type { Workload } from '../inventory/model';
import type { Service } from '../policy/model';
import { formatService } from '../policy/services';
import type { PortObject } from './network-policy';

// A design's service as a NetworkPolicy port. NetworkPolicy names a port or a number range,
// never both, so a named port filtered by number (`tcp/postgres@5432`, what importing an
// ingress rule on 5432 together with an egress rule on `postgres` gives) is said as the named
// port only where the inventory shows the filter changes nothing.

export type PortAnswer =
  | { ok: true; port: PortObject; note?: string }
  | { ok: false; problem: string };

/**
 * The port of `service` on an edge to `destination`; `members` are the destination group's
 * workloads in the inventory, undefined without one. Never widens silently: a named port with
 * a number filter is refused unless every member declaring the name has it within the filter.
 */
export function portOf(service: Service, destination: string, members: readonly Workload[] | undefined): PortAnswer {
  const text = formatService(service);
  if (service.protocol === 'icmp' || service.protocol === 'any') {
    return { ok: false, problem: `service ${text} cannot be said in NetworkPolicy (TCP, UDP and SCTP ports only); remove it from the edge, or allow "any"` };
  }
  const protocol = service.protocol.toUpperCase();
  if (service.portName === undefined) {
    if (!service.ports) return { ok: true, port: { protocol } };
    return { ok: true, port: { protocol, port: service.ports.from, ...(service.ports.to > service.ports.from ? { endPort: service.ports.to } : {}) } };
  }
  if (!service.ports) return { ok: true, port: { protocol, port: service.portName } };

  const range = service.ports.from === service.ports.to ? `${service.ports.from}` : `${service.ports.from}-${service.ports.to}`;
  const instead = `change the service to ${service.protocol}/${service.portName} or ${service.protocol}/${range}`;
  // The number in the policy is not enough: the number as the port opens it on pods where it is
  // not the named port, the name opens it on pods that declare it at another number, and the name
  // on one side of the edge with the number on the other meets the rules of other edges. Only
  // the pods tell whether the name alone is exact.
  if (!members) {
    return {
      ok: false,
      problem:
        `service ${text} is the named port ${service.portName} only where it is ${range}, which NetworkPolicy cannot say without knowing the pods: ` +
        `export with the inventory that lists the pods of "${destination}" and their named ports (on the command line --inventory FILE, such as the one the design was imported with), ` +
        `to check that every pod declaring ${service.portName} has it at ${range}; or ${instead}`,
    };
  }
  const outside = members.flatMap((w) =>
    (w.ports ?? []).filter((p) => p.name === service.portName && p.protocol === service.protocol && (p.port < service.ports!.from || p.port > service.ports!.to)).map((p) => `${w.name}: ${p.port}`),
  );
  if (outside.length > 0) return { ok: false, problem: `service ${text}: pods of "${destination}" declare ${service.portName} outside ${range} (${outside.join(', ')}), and NetworkPolicy cannot filter a named port by number; ${instead}` };
  const note = `service ${text} is exported as the named port ${service.portName}: every pod of "${destination}" in the inventory that declares it has it in ${range}; a pod declaring it elsewhere would be allowed too`;
  return { ok: true, port: { protocol, port: service.portName }, note };
}
