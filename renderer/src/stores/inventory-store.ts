import type { InventorySourceInfo } from '@shared/api/contract';
import type { Diagnostic } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { create } from 'zustand';
import { request } from '../api/request';

/** Why the chosen source gave no workloads, in words the panel can show as they are. */
export interface SourceFailure {
  code: string;
  message: string;
  detail?: string;
  /** What we tried to contact, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  kind: InventorySourceInfo['kind'];
}

interface InventoryState {
  sources: InventorySourceInfo[];
  sourceId: string | null;
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  inventory: Inventory | null;
  diagnostics: Diagnostic[];
  failure: SourceFailure | null;
  /** Lists the sources; keeps the chosen one if it still exists, else the `current` one. */
  loadSources: () => Promise<void>;
  loadSource: (sourceId: string) => Promise<void>;
  refresh: () => Promise<void>;
}

// Each load gets a number; an answer that arrives after a newer request is dropped.
let latestLoad = 0;

export const useInventoryStore = create<InventoryState>()((set, get) => ({
  sources: [],
  sourceId: null,
  status: 'idle',
  inventory: null,
  diagnostics: [],
  failure: null,

  loadSources: async () => {
    const response = await request('inventory:sources', undefined);
    if (!response.ok) return;
    const sources = response.value;
    const chosen = get().sourceId;
    const keep = chosen !== null && (sources.some((s) => s.id === chosen) || chosen.startsWith('static:'));
    const sourceId = keep ? chosen : (sources.find((s) => s.current) ?? sources[0])?.id ?? null;
    set({ sources: withSource(sources, sourceId), sourceId });
  },

  loadSource: async (sourceId) => {
    const load = ++latestLoad;
    set((s) => ({ sourceId, sources: withSource(s.sources, sourceId), status: 'loading', failure: null }));
    const source = get().sources.find((s) => s.id === sourceId);
    const response = await request(
      'inventory:load',
      { sourceId },
      // The panel says plainly why a source failed; a notice on top would say it twice.
      { handles: () => true },
    );
    if (load !== latestLoad) return;
    if (response.ok) {
      set({ status: 'loaded', inventory: response.value.inventory, diagnostics: response.value.diagnostics });
      return;
    }
    set({
      status: 'failed',
      inventory: null,
      diagnostics: [],
      failure: {
        ...response.error,
        endpoint: source?.endpoint ?? sourceId.replace(/^(docker|static):/, ''),
        kind: source?.kind ?? (sourceId.startsWith('docker:') ? 'docker' : 'static'),
      },
    });
  },

  refresh: async () => {
    await get().loadSources();
    const { sourceId } = get();
    if (sourceId) await get().loadSource(sourceId);
  },
}));

/** Makes sure the select can show a source that is not in the listing, e.g. an example's file. */
function withSource(sources: InventorySourceInfo[], sourceId: string | null): InventorySourceInfo[] {
  if (sourceId === null || sources.some((s) => s.id === sourceId) || !sourceId.startsWith('static:')) return sources;
  const path = sourceId.slice('static:'.length);
  const name = path.split(/[\\/]/).pop() ?? path;
  return [...sources, { id: sourceId, kind: 'static', name, endpoint: path, current: false }];
}
