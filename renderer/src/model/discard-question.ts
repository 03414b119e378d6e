/** What a New, Open or Import would throw away: unsaved changes to the drawing, unapplied YAML edits, or both. */
export interface DiscardRequest {
  /** What the user asked to do, as it reads after "To": "open another policy". */
  action: string;
  unsaved: boolean;
  yamlEdits: boolean;
}

export interface DiscardQuestion {
  title: string;
  message: string;
  confirmLabel: string;
}

/**
 * The one question asked before work is thrown away, naming all of what would be lost and how
 * to keep it. `file` is the open file's path, or null for a policy in no file yet.
 */
export function discardQuestion({ action, unsaved, yamlEdits }: DiscardRequest, file: string | null): DiscardQuestion {
  const drawing = `${file ?? 'This new policy'} has changes that are not saved`;
  const text = 'the YAML view has edits that are not applied to the drawing';
  if (unsaved && yamlEdits) {
    return {
      title: 'Discard unsaved changes and YAML edits?',
      message: `${drawing}, and ${text}. To ${action}, both will be lost. To keep them, cancel, then Apply the edits in the YAML view and save.`,
      confirmLabel: 'Discard both',
    };
  }
  if (yamlEdits) {
    return {
      title: 'Discard the YAML edits?',
      message: `The YAML view has edits that are not applied to the drawing. To ${action}, they will be lost. To keep them, cancel, then Apply them in the YAML view.`,
      confirmLabel: 'Discard the edits',
    };
  }
  return { title: 'Discard unsaved changes?', message: `${drawing}. To ${action}, they will be lost.`, confirmLabel: 'Discard changes' };
}
