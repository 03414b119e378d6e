import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { usePolicyTextStore } from '../stores/policy-text-store';

/**
 * Asks before unsaved changes, the YAML view's unapplied text, or both are thrown away for
 * `action` ("open another policy"): one question that names all of it. True when they may be.
 */
export async function mayDiscard(action: string): Promise<boolean> {
  const unsaved = usePolicyStore.getState().dirty;
  const yamlEdits = usePolicyTextStore.getState().draft !== null;
  if (!unsaved && !yamlEdits) return true;
  return useModalStore.getState().confirmDiscard({ action, unsaved, yamlEdits });
}
