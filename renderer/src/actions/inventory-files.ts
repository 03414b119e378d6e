import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useInventoryStore } from '../stores/inventory-store';
import { useModalStore } from '../stores/modal-store';
import { staticFilePath, staticSourceId } from '../model/source-ids';

/** Asks for a static inventory file (YAML or CSV: VMs, servers) and opens it beside the other sources. */
export async function openInventoryFile(): Promise<void> {
  const { info } = useAppStore.getState();
  let path: string | null;
  if (info?.nativeDialogs) {
    const response = await request('dialog:open', { title: 'Open inventory', extensions: ['yaml', 'yml', 'csv'] });
    path = response.ok ? response.value : null;
  } else {
    const files = useInventoryStore.getState().open.flatMap((o) => staticFilePath(o.sourceId) ?? []);
    path = await useModalStore.getState().askPath({
      title: 'Open inventory file (YAML or CSV)',
      label: 'Path of the inventory file (YAML or CSV: VMs, servers) on the machine running Microseg',
      placeholder: '/home/me/inventory/servers.yaml',
      confirmLabel: 'Open',
      defaultPath: files.at(-1) ?? '',
      shortcuts: useAppStore.getState().examples.map((e) => ({ name: e.name, description: e.description, path: e.inventoryPath })),
    });
  }
  const trimmed = path?.trim() ?? '';
  if (trimmed !== '') await useInventoryStore.getState().openSource(staticSourceId(trimmed));
}
