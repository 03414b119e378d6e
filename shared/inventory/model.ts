/** Where a workload was learned from, so the UI can say so and refreshes replace the right ones. */
export interface WorkloadOrigin {
  kind: 'docker' | 'static';
  /** Docker context name or inventory file path. */
  source: string;
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
