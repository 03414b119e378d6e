import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';

/** A file an analysis reads: a saved policy version to compare with, or a connection log to replay. */
export interface AnalysisFileRequest {
  title: string;
  extensions: string[];
  confirmLabel: string;
}

export const BASELINE_FILE: AnalysisFileRequest = { title: 'Compare with policy file', extensions: ['yaml', 'yml'], confirmLabel: 'Compare' };
export const CONNECTION_LOG: AnalysisFileRequest = { title: 'Replay connection log (CSV: from,to,protocol,port[,count])', extensions: ['csv'], confirmLabel: 'Replay' };

/** Asks for the file: a native dialog, or a path typed in browser mode (starting beside the open policy). */
export async function chooseAnalysisFile(what: AnalysisFileRequest): Promise<string | null> {
  const { info } = useAppStore.getState();
  if (info?.nativeDialogs) {
    const response = await request('dialog:open', { title: what.title, extensions: what.extensions });
    return response.ok ? response.value : null;
  }
  const answer = await useModalStore.getState().askPath({
    title: what.title,
    confirmLabel: what.confirmLabel,
    defaultPath: usePolicyStore.getState().path ?? '',
    shortcuts: useAppStore.getState().examples,
  });
  const trimmed = answer?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
