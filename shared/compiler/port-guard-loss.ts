import type { Flow } from './flow';
import { isCookieOfKind } from './pipeline';

/** One host's switch ports whose spoof guard a deploy would take away. */
export interface PortGuardLoss {
  host: string;
  /** Sorted, each once. */
  ports: string[];
}

/** The ports a compiled host table's spoof guard binds (compiler/port-guard.ts). Sorted, each once. Pure. */
export function guardedPortsOf(flows: readonly Flow[]): string[] {
  const ports = new Set<string>();
  for (const flow of flows) {
    if (!isCookieOfKind(flow.cookie, 'port-guard')) continue;
    const port = /(?:^|,)in_port=([^,]+)/.exec(flow.match)?.[1];
    if (port !== undefined) ports.add(port);
  }
  return sortedPorts(ports);
}

/** `veth1 and veth2`, `veth1, veth2 and veth3`: ports for a sentence. */
export function portList(ports: readonly string[]): string {
  return ports.length <= 1 ? (ports[0] ?? '') : `${ports.slice(0, -1).join(', ')} and ${ports.at(-1)!}`;
}

/** Port names in code-unit order, as every list of guarded ports is given. */
export function sortedPorts(ports: ReadonlySet<string>): string[] {
  return [...ports].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
