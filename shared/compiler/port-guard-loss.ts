import type { Flow } from './flow';
import { isCookieOfKind } from './pipeline';

/** One host's switch ports whose spoof guard a deploy would take away. */
export interface PortGuardLoss {
  host: string;
  /** Sorted, each once. */
  ports: string[];
}

/**
 * The ports a spoof guard binds in flows dumped from a switch (`ovs-ofctl dump-flows`, with or
 * without `--names`, which quotes names): `in_port` of each flow under the port-guard cookie.
 * Sorted, each once. Lines that are no flow are passed over. Pure.
 */
export function guardedPortsInDump(lines: readonly string[]): string[] {
  const ports = new Set<string>();
  for (const line of lines) {
    const head = line.split(/(?:^|[\s,])actions=/)[0] ?? '';
    const fields = new Map(
      head
        .split(/[\s,]+/)
        .filter((t) => t.includes('='))
        .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] as const),
    );
    const port = fields.get('in_port');
    if (port === undefined || !isCookieOfKind(fields.get('cookie') ?? '', 'port-guard')) continue;
    ports.add(/^"(.*)"$/.exec(port)?.[1] ?? port);
  }
  return sorted(ports);
}

/** The ports a compiled host table's spoof guard binds (compiler/port-guard.ts). Sorted, each once. Pure. */
export function guardedPortsOf(flows: readonly Flow[]): string[] {
  const ports = new Set<string>();
  for (const flow of flows) {
    if (!isCookieOfKind(flow.cookie, 'port-guard')) continue;
    const port = /(?:^|,)in_port=([^,]+)/.exec(flow.match)?.[1];
    if (port !== undefined) ports.add(port);
  }
  return sorted(ports);
}

/**
 * The ports a switch guards now (its dumped flows) that the table about to replace them leaves
 * unguarded: after such a deploy the workload behind each may send from any address. Ports the
 * new table guards with other addresses are not lost. Sorted; deterministic and pure.
 */
export function portGuardsLost(dumped: readonly string[], next: readonly Flow[]): string[] {
  const kept = new Set(guardedPortsOf(next));
  return guardedPortsInDump(dumped).filter((port) => !kept.has(port));
}

/**
 * The ports a switch guards now (its dumped flows) that earlier dumped flows, put back by a
 * rollback, leave unguarded: a backup taken before the guard was deployed. Sorted; deterministic and pure.
 */
export function portGuardsLostToDump(dumped: readonly string[], restored: readonly string[]): string[] {
  const kept = new Set(guardedPortsInDump(restored));
  return guardedPortsInDump(dumped).filter((port) => !kept.has(port));
}

/** `veth1 and veth2`, `veth1, veth2 and veth3`: ports for a sentence. */
export function portList(ports: readonly string[]): string {
  return ports.length <= 1 ? (ports[0] ?? '') : `${ports.slice(0, -1).join(', ')} and ${ports.at(-1)!}`;
}

function sorted(ports: ReadonlySet<string>): string[] {
  return [...ports].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
