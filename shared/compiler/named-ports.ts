import type { Workload } from '../inventory/model';
import type { Service } from '../policy/model';
import { formatService } from '../policy/services';
import type { Endpoints } from './rules';

/** One part of an edge once named ports are resolved: destinations sharing the same numeric services. */
export interface ResolvedPart {
  destinations: Endpoints;
  services: Service[];
}

/**
 * Resolves named ports (`tcp/http`) on each destination workload. Numeric services hold for
 * every destination and make one part; a named port holds, with the number a destination
 * declares under that name and protocol (inside the service's filter, if any), only for the
 * destinations that declare it, and never for bare addresses of a block. Destinations that
 * resolve to the same numbers share a part, so flows grow with distinct numbers, not pods.
 * Deterministic: parts come in the order of their services' text.
 */
export function resolveNamedPorts(services: readonly Service[], destinations: Endpoints): ResolvedPart[] {
  const numeric = services.filter((s) => s.portName === undefined);
  const named = services.filter((s) => s.portName !== undefined);
  const parts: ResolvedPart[] = numeric.length > 0 ? [{ destinations, services: numeric }] : [];
  if (named.length === 0) return parts;

  const byNumbers = new Map<string, ResolvedPart>();
  const place = (workload: Workload): void => {
    const resolved = uniqueServices(named.flatMap((s) => resolvePort(s, workload)));
    if (resolved.length === 0) return;
    const key = resolved.map(formatService).join(',');
    let part = byNumbers.get(key);
    if (!part) byNumbers.set(key, (part = { destinations: { workloads: [], cidrs: [], covered: [] }, services: resolved }));
    part.destinations.workloads.push(workload);
  };
  // A part has no blocks, so a workload covered by one is matched by its own (block) addresses.
  for (const w of [...destinations.workloads, ...destinations.covered]) place(w);

  const sorted = [...byNumbers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [...parts, ...sorted.map(([, part]) => part)];
}

/**
 * The numeric services a named port stands for on one workload: none when it declares no such
 * port; each number, should a source ever declare one name twice for a protocol.
 */
function resolvePort(service: Service, workload: Workload): Service[] {
  const declared = (workload.ports ?? []).filter((p) => p.name === service.portName && p.protocol === service.protocol);
  const inRange = declared.filter((p) => !service.ports || (p.port >= service.ports.from && p.port <= service.ports.to));
  return inRange.map((p) => ({ protocol: service.protocol, ports: { from: p.port, to: p.port } }));
}

/** Sorted by text, each once: the key of a part and the services it compiles. */
function uniqueServices(services: readonly Service[]): Service[] {
  const byText = new Map(services.map((s) => [formatService(s), s]));
  return [...byText.keys()].sort().map((text) => byText.get(text)!);
}
