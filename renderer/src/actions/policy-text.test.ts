import { emptyPolicy, type Policy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import { beforeEach, describe, expect, it } from 'vitest';
import { withGroupAdded, withGroupMoved } from '../model/policy-edits';
import { redoEdit, renamesSinceFile, undoEdit, usePolicyStore } from '../stores/policy-store';
import { applyPolicyText } from './policy-text';

// A group renamed in the YAML view: its notes follow it through the Apply's undo and redo, as a
// rename in the inspector's do.

const shop: Policy = {
  ...emptyPolicy('shop'),
  groups: [
    { name: 'web', selector: { labels: 'tier=web' }, position: { x: 80.4, y: 120 } },
    { name: 'app', selector: { labels: 'tier=app' }, position: { x: 400, y: 120 } },
  ],
  edges: [{ id: 'web-to-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }], action: 'allow' }],
};
const note = '# Public entry: reviewed by J. Doe (SEC-41)';
const file = serializePolicy(shop).replace('  - name: web\n', `  ${note}\n  - name: web\n`);
const state = (): ReturnType<typeof usePolicyStore.getState> => usePolicyStore.getState();
/** The drawing as Save writes it now. */
const saveText = (): string => serializePolicy(state().policy, state().fileText ?? undefined, renamesSinceFile(state()));
/** The text of the YAML view, renamed by hand: the group's name, and the ends of the edges that name it. */
const renamedBy = (text: string, from: string, to: string): string =>
  text.replace(new RegExp(`(- name|from|to): ${from}\\n`, 'g'), `$1: ${to}\n`);
const noted = (name: string): RegExp => new RegExp(`${note.replace(/[.()]/g, '\\$&')}\\n {2}- name: ${name}\\n`);

describe('a group renamed in the YAML view', () => {
  beforeEach(() => state().replace(shop, '/tmp/shop.yaml', false, file));

  it('keeps its notes when the Apply is undone and redone, and the edges follow', () => {
    expect(applyPolicyText(renamedBy(saveText(), 'web', 'front')).policy).not.toBeNull();
    expect(saveText()).toMatch(noted('front'));

    undoEdit();
    expect(state().policy.edges[0]).toMatchObject({ from: 'web', to: 'app' });
    expect(saveText()).toMatch(noted('web'));
    redoEdit();
    expect(saveText()).toMatch(noted('front'));
  });

  it('does not give its notes to a new group that takes the name once the Apply is undone', () => {
    applyPolicyText(renamedBy(saveText(), 'web', 'front'));
    undoEdit();
    state().edit((p) => withGroupAdded(p, { name: 'front', selector: { labels: 'tier=front' } }));
    expect(saveText()).not.toMatch(noted('front'));
    expect(saveText()).toMatch(noted('web'));
  });

  it('keeps its notes back to the name it had before a rename in the inspector and one in the YAML view', () => {
    const web = state().policy.groups[0]!;
    state().replaceGroup('web', { ...web, name: 'www' });
    applyPolicyText(renamedBy(saveText(), 'www', 'front'));
    undoEdit();
    undoEdit();
    expect(state().policy.groups[0]?.name).toBe('web');
    expect(saveText()).toMatch(noted('web'));
  });

  it('keeps its notes through edits on the canvas and a save after the Apply, all undone', () => {
    applyPolicyText(renamedBy(saveText(), 'web', 'front'));
    state().edit((p) => withGroupMoved(p, 'front', { x: 300, y: 300 }));
    state().markSaved('/tmp/shop.yaml', { ...state().policy, revision: 1 }, saveText(), state().renames);
    undoEdit();
    undoEdit();
    expect(state().policy.groups[0]).toMatchObject({ name: 'web', position: { x: 80.4, y: 120 } });
    expect(saveText()).toMatch(noted('web'));
  });

  it('keeps its place on the canvas, which the text gives rounded', () => {
    applyPolicyText(renamedBy(saveText(), 'web', 'front'));
    expect(state().policy.groups[0]).toMatchObject({ name: 'front', position: { x: 80.4, y: 120 } });
  });

  it('is followed when find-and-replace renamed the edges’ ids too', () => {
    applyPolicyText(renamedBy(saveText(), 'web', 'front').replace('id: web-to-app', 'id: front-to-app'));
    expect(state().policy.edges[0]).toMatchObject({ id: 'front-to-app', from: 'front' });
    undoEdit();
    expect(saveText()).toMatch(noted('web'));
  });
});

describe('an edge given another id in the YAML view', () => {
  const edgeNote = '# Checkout calls the API: approved in CHG-1207';
  const fileWithEdgeNote = file.replace('  - id: web-to-app\n', `  ${edgeNote}\n  - id: web-to-app\n`);
  const edgeNoted = (id: string): RegExp => new RegExp(`${edgeNote}\\n {2}- id: ${id}\\n`);

  beforeEach(() => state().replace(shop, '/tmp/shop.yaml', false, fileWithEdgeNote));

  it('keeps its notes when the Apply is undone and redone', () => {
    applyPolicyText(saveText().replace('id: web-to-app', 'id: checkout'));
    expect(state().policy.edges[0]?.id).toBe('checkout');
    expect(saveText()).toMatch(edgeNoted('checkout'));

    undoEdit();
    expect(state().policy.edges[0]?.id).toBe('web-to-app');
    expect(saveText()).toMatch(edgeNoted('web-to-app'));
    redoEdit();
    expect(saveText()).toMatch(edgeNoted('checkout'));
  });

  it('keeps its notes through a save after the Apply, then undone', () => {
    applyPolicyText(saveText().replace('id: web-to-app', 'id: checkout'));
    state().markSaved('/tmp/shop.yaml', { ...state().policy, revision: 1 }, saveText(), state().renames);
    undoEdit();
    expect(saveText()).toMatch(edgeNoted('web-to-app'));
  });

  it('keeps its notes with the group renamed in the same Apply, both undone', () => {
    applyPolicyText(renamedBy(saveText(), 'web', 'front').replace('id: web-to-app', 'id: front-to-app'));
    undoEdit();
    expect(saveText()).toMatch(edgeNoted('web-to-app'));
    expect(saveText()).toMatch(noted('web'));
  });

  it('does not give its notes to a new edge that takes the new id once the Apply is undone', () => {
    applyPolicyText(saveText().replace('id: web-to-app', 'id: checkout'));
    undoEdit();
    state().edit((p) => ({ ...p, edges: [...p.edges, { ...p.edges[0]!, id: 'checkout', action: 'deny' }] }));
    expect(saveText()).not.toMatch(edgeNoted('checkout'));
    expect(saveText()).toMatch(edgeNoted('web-to-app'));
  });
});
