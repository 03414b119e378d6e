import type { HostContainerPorts, InventoryChange, InventorySourceInfo, LiveState, SourceHost } from '@shared/api/contract';
import { withContainerPorts } from '@shared/inventory/container-ports';
import type { Diagnostic } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { create } from 'zustand';
import { request } from '../api/request';

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
  failure: SourceFailure | null;
  /** Bumped on each load; an answer to an older load is dropped. */
  load: number;
}

interface InventoryState {
  sources: InventorySourceInfo[];
  open: OpenSource[];
  /** The workloads of every open source together: what groups and compiles use. Null while none has loaded. */
  inventory: Inventory | null;
  loadSources: () => Promise<void>;
  /** Opens a source beside the others, or reads it again when it is open already. */
  openSource: (sourceId: string) => Promise<void>;
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
  readContainerPorts: (host: string) => Promise<void>;
}

let loads = 0;

export const useInventoryStore = create<InventoryState>()((set, get) => {
  /** Replaces one open source and recomputes the merged inventory. */
  const update = (sourceId: string, change: (source: OpenSource) => OpenSource): void =>
    set((s) => {
      const open = s.open.map((o) => (o.sourceId === sourceId ? change(o) : o));
      return { open, inventory: mergeInventories(open, s.containerPorts) };
    });

  return {
    sources: [],
    open: [],
    inventory: null,
    containerPorts: new Map(),

    loadSources: async () => {
      const response = await request('inventory:sources', undefined);
      if (response.ok) set((s) => ({ sources: withOpenFiles(response.value, s.open) }));
    },

    openSource: async (sourceId) => {
      const load = ++loads;
      const loading: OpenSource = { sourceId, status: 'loading', inventory: null, hosts: [], diagnostics: [], live: null, failure: null, load };
      set((s) => {
        const known = s.open.some((o) => o.sourceId === sourceId);
        const open = known ? s.open.map((o) => (o.sourceId === sourceId ? { ...o, status: 'loading' as const, load } : o)) : [...s.open, loading];
        return { open, sources: withOpenFiles(s.sources, open) };
      });
      const source = get().sources.find((s) => s.id === sourceId);
      // The panel says plainly why a source failed; a notice on top would say it twice.
      const response = await request('inventory:load', { sourceId }, { handles: () => true });
      update(sourceId, (o) => {
        if (o.load !== load) return o;
        if (response.ok) {
          const { inventory, diagnostics, hosts = [], live = null } = response.value;
          return { ...o, status: 'loaded', inventory, diagnostics, hosts, live, failure: null };
        }
        const kind = source?.kind ?? (sourceId.split(':')[0] as InventorySourceInfo['kind']);
        const failure = { ...response.error, endpoint: source?.endpoint ?? sourceId.replace(/^[a-z]+:/, ''), kind };
        return { ...o, status: 'failed', inventory: null, diagnostics: [], hosts: [], live: null, failure };
      });
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

    readContainerPorts: async (host) => {
      const response = await request('hosts:containerPorts', { host });
      if (!response.ok) return;
      set((s) => {
        const containerPorts = new Map(s.containerPorts).set(host, response.value);
        return { containerPorts, inventory: mergeInventories(s.open, containerPorts) };
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
function mergeInventories(open: readonly OpenSource[], containerPorts: ReadonlyMap<string, HostContainerPorts>): Inventory | null {
  const loaded = open.filter((o) => o.inventory !== null).map((o) => o.inventory!);
  if (loaded.length === 0) return null;
  const merged = loaded.length === 1 ? loaded[0]! : { workloads: loaded.flatMap((i) => i.workloads), readAt: loaded.map((i) => i.readAt).sort().at(-1)! };
  if (containerPorts.size === 0) return merged;
  return { ...merged, workloads: withContainerPorts(merged.workloads, new Map([...containerPorts].map(([host, read]) => [host, read.ports]))) };
}

/** Static files opened by path (not listed by the service) still need a name in the panel. */
function withOpenFiles(sources: InventorySourceInfo[], open: readonly OpenSource[]): InventorySourceInfo[] {
  const extra = open
    .filter((o) => o.sourceId.startsWith('static:') && !sources.some((s) => s.id === o.sourceId))
    .map((o): InventorySourceInfo => {
      const path = o.sourceId.slice('static:'.length);
      return { id: o.sourceId, kind: 'static', name: `File: ${path.split(/[\\/]/).pop() ?? path}`, endpoint: path, current: false };
    });
  return [...sources, ...extra];
}
