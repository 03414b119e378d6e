import { opensInNewWindow } from '../model/source-choice';
import { useInventoryStore } from '../stores/inventory-store';

/*
 * The inventory sources this tab has open, kept in session storage beside the open policy file,
 * so a reload brings back the workloads the groups were drawn against.
 */

const OPEN_SOURCES_KEY = 'microseg.openSources';

/**
 * Opens, after a reload, the sources this tab had open; in a new tab, the contexts the docker
 * CLI and kubectl would use now, as each tool would, and any source that cannot be read, so that
 * it says why (see opensInNewWindow). From then on the open sources are remembered.
 */
export async function reopenSources(): Promise<void> {
  const remembered = readRemembered();
  const { sources, openSource } = useInventoryStore.getState();
  const ids = remembered ?? sources.filter(opensInNewWindow).map((s) => s.id);

  useInventoryStore.subscribe((state, before) => {
    if (state.open !== before.open) sessionStorage.setItem(OPEN_SOURCES_KEY, JSON.stringify(state.open.map((o) => o.sourceId)));
  });
  await Promise.all(ids.map((id) => openSource(id)));
}

function readRemembered(): string[] | null {
  const text = sessionStorage.getItem(OPEN_SOURCES_KEY);
  if (text === null) return null;
  try {
    const ids: unknown = JSON.parse(text);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : null;
  } catch {
    return null;
  }
}
