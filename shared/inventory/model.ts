/** Where a workload was learned from, so the UI can say so and refreshes replace the right ones. */
export interface WorkloadOrigin {
  kind: 'docker' | 'kubernetes' | 'static';
  /** Docker context name, Kubernetes context name or inventory file path. */
  source: string;
}

export interface WorkloadPort {
  name?: string;
  port: number;
  protocol: 'tcp' | 'udp' | 'sctp';
}

/** A container, VM or server that policy applies to. */
export interface Workload {
  /** Unique within one inventory: `origin-source/name`. */
  id: string;
  name: string;
  /** Enforcement point (Open vSwitch host) the workload is attached to. */
  host: string;
  addresses: string[];
  /** Ethernet address, needed only to redirect connections to this workload (a honeypot). */
  mac?: string;
  labels: Record<string, string>;
  image?: string;
  namespace?: string;
  /** Labels of the workload's namespace, for selectors that pick namespaces as NetworkPolicy does. */
  namespaceLabels?: Record<string, string>;
  /** Ports the workload's containers declare; a named port lets a policy say `tcp/http`. */
  ports?: WorkloadPort[];
  /** The controller that owns a pod (Deployment, StatefulSet, DaemonSet, Job). */
  owner?: { kind: string; name: string };
  /** Docker Compose service, when the container belongs to a compose project. */
  composeService?: string;
  state?: string;
  origin: WorkloadOrigin;
}

/** A point-in-time picture of the workloads a policy is compiled against. */
export interface Inventory {
  workloads: Workload[];
  /** ISO time the inventory was read. */
  readAt: string;
}

/** `namespace/name` for a workload in a namespace, else its name: unique in an inventory, and what `trace` accepts. */
export function qualifiedName(workload: { name: string; namespace?: string }): string {
  return workload.namespace ? `${workload.namespace}/${workload.name}` : workload.name;
}
