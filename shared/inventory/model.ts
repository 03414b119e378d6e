import type { SourceLocation } from '../diagnostics';

/** Where a workload was learned from, so the UI can say so and refreshes replace the right ones. */
export interface WorkloadOrigin {
  kind: 'docker' | 'kubernetes' | 'static';
  /** Docker context name, Kubernetes context name or inventory file path. */
  source: string;
  /** Static files only: where the workload's entry is written, so diagnostics about it can point there. */
  entry?: EntryPlace;
}

/** A workload's entry in a static inventory file. */
export interface EntryPlace {
  line: number;
  /** YAML only: a CSV row is its line. */
  column?: number;
  /** YAML only: the entry's path in the document (`workloads.3`); a CSV names a field by its column. */
  path?: string;
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
  /**
   * The name of the port on its host's bridge the workload is attached through (a veth, a VM's
   * tap). When known, the host drops what comes in on that port from any other source address
   * (compiler/port-guard.ts), so the workload cannot pass for another one.
   */
  switchPort?: string;
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

/**
 * The workloads `name` or `namespace/name` stands for, as traces, logs and `redirectTo` name
 * them. Only the first "/" splits: no workload name holds one (MS315), so `shop/web/x` names none
 * rather than `shop/web`. A bare name stands for the workloads of that name in any namespace,
 * unless one of them is in none: that one's qualified name is the text itself (see `byOwnName`).
 */
export function workloadsNamed(workloads: readonly Workload[], text: string): Workload[] {
  const slash = text.indexOf('/');
  const namespace = slash < 0 ? undefined : text.slice(0, slash);
  const name = slash < 0 ? text : text.slice(slash + 1);
  const named = workloads.filter((w) => w.name === name && (namespace === undefined || w.namespace === namespace));
  return namespace === undefined ? byOwnName(named) : named;
}

/**
 * Of the workloads a bare name finds, the one outside any namespace when there is exactly one:
 * `app-2` beside `shop/app-2` is how the matrix and the canvas name it (qualifiedName), and it
 * could not be named otherwise.
 */
export function byOwnName<W extends { namespace?: string }>(named: W[]): W[] {
  if (named.length < 2) return named;
  const bare = named.filter((w) => w.namespace === undefined);
  return bare.length === 1 ? bare : named;
}

/** `namespace/name` for a workload in a namespace, else its name: unique in an inventory, and what `trace` accepts. */
export function qualifiedName(workload: { name: string; namespace?: string }): string {
  return workload.namespace ? `${workload.namespace}/${workload.name}` : workload.name;
}

/**
 * Where a diagnostic about a workload, or one of its fields (`addresses.1`), points: its entry
 * in a static file, the field named as that file's diagnostics name it. A live source (Docker,
 * Kubernetes) has no file: undefined, and the message names the workload.
 */
export function workloadLocation(workload: Workload, field?: string): SourceLocation | undefined {
  const { source, entry } = workload.origin;
  if (!entry) return undefined;
  const path = entry.path !== undefined ? [entry.path, field].filter((p) => p !== undefined).join('.') : field?.split('.')[0];
  return { file: source, line: entry.line, ...(entry.column !== undefined ? { column: entry.column } : {}), ...(path !== undefined ? { path } : {}) };
}
