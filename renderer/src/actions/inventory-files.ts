import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useInventoryStore } from '../stores/inventory-store';
import { useModalStore } from '../stores/modal-store';
import { staticFilePath, staticSourceId } from '../model/source-ids';
import { askUntilTaken, isUnreadablePath, type Refusal } from './path-refusals';

/**
 * Asks for a static inventory file (YAML or CSV: VMs, servers) and opens it beside the other
 * sources. In the browser's dialog a path that cannot be read (a typo, a folder) is asked for
 * again with the path as typed and the reason, as Open… does, rather than opening a failed
 * source that has to be closed and the path typed again.
 */
export async function openInventoryFile(): Promise<void> {
  if (useAppStore.getState().info?.nativeDialogs) {
    const response = await request('dialog:open', { title: 'Open inventory', extensions: ['yaml', 'yml', 'csv'] });
    if (response.ok && response.value) await useInventoryStore.getState().openSource(staticSourceId(response.value));
    return;
  }
  await askUntilTaken(askInventoryPath, async (path) => {
    const refused = await useInventoryStore.getState().openSource(staticSourceId(path), { refuses: isUnreadablePath });
    return refused ? { path, problem: refused.message } : undefined;
  });
}

async function askInventoryPath(refused: Refusal | undefined): Promise<string | null> {
  const files = useInventoryStore.getState().open.flatMap((o) => staticFilePath(o.sourceId) ?? []);
  const path = await useModalStore.getState().askPath({
    title: 'Open inventory file (YAML or CSV)',
    label: 'Path of the inventory file (YAML or CSV: VMs, servers) on the machine running Microseg',
    placeholder: '/home/me/inventory/servers.yaml',
    confirmLabel: 'Open',
    defaultPath: refused?.path ?? files.at(-1) ?? '',
    ...(refused ? { problem: refused.problem } : {}),
    shortcuts: useAppStore.getState().examples.map((e) => ({ name: e.name, description: e.description, path: e.inventoryPath })),
  });
  const trimmed = path?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
