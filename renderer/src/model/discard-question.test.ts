import { describe, expect, it } from 'vitest';
import { discardQuestion } from './discard-question';

describe('the question before work is thrown away', () => {
  it('names both the unsaved changes and the YAML edits when both would be lost', () => {
    const q = discardQuestion({ action: 'open another policy', unsaved: true, yamlEdits: true }, '/home/me/shop.yaml');
    expect(q.title).toBe('Discard unsaved changes and YAML edits?');
    expect(q.message).toContain('/home/me/shop.yaml has changes that are not saved');
    expect(q.message).toContain('the YAML view has edits that are not applied');
    expect(q.message).toContain('To open another policy, both will be lost.');
  });

  it('names only what there is', () => {
    const edits = discardQuestion({ action: 'start a new policy', unsaved: false, yamlEdits: true }, null);
    expect(edits.title).toBe('Discard the YAML edits?');
    expect(edits.message).not.toContain('not saved');
    const changes = discardQuestion({ action: 'start a new policy', unsaved: true, yamlEdits: false }, null);
    expect(changes.title).toBe('Discard unsaved changes?');
    expect(changes.message).toBe('This new policy has changes that are not saved. To start a new policy, they will be lost.');
  });
});
