import { emptyPolicy } from '@shared/policy/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { useModalStore } from '../stores/modal-store';
import { usePolicyStore } from '../stores/policy-store';
import { usePolicyTextStore } from '../stores/policy-text-store';
import { mayDiscard } from './discard';

// New, Open and Import ask once before throwing work away, however much of it there is.

describe('mayDiscard', () => {
  beforeEach(() => {
    usePolicyStore.getState().replace(emptyPolicy('shop'), '/tmp/shop.yaml');
    usePolicyTextStore.getState().discard();
    useModalStore.getState().close();
  });

  it('asks nothing when nothing would be lost', async () => {
    expect(await mayDiscard('open another policy')).toBe(true);
    expect(useModalStore.getState().modal).toBeNull();
  });

  it('asks one question for unsaved changes and YAML edits together, and one yes is enough', async () => {
    usePolicyStore.getState().edit((p) => ({ ...p, name: 'shop2' }));
    usePolicyTextStore.getState().type('kind: Policy # edited', 'kind: Policy');
    const answer = mayDiscard('open another policy');

    const asked = useModalStore.getState().modal;
    expect(asked).toMatchObject({ kind: 'discard', action: 'open another policy', unsaved: true, yamlEdits: true });
    if (asked?.kind === 'discard') asked.resolve(true);
    expect(await answer).toBe(true);
    expect(useModalStore.getState().modal).toBe(asked);
  });

  it('keeps everything when that one question is declined', async () => {
    usePolicyStore.getState().edit((p) => ({ ...p, name: 'shop2' }));
    usePolicyTextStore.getState().type('kind: Policy # edited', 'kind: Policy');
    const answer = mayDiscard('start a new policy');
    useModalStore.getState().close();
    expect(await answer).toBe(false);
  });
});
