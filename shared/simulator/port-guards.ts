import { isCookieOfKind, TABLES } from '../compiler/pipeline';
import type { Flow } from '../compiler/flow';
import { guardedPortsOf, sortedPorts, type PortGuardLoss } from '../compiler/port-guard-loss';
import type { SimFlow } from './flow-model';
import { parseFlowText } from './flow-parser';
import type { HostFlowTables } from './path';
import type { FlowTables } from './simulate';
import { digestOf, rememberDigest } from './table-digest';

/** Each host's tables without their port flows, once per tables object: comparisons see one object for one host's tables. */
const honest = new WeakMap<FlowTables, FlowTables>();

/**
 * The tables as analyses of traffic between workloads read them: without the flows that match
 * the port a packet came in by. Only a spoof guard's flows do (compiler/port-guard.ts), and the
 * compiler writes them so that what a workload sends from its own address meets exactly what it
 * would meet without them, while a packet from the uplink, or from a port no guard names, never
 * matches them. The verdict engine, the matrix, the impact and the replay ask about packets sent
 * from their own addresses and know no ports, so they read these tables; a trace of one packet
 * (simulatePath) keeps the guard and tells the first switch the sender's port.
 */
export function withoutPortGuards(tables: HostFlowTables): HostFlowTables {
  let changed = false;
  const out = new Map<string, FlowTables>();
  for (const [host, byTable] of tables) {
    const kept = withoutGuardOf(byTable);
    changed ||= kept !== byTable;
    out.set(host, kept);
  }
  return changed ? out : tables;
}

function withoutGuardOf(byTable: FlowTables): FlowTables {
  const known = honest.get(byTable);
  if (known) return known;
  let kept: FlowTables = byTable;
  for (const [table, flows] of byTable) {
    if (!flows.some(matchesPort)) continue;
    const copy = kept === byTable ? new Map(byTable) : (kept as Map<number, readonly SimFlow[]>);
    const left = flows.filter((f) => !matchesPort(f));
    copy.set(table, left);
    carryDigest(flows, left);
    kept = copy;
  }
  if (kept !== byTable) carryDigest(byTable, kept);
  honest.set(byTable, kept);
  return kept;
}

function matchesPort(flow: SimFlow): boolean {
  return flow.match.inPort !== undefined;
}

/** Tables alike before leave alike tables: their digest, marked so it never equals a table's with the guard. */
function carryDigest(from: FlowTables | readonly SimFlow[], to: FlowTables | readonly SimFlow[]): void {
  const digest = digestOf(from);
  if (digest !== undefined) rememberDigest(to, `${digest} without port guards`);
}

/** The switch ports a spoof guard binds among these flows: `in_port` of each flow under the port-guard cookie. Sorted, each once. */
function guardedPortsAmong(flows: Iterable<SimFlow>): string[] {
  const ports = new Set<string>();
  for (const flow of flows) if (flow.match.inPort !== undefined && isCookieOfKind(flow.cookie, 'port-guard')) ports.add(flow.match.inPort);
  return sortedPorts(ports);
}

/** The switch ports a host's spoof guard binds in these tables (table 0's). Sorted. */
export function guardedPortsIn(byTable: FlowTables | undefined): string[] {
  return guardedPortsAmong(byTable?.get(TABLES.classify.id) ?? []);
}

/** The switch ports a spoof guard binds in flows dumped from a switch (`ovs-ofctl dump-flows`, with or without `--names`). Sorted. */
export function guardedPortsInDump(lines: readonly string[]): string[] {
  return guardedPortsAmong(parseFlowText(lines.join('\n')).flows);
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

/**
 * Per host (of `hosts`, in order), the ports guarded in `before` that `after` leaves unguarded:
 * what the analyses above cannot see, since they leave guards out. Hosts that lose none are
 * left out. Deterministic.
 */
export function portGuardsLostBetween(before: HostFlowTables, after: HostFlowTables, hosts: readonly string[]): PortGuardLoss[] {
  return hosts.flatMap((host) => {
    const kept = new Set(guardedPortsIn(after.get(host)));
    const ports = guardedPortsIn(before.get(host)).filter((p) => !kept.has(p));
    return ports.length === 0 ? [] : [{ host, ports }];
  });
}
