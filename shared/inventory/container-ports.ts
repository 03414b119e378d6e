import type { Workload } from './model';
import { switchPortProblem } from './switch-port';

/** A port of a host's bridge that Open vSwitch says leads to a container: `ovs-docker` writes `external_ids:container_id` on it. */
export interface ContainerPort {
  port: string;
  container: string;
}

/** What a host's switch says about its container ports, and what could not be used. */
export interface ContainerPortRead {
  ports: ContainerPort[];
  /** Ports with a container id whose name no flow could bind (see switchPortProblem), and containers behind more than one port. */
  skipped: string[];
}

type OvsdbMap = ['map', [string, string][]];

/**
 * Reads `ovs-vsctl --format=json --columns=name,external_ids list Interface`, kept to the ports of
 * one bridge (`list-ports`): each port whose `external_ids:container_id` names a container. A
 * container behind two ports of the bridge is left out, since one guard binds one port. Pure.
 */
export function containerPortsOf(interfaceJson: string, bridgePorts: ReadonlySet<string>): ContainerPortRead {
  const table = JSON.parse(interfaceJson) as { headings?: unknown; data?: unknown };
  if (!Array.isArray(table.data) || !Array.isArray(table.headings)) throw new Error('ovs-vsctl printed no interface table');
  const nameAt = table.headings.indexOf('name');
  const idsAt = table.headings.indexOf('external_ids');
  const byContainer = new Map<string, string[]>();
  const skipped: string[] = [];
  for (const row of table.data as unknown[][]) {
    const name = row[nameAt];
    const ids = row[idsAt] as OvsdbMap | undefined;
    if (typeof name !== 'string' || !bridgePorts.has(name) || !Array.isArray(ids) || ids[0] !== 'map') continue;
    const container = ids[1].find(([key]) => key === 'container_id')?.[1];
    if (container === undefined) continue;
    const problem = switchPortProblem(name);
    if (problem) skipped.push(`${problem} (container ${container})`);
    else byContainer.set(container, [...(byContainer.get(container) ?? []), name]);
  }
  const ports: ContainerPort[] = [];
  for (const [container, names] of byContainer) {
    if (names.length === 1) ports.push({ port: names[0]!, container });
    else skipped.push(`container ${container} sits behind ${names.length} ports (${names.join(', ')}); a guard binds one, so none is bound`);
  }
  return { ports: ports.sort((a, b) => (a.port < b.port ? -1 : a.port > b.port ? 1 : 0)), skipped };
}

/**
 * The workloads with the switch ports their hosts' switches name for them: a Docker container
 * (by name, as `ovs-docker add-port BRIDGE IFACE CONTAINER` records it) on a host whose ports
 * were read gets its port, unless its source gave one already. Others are returned as they are.
 */
export function withContainerPorts(workloads: readonly Workload[], byHost: ReadonlyMap<string, readonly ContainerPort[]>): Workload[] {
  if (byHost.size === 0) return [...workloads];
  const portOf = new Map<string, string>();
  for (const [host, ports] of byHost) for (const { port, container } of ports) portOf.set(`${host}\u0000${container}`, port);
  return workloads.map((w) => {
    if (w.origin.kind !== 'docker' || w.switchPort !== undefined) return w;
    const port = portOf.get(`${w.host}\u0000${w.name}`);
    return port === undefined ? w : { ...w, switchPort: port };
  });
}
