import type { ApiErrorData, ExampleProject } from '@shared/api/contract';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { request } from '../api/request';
import { withByteOrderMarkOf } from '../model/byte-order-mark';
import { overwriteQuestion } from '../model/overwrite-question';
import { policyFileText, printedPolicy } from '../model/policy-file-text';
import { useAppStore } from '../stores/app-store';
import { useCanvasStore } from '../stores/canvas-store';
import { useCompileStore } from '../stores/compile-store';
import { useInventoryStore } from '../stores/inventory-store';
import { useModalStore, type ConfirmRequest } from '../stores/modal-store';
import { renamesSinceFile, usePolicyStore } from '../stores/policy-store';
import { usePolicyTextStore } from '../stores/policy-text-store';
import { mayDiscard } from './discard';
import { askUntilTaken, READ_REFUSALS, WRITE_REFUSALS, type Refusal } from './path-refusals';
import { placeHeldGroups } from './move-groups';
import { hasPolicyTextDraft, maySaveWithoutPolicyTextDraft } from './policy-text';
import { staticFilePath, staticSourceId } from '../model/source-ids';

/*
 * New, Open, Save and Save As. Each asks before throwing away unsaved work, and a file that
 * does not parse changes nothing: its diagnostics are listed and the drawing stays.
 */

const EXTENSIONS = ['yaml', 'yml'];

export async function newPolicy(): Promise<void> {
  if (!(await mayDiscard('start a new policy'))) return;
  adopt(emptyPolicy(), null);
  rememberOpenFile(null);
}

/**
 * Asks which file, then opens it. In the browser's dialog a path that cannot be read (a typo, a
 * folder) is asked for again with the path as typed and the reason, as Save as does, rather than
 * closing the dialog on a banner and leaving the path to be typed again.
 */
export async function openPolicy(): Promise<void> {
  if (!(await mayDiscard('open another policy'))) return;
  const inDialog = (error: ApiErrorData): boolean => !useAppStore.getState().info?.nativeDialogs && READ_REFUSALS.has(error.code);
  await askUntilTaken(
    (refused) => choosePath('open', refused),
    async (path) => {
      const response = await request('file:read', { path }, { handles: inDialog });
      if (response.ok) adoptPolicyText(response.value);
      return !response.ok && inDialog(response.error) ? { path, problem: response.error.message } : undefined;
    },
  );
}

/** Opens a bundled example: its policy, and its inventory file as the inventory source. */
export async function openExample(example: ExampleProject): Promise<void> {
  if (!(await mayDiscard(`open the example "${example.name}"`))) return;
  if (await readPolicy(example.policyPath)) {
    await useInventoryStore.getState().openSource(staticSourceId(example.inventoryPath));
  }
}

export async function savePolicy(): Promise<void> {
  if (!(await maySaveWithoutPolicyTextDraft())) return;
  const { path } = usePolicyStore.getState();
  // A bundled example is a starting point: saving it asks where, instead of changing it in place.
  if (path === null || isExample(path)) return chooseAndWrite();
  await writePolicy(path);
}

export async function savePolicyAs(): Promise<void> {
  if (await maySaveWithoutPolicyTextDraft()) await chooseAndWrite();
}

/**
 * Asks where, then writes. A path the service refuses (a folder, a missing folder, a file on the
 * way) is asked for again with the path as typed and the reason, not left to a banner: under the
 * path in the browser's dialog; in a message before the native one opens again at that path.
 */
async function chooseAndWrite(): Promise<void> {
  await askUntilTaken(
    (refused) => choosePath('save', refused),
    (path) => writePolicy(path, { refusalInDialog: true }),
  );
}

function isExample(path: string): boolean {
  return useAppStore.getState().examples.some((e) => e.policyPath === path);
}

/** Reads and parses a policy file; true when it replaced the drawing. */
async function readPolicy(path: string): Promise<boolean> {
  const response = await request('file:read', { path });
  return response.ok && adoptPolicyText(response.value);
}

/** Makes a file's text the drawing; false, with its diagnostics listed, when it does not parse. */
function adoptPolicyText({ path, text }: { path: string; text: string }): boolean {
  const parsed = parsePolicyFile(text, path);
  if (!parsed.policy) {
    usePolicyStore.getState().setFileProblem({ title: `${path} was not opened; the drawing is unchanged`, diagnostics: parsed.diagnostics });
    return false;
  }
  diskTexts.set(path, text);
  adopt(parsed.policy, path, false, text);
  rememberOpenFile(path);
  return true;
}

/** Makes a policy that is in no file yet (an import) the drawing; it counts as unsaved until saved. */
export function openUnsavedPolicy(policy: Policy): void {
  adopt(policy, null, true);
  rememberOpenFile(null);
}

/** Saves the drawing to `path`; with `refusalInDialog`, a path the service refuses is returned, not made a notice. */
async function writePolicy(path: string, { refusalInDialog = false } = {}): Promise<Refusal | undefined> {
  // A group still held in a drag is saved where the canvas shows it, not where it was picked up.
  placeHeldGroups();
  const state = usePolicyStore.getState();
  const { policy, fileText, renames } = state;
  const renamed = renamesSinceFile(state);
  const saved: Policy = { ...policy, revision: policy.revision + 1 };
  // Checked and printed in a worker: at 5,000 groups printing alone had frozen the page 0.7 s.
  const { errors, text } = await policyFileText(saved, fileText, renamed);
  // A file with errors could not be opened again, so refuse to write one.
  if (text === null) {
    usePolicyStore.getState().setFileProblem({ title: 'Not saved: fix these errors first (they are marked on the canvas too)', diagnostics: errors });
    return;
  }
  if (!(await mayOverwrite(path))) return;
  // The file written over keeps its byte-order mark; a new file takes that of the drawing's file.
  const written = withByteOrderMarkOf(diskTexts.get(path) ?? diskTexts.get(state.path ?? ''), text);
  const inDialog = (error: ApiErrorData): boolean => refusalInDialog && WRITE_REFUSALS.has(error.code);
  const response = await request('file:write', { path, text: written }, { handles: inDialog });
  if (!response.ok) return inDialog(response.error) ? { path, problem: response.error.message } : undefined;
  diskTexts.set(response.value.path, written);
  usePolicyStore.getState().markSaved(response.value.path, saved, text, renames);
  // Saving the drawing without a YAML draft changes only its revision: the draft is not behind it.
  // The drawing as the draft's base was printed is printed again in the worker, not on the page: with the file's comments it took 3 s at 5,000 groups.
  if (hasPolicyTextDraft()) usePolicyTextStore.getState().rebase(await printedPolicy(policy, fileText, renamed), text);
  rememberOpenFile(response.value.path);
  return undefined;
}

/** The text each file had when we last read or wrote it, to notice changes made elsewhere. */
const diskTexts = new Map<string, string>();

/**
 * Saving must not silently destroy work done outside the app: ask when the file changed on
 * disk or was deleted since we read it, when Save As would replace a file we never opened, or
 * when it would replace an inventory file open as a source.
 */
async function mayOverwrite(path: string): Promise<boolean> {
  const current = await request('file:read', { path }, { handles: () => true });
  const inventoryFiles = useInventoryStore.getState().open.flatMap((o) => staticFilePath(o.sourceId) ?? []);
  const question = overwriteQuestion(path, diskTexts.get(current.ok ? current.value.path : path), current, inventoryFiles);
  return question === null || useModalStore.getState().confirm(question);
}

const OPEN_FILE_KEY = 'microseg.openFile';

/** Remembers the open file for this tab, so a reload reopens it. */
function rememberOpenFile(path: string | null): void {
  if (path === null) sessionStorage.removeItem(OPEN_FILE_KEY);
  else sessionStorage.setItem(OPEN_FILE_KEY, path);
}

/** After a reload, opens the file this tab had open (if it still parses). */
export async function reopenRememberedFile(): Promise<void> {
  const path = sessionStorage.getItem(OPEN_FILE_KEY);
  if (path && usePolicyStore.getState().path === null) await readPolicy(path);
}

function adopt(policy: Policy, path: string | null, unsaved = false, fileText: string | null = null): void {
  usePolicyStore.getState().replace(policy, path, unsaved, fileText);
  usePolicyTextStore.getState().discard();
  useCanvasStore.getState().select(null);
  useCanvasStore.getState().openForm(null);
  // Tables of another policy would be misleading next to this one.
  useCompileStore.getState().reset();
}

async function choosePath(mode: 'open' | 'save', refused?: Refusal): Promise<string | null> {
  const { info, examples } = useAppStore.getState();
  const { path, policy } = usePolicyStore.getState();
  // New files go to the home folder, never the folder the services happen to run in, and a
  // copy of a bundled example does not land inside the app.
  const home = info?.homeDir ?? '';
  const fileName = (name: string): string => `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`;
  const suggested = path === null ? `${home}/${fileName(policy.name)}` : isExample(path) ? `${home}/${fileName(`${policy.name}-copy`)}` : path;

  if (info?.nativeDialogs) {
    // A native dialog cannot show a reason under its path: say it first, then open it at that path.
    if (refused && !(await useModalStore.getState().confirm(refusedQuestion(refused)))) return null;
    const response =
      mode === 'open'
        ? await request('dialog:open', { title: 'Open policy', extensions: EXTENSIONS })
        : await request('dialog:save', { title: 'Save policy as', defaultPath: refused?.path ?? suggested, extensions: EXTENSIONS });
    return response.ok ? response.value : null;
  }

  const answer = await useModalStore.getState().askPath({
    title: mode === 'open' ? 'Open policy file' : 'Save policy as',
    label: mode === 'open' ? 'Path of the policy file (YAML) on the machine running Microseg' : 'Full path of the policy file (YAML) to write, on the machine running Microseg',
    placeholder: `${home || '/home/me'}/policies/shop.yaml`,
    confirmLabel: mode === 'open' ? 'Open' : 'Save',
    defaultPath: refused?.path ?? (mode === 'open' ? (path ?? '') : suggested),
    ...(refused ? { problem: refused.problem } : {}),
    shortcuts: mode === 'open' ? examples.map((e) => ({ name: e.name, description: e.description, path: e.policyPath })) : [],
  });
  const trimmed = answer?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** What the desktop's Save as says of a path the service refused, before its dialog opens again there. */
function refusedQuestion({ path, problem }: Refusal): ConfirmRequest {
  return {
    title: `Not saved to ${path}`,
    message: `${problem} The save dialog opens again at this path: choose another file or folder there, or cancel it to keep the drawing unsaved.`,
    confirmLabel: 'Choose another path',
  };
}
