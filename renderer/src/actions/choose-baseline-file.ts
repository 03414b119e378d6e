import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';

/** Asks for a saved policy version to compare the drawing with: a native dialog, or a path in browser mode. */
export async function chooseBaselineFile(): Promise<string | null> {
  const { info } = useAppStore.getState();
  if (info?.nativeDialogs) {
    const response = await request('dialog:open', { title: 'Compare with policy file', extensions: ['yaml', 'yml'] });
    return response.ok ? response.value : null;
  }
  const answer = await useModalStore.getState().askPath({
    title: 'Compare with policy file',
    confirmLabel: 'Compare',
    defaultPath: usePolicyStore.getState().path ?? '',
    shortcuts: useAppStore.getState().examples,
  });
  const trimmed = answer?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
