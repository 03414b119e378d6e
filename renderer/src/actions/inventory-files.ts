import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useInventoryStore } from '../stores/inventory-store';
import { useModalStore } from '../stores/modal-store';

/** Asks for a static inventory file (YAML or CSV: VMs, servers) and loads it as the source. */
export async function openInventoryFile(): Promise<void> {
  const { info } = useAppStore.getState();
  let path: string | null;
  if (info?.nativeDialogs) {
    const response = await request('dialog:open', { title: 'Open inventory', extensions: ['yaml', 'yml', 'csv'] });
    path = response.ok ? response.value : null;
  } else {
    const current = useInventoryStore.getState().sourceId;
    path = await useModalStore.getState().askPath({
      title: 'Open inventory file (YAML or CSV)',
      confirmLabel: 'Open',
      defaultPath: current?.startsWith('static:') ? current.slice('static:'.length) : '',
      shortcuts: [],
    });
  }
  const trimmed = path?.trim() ?? '';
  if (trimmed !== '') await useInventoryStore.getState().loadSource(`static:${trimmed}`);
}
