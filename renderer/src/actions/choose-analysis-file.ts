import type { ExampleProject } from '@shared/api/contract';
import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useModalStore, type PathShortcut } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';

/** A file an analysis reads: a saved policy version to compare with, or a connection log to replay. */
export interface AnalysisFileRequest {
  title: string;
  /** What to type in browser mode. */
  label: string;
  placeholder: string;
  extensions: string[];
  confirmLabel: string;
  /** The bundled examples' files of this kind. */
  examples: (examples: ExampleProject[]) => PathShortcut[];
}

export const BASELINE_FILE: AnalysisFileRequest = {
  title: 'Compare with policy file',
  label: 'Path of a saved version of the policy (YAML) on the machine running Microseg',
  placeholder: '/home/me/policies/shop.yaml',
  extensions: ['yaml', 'yml'],
  confirmLabel: 'Compare',
  examples: (examples) => examples.map((e) => ({ name: e.name, description: e.description, path: e.policyPath })),
};

export const CONNECTION_LOG: AnalysisFileRequest = {
  title: 'Replay connection log',
  label: 'Path of the connection log (CSV: from,to,protocol,port[,count]) on the machine running Microseg',
  placeholder: '/home/me/logs/connections.csv',
  extensions: ['csv'],
  confirmLabel: 'Replay',
  examples: (examples) =>
    examples.flatMap((e) => (e.connectionLogPath ? [{ name: e.name, description: `Connections logged in ${e.description}`, path: e.connectionLogPath }] : [])),
};

/** Per kind of file, the path last given, which the next ask starts from: a comparison is often run again against the same version. */
const lastGiven = new Map<AnalysisFileRequest, string>();

/** Asks for the file: a native dialog, or a path typed in browser mode (starting at the path last given, else beside the open policy). */
export async function chooseAnalysisFile(what: AnalysisFileRequest): Promise<string | null> {
  const { info } = useAppStore.getState();
  if (info?.nativeDialogs) {
    const response = await request('dialog:open', { title: what.title, extensions: what.extensions });
    return response.ok ? response.value : null;
  }
  const answer = await useModalStore.getState().askPath({
    title: what.title,
    label: what.label,
    placeholder: what.placeholder,
    confirmLabel: what.confirmLabel,
    defaultPath: lastGiven.get(what) ?? (what === BASELINE_FILE ? (usePolicyStore.getState().path ?? '') : ''),
    shortcuts: what.examples(useAppStore.getState().examples),
  });
  const trimmed = answer?.trim() ?? '';
  if (trimmed === '') return null;
  lastGiven.set(what, trimmed);
  return trimmed;
}
