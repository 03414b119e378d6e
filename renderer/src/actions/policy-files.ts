import type { ExampleProject } from '@shared/api/contract';
import { hasErrors } from '@shared/diagnostics';
import { emptyPolicy, type Policy } from '@shared/policy/model';
import { parsePolicyFile, serializePolicy } from '@shared/policy/policy-file';
import { validatePolicy } from '@shared/policy/validate';
import { request } from '../api/request';
import { useAppStore } from '../stores/app-store';
import { useCanvasStore } from '../stores/canvas-store';
import { useCompileStore } from '../stores/compile-store';
import { useInventoryStore } from '../stores/inventory-store';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';

/*
 * New, Open, Save and Save As. Each asks before throwing away unsaved work, and a file that
 * does not parse changes nothing: its diagnostics are listed and the drawing stays.
 */

const EXTENSIONS = ['yaml', 'yml'];

export async function newPolicy(): Promise<void> {
  if (!(await mayDiscard('start a new policy'))) return;
  adopt(emptyPolicy(), null);
}

export async function openPolicy(): Promise<void> {
  if (!(await mayDiscard('open another policy'))) return;
  const path = await choosePath('open');
  if (path) await readPolicy(path);
}

/** Opens a bundled example: its policy, and its inventory file as the inventory source. */
export async function openExample(example: ExampleProject): Promise<void> {
  if (!(await mayDiscard(`open the example "${example.name}"`))) return;
  if (await readPolicy(example.policyPath)) {
    await useInventoryStore.getState().loadSource(`static:${example.inventoryPath}`);
  }
}

export async function savePolicy(): Promise<void> {
  const { path } = usePolicyStore.getState();
  // A bundled example is a starting point: saving it asks where, instead of changing it in place.
  if (path === null || isExample(path)) return savePolicyAs();
  await writePolicy(path);
}

export async function savePolicyAs(): Promise<void> {
  const path = await choosePath('save');
  if (path) await writePolicy(path);
}

function isExample(path: string): boolean {
  return useAppStore.getState().examples.some((e) => e.policyPath === path);
}

async function mayDiscard(action: string): Promise<boolean> {
  if (!usePolicyStore.getState().dirty) return true;
  return useModalStore.getState().confirmDiscard(action);
}

/** Reads and parses a policy file; true when it replaced the drawing. */
async function readPolicy(path: string): Promise<boolean> {
  const response = await request('file:read', { path });
  if (!response.ok) return false;
  const parsed = parsePolicyFile(response.value.text, response.value.path);
  if (!parsed.policy) {
    usePolicyStore.getState().setFileProblem({
      title: `${response.value.path} was not opened; the drawing is unchanged`,
      diagnostics: parsed.diagnostics,
    });
    return false;
  }
  adopt(parsed.policy, response.value.path);
  return true;
}

async function writePolicy(path: string): Promise<void> {
  const { policy } = usePolicyStore.getState();
  // A file with errors could not be opened again, so refuse to write one.
  const diagnostics = validatePolicy(policy);
  if (hasErrors(diagnostics)) {
    usePolicyStore.getState().setFileProblem({
      title: 'Not saved: fix these errors first (they are marked on the canvas too)',
      diagnostics: diagnostics.filter((d) => d.severity === 'error'),
    });
    return;
  }
  const saved: Policy = { ...policy, revision: policy.revision + 1 };
  const response = await request('file:write', { path, text: serializePolicy(saved) });
  if (response.ok) usePolicyStore.getState().markSaved(response.value.path, saved.revision);
}

function adopt(policy: Policy, path: string | null): void {
  usePolicyStore.getState().replace(policy, path);
  useCanvasStore.getState().select(null);
  useCanvasStore.getState().openForm(null);
  // Tables of another policy would be misleading next to this one.
  useCompileStore.getState().reset();
}

async function choosePath(mode: 'open' | 'save'): Promise<string | null> {
  const { info, examples } = useAppStore.getState();
  const { path, policy } = usePolicyStore.getState();
  const suggested = path === null ? `${policy.name}.yaml` : isExample(path) ? path.replace(/(\.ya?ml)?$/, '-copy$1') : path;

  if (info?.nativeDialogs) {
    const response =
      mode === 'open'
        ? await request('dialog:open', { title: 'Open policy', extensions: EXTENSIONS })
        : await request('dialog:save', { title: 'Save policy as', defaultPath: suggested, extensions: EXTENSIONS });
    return response.ok ? response.value : null;
  }

  const answer = await useModalStore.getState().askPath({
    title: mode === 'open' ? 'Open policy file' : 'Save policy as',
    confirmLabel: mode === 'open' ? 'Open' : 'Save',
    defaultPath: mode === 'open' ? (path ?? '') : suggested,
    shortcuts: mode === 'open' ? examples : [],
  });
  const trimmed = answer?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
