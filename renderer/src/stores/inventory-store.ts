import type { ApiErrorData, ApiResponse, ClusterReach, HostContainerPorts, InventoryChange, InventoryLoad, InventorySourceInfo, LiveState, SourceHost } from '@shared/api/contract';
import { withContainerPorts } from '@shared/inventory/container-ports';
import type { Diagnostic } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { create } from 'zustand';
import { request } from '../api/request';
import { StopIds, wasStopped } from '../api/stop-ids';
import { without } from '../model/records';
import { listedUnder } from '../model/same-cluster';
import { staticFilePath } from '../model/source-ids';

/** Why a source gave no workloads, in words the panel can show as they are. */
export interface SourceFailure {
  code: string;
  message: string;
  detail?: string;
  /** What we tried to contact, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  kind: InventorySourceInfo['kind'];
}

/** One source the user has open: its own workloads, hosts and state. */
export interface OpenSource {
  sourceId: string;
  status: 'loading' | 'loaded' | 'failed';
  inventory: Inventory | null;
  /** Hosts the source knows apart from workloads: Kubernetes nodes. */
  hosts: SourceHost[];
  diagnostics: Diagnostic[];
  /** For a watched source (Kubernetes): live or stale, and since when. */
  live: LiveState | null;
  /** For a Kubernetes source: the cluster it reads (see listedUnder); null for any other, or until read. */
  cluster: ClusterReach | null;
  failure: SourceFailure | null;
  /** Bumped on each load; an answer to an older load is dropped. */
  load: number;
}

/** Where a host's switch ports stand in this window. */
export interface PortRead {
  /** `stopped`: the user stopped the read before the switch answered. */
  status: 'reading' | 'read' | 'failed' | 'stopped';
  /** Read again because the host's Docker inventory was, not by the button. */
  automatic: boolean;
  /** ISO time of the answer; absent while reading. */
  at?: string;
  /** Why the read failed, or that it was stopped. */
  message?: string;
}

interface InventoryState {
  sources: InventorySourceInfo[];
  open: OpenSource[];
  /** The workloads of every open source together: what groups and compiles use. Null while none has loaded. */
  inventory: Inventory | null;
  loadSources: () => Promise<void>;
  /**
   * Opens a source beside the others, or reads it again when it is open already. A failure to
   * open a new one that `refuses` names is given back instead, and the source is not listed:
   * a path typed in a dialog (a typo, a folder) is asked for again there, not shown as a failed source.
   */
  openSource: (sourceId: string, options?: { refuses?: (error: ApiErrorData) => boolean }) => Promise<ApiErrorData | undefined>;
  closeSource: (sourceId: string) => Promise<void>;
  /** Lists the sources again and reads every open one again. */
  refresh: () => Promise<void>;
  /** A watched source's new picture; ignored when that source is no longer open. */
  applyChange: (change: InventoryChange) => void;
  /**
   * Per host, the bridge ports its switch says lead to Docker containers (read over SSH when the
   * user asks, in the Hosts panel): the merged inventory gives each such container its
   * `switchPort`, so its host's spoof guard binds it.
   */
  containerPorts: ReadonlyMap<string, HostContainerPorts>;
  portReads: Readonly<Record<string, PortRead>>;
  /**
   * Hosts whose switch ports the user read: read again each time a Docker source with containers
   * on them is read (opened, refreshed, reopened after a reload), so ports never outlive the
   * inventory they were read with. Only names are kept (actions/remembered-port-hosts.ts), never
   * ports: a container made again sits behind a new port.
   */
  portHosts: readonly string[];
  /** `automatic`: read again with the host's Docker inventory; a failure then unbinds the host's ports and is shown on its row. */
  readContainerPorts: (host: string, automatic?: boolean) => Promise<void>;
  /** Stops the read of a host's switch ports that runs: its SSH connection ends at once, and the row says it was stopped. */
  stopPortRead: (host: string) => void;
  /**
   * Stops reading a host's switch ports: it is forgotten (here and after a reload), a read of it
   * still running is dropped, and its containers lose the ports read from it, so the next compile
   * gives them no spoof guard.
   */
  forgetPortHost: (host: string) => void;
}

let loads = 0;
/** Per host, the latest read of its switch ports; an answer to an older one is dropped. */
const portLoads = new Map<string, number>();
/** Per host, the stopId of its read of switch ports that runs. */
const portStops = new StopIds<string>();

export const useInventoryStore = create<InventoryState>()((set, get) => {
  /** Replaces one open source and recomputes the merged inventory. */
  const update = (sourceId: string, change: (source: OpenSource) => OpenSource): void =>
    set((s) => {
      const open = s.open.map((o) => (o.sourceId === sourceId ? change(o) : o));
      return { open, inventory: mergeInventories(open, s.containerPorts) };
    });

  /** The remembered hosts (portHosts) a source's Docker containers run on: their ports are read again with it. */
  const portHostsOf = (inventory: Inventory): string[] =>
    [...new Set(inventory.workloads.filter((w) => w.origin.kind === 'docker').map((w) => w.host))].filter((h) => get().portHosts.includes(h)).sort();

  return {
    sources: [],
    open: [],
    inventory: null,
    containerPorts: new Map(),
    portReads: {},
    portHosts: [],

    loadSources: async () => {
      const response = await request('inventory:sources', undefined);
      if (response.ok) set((s) => ({ sources: withOpenFiles(response.value, s.open) }));
    },

    openSource: async (sourceId, { refuses } = {}) => {
      // A source that may be refused is read before it is listed, so a refused one never shows.
      const first = refuses && !get().open.some((o) => o.sourceId === sourceId) ? await loadSource(sourceId) : undefined;
      if (first && !first.ok && refuses?.(first.error)) return first.error;
      const load = ++loads;
      const loading: OpenSource = { sourceId, status: 'loading', inventory: null, hosts: [], diagnostics: [], live: null, cluster: null, failure: null, load };
      set((s) => {
        const known = s.open.some((o) => o.sourceId === sourceId);
        const open = known ? s.open.map((o) => (o.sourceId === sourceId ? { ...o, status: 'loading' as const, load } : o)) : [...s.open, loading];
        return { open, sources: withOpenFiles(s.sources, open) };
      });
      const source = get().sources.find((s) => s.id === sourceId);
      const response = first ?? (await loadSource(sourceId));
      // A Docker source read anew drops, in the same step, the ports read before for its hosts
      // (a container made again sits behind a new port), and reads them again from each switch.
      const again = response.ok && get().open.some((o) => o.sourceId === sourceId && o.load === load) ? portHostsOf(response.value.inventory) : [];
      if (again.length > 0) {
        set((s) => ({ containerPorts: withoutPortsOf(s.containerPorts, again) }));
      }
      update(sourceId, (o) => {
        if (o.load !== load) return o;
        if (response.ok) {
          const { inventory, diagnostics, hosts = [], live = null, cluster = null } = response.value;
          return { ...o, status: 'loaded', inventory, diagnostics, hosts, live, cluster, failure: null };
        }
        const kind = source?.kind ?? (sourceId.split(':')[0] as InventorySourceInfo['kind']);
        const failure = { ...response.error, endpoint: source?.endpoint ?? sourceId.replace(/^[a-z]+:/, ''), kind };
        // Read again and failed (a file caught half-written, an engine restarting): it keeps the
        // workloads it gave, as opening a broken policy file changes nothing, else the next compile
        // and deploy would leave them out. The panel says so; closing the source drops them.
        if (o.inventory !== null) return { ...o, status: 'failed', live: null, failure };
        return { ...o, status: 'failed', inventory: null, diagnostics: [], hosts: [], live: null, cluster: null, failure };
      });
      for (const host of again) void get().readContainerPorts(host, true);
      return undefined;
    },

    closeSource: async (sourceId) => {
      set((s) => {
        const open = s.open.filter((o) => o.sourceId !== sourceId);
        return { open, inventory: mergeInventories(open, s.containerPorts) };
      });
      await request('inventory:close', { sourceId });
    },

    refresh: async () => {
      await get().loadSources();
      await Promise.all(get().open.map((o) => get().openSource(o.sourceId)));
    },

    readContainerPorts: async (host, automatic = false) => {
      const load = (portLoads.get(host) ?? 0) + 1;
      portLoads.set(host, load);
      // A read asked anew leaves the one before it nothing to wait for.
      get().stopPortRead(host);
      const stopId = portStops.start(host);
      set((s) => ({ portReads: { ...s.portReads, [host]: { status: 'reading', automatic } } }));
      // A read the user asked for fails as a notice; one made for them, or one stopped, says why on the host's row.
      const response = await request('hosts:containerPorts', { host, stopId }, { handles: (e) => automatic || wasStopped(e) });
      portStops.end(host, stopId);
      if (portLoads.get(host) !== load) return;
      const at = new Date().toISOString();
      if (!response.ok) {
        set((s) => {
          const status = wasStopped(response.error) ? ('stopped' as const) : ('failed' as const);
          const portReads = { ...s.portReads, [host]: { status, automatic, at, message: response.error.message } };
          // Ports of an earlier inventory are never kept for a new one (see openSource).
          if (!automatic) return { portReads };
          const containerPorts = withoutPortsOf(s.containerPorts, [host]);
          return { portReads, containerPorts, inventory: mergeInventories(s.open, containerPorts) };
        });
        return;
      }
      set((s) => {
        const containerPorts = new Map(s.containerPorts).set(host, response.value);
        const portHosts = s.portHosts.includes(host) ? s.portHosts : [...s.portHosts, host].sort();
        return { containerPorts, portHosts, portReads: { ...s.portReads, [host]: { status: 'read', automatic, at } }, inventory: mergeInventories(s.open, containerPorts) };
      });
    },

    stopPortRead: (host) => {
      portStops.stop(host);
    },

    forgetPortHost: (host) => {
      get().stopPortRead(host);
      portLoads.set(host, (portLoads.get(host) ?? 0) + 1);
      set((s) => {
        const containerPorts = withoutPortsOf(s.containerPorts, [host]);
        return { portHosts: s.portHosts.filter((h) => h !== host), containerPorts, portReads: without(s.portReads, host), inventory: mergeInventories(s.open, containerPorts) };
      });
    },

    applyChange: (change) => {
      if (!get().open.some((o) => o.sourceId === change.sourceId && o.status !== 'loading')) return;
      const { sourceId, inventory, hosts, ...live } = change;
      update(sourceId, (o) => ({ ...o, status: 'loaded', inventory, hosts, live, failure: null }));
    },
  };
});

/**
 * The sources' workloads side by side; each keeps its origin, so the list can say where it came
 * from. Docker containers get the switch ports read from their hosts.
 */
/** The ports read from every host but `hosts`. */
function withoutPortsOf(ports: ReadonlyMap<string, HostContainerPorts>, hosts: readonly string[]): Map<string, HostContainerPorts> {
  const kept = new Map(ports);
  for (const host of hosts) kept.delete(host);
  return kept;
}

function mergeInventories(open: readonly OpenSource[], containerPorts: ReadonlyMap<string, HostContainerPorts>): Inventory | null {
  // A cluster another open source reads already is listed once, under that source.
  const under = listedUnder(open);
  const loaded = open.filter((o) => o.inventory !== null && !under.has(o.sourceId)).map((o) => o.inventory!);
  if (loaded.length === 0) return null;
  const merged = loaded.length === 1 ? loaded[0]! : { workloads: loaded.flatMap((i) => i.workloads), readAt: loaded.map((i) => i.readAt).sort().at(-1)! };
  if (containerPorts.size === 0) return merged;
  return { ...merged, workloads: withContainerPorts(merged.workloads, new Map([...containerPorts].map(([host, read]) => [host, read.ports]))) };
}

/** Static files opened by path (not listed by the service) still need a name in the panel. */
/** Reads a source; the panel says plainly why one failed, and a notice on top would say it twice. */
function loadSource(sourceId: string): Promise<ApiResponse<InventoryLoad>> {
  return request('inventory:load', { sourceId }, { handles: () => true });
}

function withOpenFiles(sources: InventorySourceInfo[], open: readonly OpenSource[]): InventorySourceInfo[] {
  const extra = open.flatMap((o): InventorySourceInfo[] => {
    const path = staticFilePath(o.sourceId);
    if (path === null || sources.some((s) => s.id === o.sourceId)) return [];
    return [{ id: o.sourceId, kind: 'static', name: `File: ${path.split(/[\\/]/).pop() ?? path}`, endpoint: path, current: false }];
  });
  return [...sources, ...extra];
}
