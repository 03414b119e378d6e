import type { ApiErrorData, ExampleProject } from '@shared/api/contract';
import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useModalStore, type PathShortcut } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { askUntilTaken, isUnreadablePath, type Refusal } from './path-refusals';

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

/**
 * Runs an analysis of a file; with `refuses`, an error it names is given back instead of shown,
 * and the analysis leaves the panel as it was.
 */
export type FileAnalysis = (path: string, refuses?: (error: ApiErrorData) => boolean) => Promise<ApiErrorData | undefined>;

/**
 * Asks for the file and analyses it. In the browser's dialog a path that cannot be read (a typo,
 * a folder) is asked for again with the path as typed and the reason, as Open does, rather than
 * the dialog closing on a failure shown elsewhere and the path having to be typed again.
 */
export async function analyseChosenFile(what: AnalysisFileRequest, analyse: FileAnalysis): Promise<void> {
  if (useAppStore.getState().info?.nativeDialogs) {
    const response = await request('dialog:open', { title: what.title, extensions: what.extensions });
    if (response.ok && response.value) await analyse(response.value);
    return;
  }
  await askUntilTaken(
    (refused) => askAnalysisPath(what, refused),
    async (path) => {
      const refused = await analyse(path, isUnreadablePath);
      return refused ? { path, problem: refused.message } : undefined;
    },
  );
}

/** The path typed, starting at the path last given (the one refused, if it was), else beside the open policy. */
async function askAnalysisPath(what: AnalysisFileRequest, refused: Refusal | undefined): Promise<string | null> {
  const answer = await useModalStore.getState().askPath({
    title: what.title,
    label: what.label,
    placeholder: what.placeholder,
    confirmLabel: what.confirmLabel,
    defaultPath: lastGiven.get(what) ?? (what === BASELINE_FILE ? (usePolicyStore.getState().path ?? '') : ''),
    ...(refused ? { problem: refused.problem } : {}),
    shortcuts: what.examples(useAppStore.getState().examples),
  });
  const trimmed = answer?.trim() ?? '';
  if (trimmed === '') return null;
  lastGiven.set(what, trimmed);
  return trimmed;
}
