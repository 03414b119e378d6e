import { emptyPolicy, type Policy } from '@shared/policy/model';
import { NO_RENAMES, renamesBetween } from '@shared/policy/renames';
import { serializePolicy } from '@shared/policy/policy-file';
import { beforeEach, describe, expect, it } from 'vitest';
import { withEdgeAdded, withEdgeRemoved, withEdgeReplaced, withGroupAdded, withGroupMoved, withGroupRemoved, withGroupReplaced } from '../model/policy-edits';
import { endStep, redoEdit, renamesSinceFile, undoEdit, usePolicyStore } from './policy-store';

// Undo and redo of the drawing: what one step is, and what survives a step back.

const start: Policy = { ...emptyPolicy('t'), groups: [{ name: 'web', selector: { labels: 'tier=web' }, position: { x: 0, y: 0 } }] };
const state = (): ReturnType<typeof usePolicyStore.getState> => usePolicyStore.getState();
const canUndo = (): boolean => usePolicyStore.temporal.getState().pastStates.length > 0;
const canRedo = (): boolean => usePolicyStore.temporal.getState().futureStates.length > 0;

describe('policy history', () => {
  beforeEach(() => state().replace(start, '/tmp/t.yaml'));

  it('opening a file starts with nothing to undo', () => {
    expect(canUndo()).toBe(false);
    expect(canRedo()).toBe(false);
  });

  it('undoes and redoes one edit, and a new edit drops what was undone', () => {
    state().edit((p) => withGroupAdded(p, { name: 'app', selector: { labels: 'tier=app' } }));
    expect(state().policy.groups).toHaveLength(2);

    undoEdit();
    expect(state().policy.groups.map((g) => g.name)).toEqual(['web']);
    expect(canRedo()).toBe(true);

    redoEdit();
    expect(state().policy.groups.map((g) => g.name)).toEqual(['web', 'app']);

    undoEdit();
    state().edit((p) => withGroupAdded(p, { name: 'db', selector: { labels: 'tier=db' } }));
    expect(canRedo()).toBe(false);
  });

  it('a drag is one step, however many positions it passes through', () => {
    for (let x = 1; x <= 30; x++) state().edit((p) => withGroupMoved(p, 'web', { x, y: 0 }), 'move:web');
    endStep();
    state().edit((p) => withGroupMoved(p, 'web', { x: 99, y: 0 }), 'move:web');

    undoEdit();
    expect(state().policy.groups[0]?.position).toEqual({ x: 30, y: 0 });
    undoEdit();
    expect(state().policy.groups[0]?.position).toEqual({ x: 0, y: 0 });
    expect(canUndo()).toBe(false);
  });

  it('an edit that changes nothing is no step and does not end the open one', () => {
    state().edit((p) => withGroupMoved(p, 'web', { x: 5, y: 0 }), 'move:web');
    state().edit((p) => p);
    state().edit((p) => withGroupMoved(p, 'web', { x: 9, y: 0 }), 'move:web');
    undoEdit();
    expect(state().policy.groups[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('saving is no step, and undo keeps the revision the file is at', () => {
    state().edit((p) => withGroupAdded(p, { name: 'app', selector: { labels: 'tier=app' } }));
    state().markSaved('/tmp/t.yaml', { ...state().policy, revision: 7 }, 'saved text', []);
    expect(state().dirty).toBe(false);

    undoEdit();
    expect(state().policy.groups).toHaveLength(1);
    expect(state().policy.revision).toBe(7);
    expect(state().dirty).toBe(true);
    expect(canUndo()).toBe(false);
  });

  it('undo and redo back to the drawing the file holds leave nothing unsaved', () => {
    state().edit((p) => withGroupAdded(p, { name: 'app', selector: { labels: 'tier=app' } }));
    undoEdit();
    expect(state().dirty).toBe(false);
    redoEdit();
    expect(state().dirty).toBe(true);

    state().markSaved('/tmp/t.yaml', { ...state().policy, revision: 3 }, 'saved text', []);
    undoEdit();
    expect(state().dirty).toBe(true);
    redoEdit();
    expect(state().dirty).toBe(false);
  });

  it('a drawing in no file yet stays unsaved through undo', () => {
    state().replace(start, null, true);
    state().edit((p) => withGroupMoved(p, 'web', { x: 30, y: 0 }));
    undoEdit();
    expect(state().dirty).toBe(true);
  });

  it('an edit made while the save was being written stays unsaved', () => {
    const saved = { ...state().policy, revision: 8 };
    state().edit((p) => withGroupMoved(p, 'web', { x: 30, y: 0 }));
    state().markSaved('/tmp/t.yaml', saved, 'saved text', []);
    expect(state().dirty).toBe(true);
    expect(state().policy.revision).toBe(8);
    expect(state().policy.groups[0]?.position).toEqual({ x: 30, y: 0 });
  });

  it('a rewrite that changes only comments keeps the drawing and its history, and leaves the comments to save', () => {
    state().markSaved('/tmp/t.yaml', { ...state().policy, revision: 2 }, '# saved\n', []);
    const drawing = state().policy;
    state().rewrite({ ...drawing }, '# a note added in the YAML view\n');
    expect(state().policy).toBe(drawing);
    expect(state().fileText).toBe('# a note added in the YAML view\n');
    expect(state().dirty).toBe(true);
    expect(usePolicyStore.temporal.getState().pastStates).toHaveLength(0);

    // An edit and its undo bring the drawing back, not the comments: still unsaved.
    state().edit((p) => withGroupMoved(p, 'web', { x: 30, y: 0 }));
    undoEdit();
    expect(state().dirty).toBe(true);
  });

  it('a rewrite (the YAML view applied) is one step, ends the open one, and restarts open forms', () => {
    state().edit((p) => withGroupMoved(p, 'web', { x: 5, y: 0 }), 'move:web');
    const restored = state().restored;
    state().rewrite({ ...start, name: 'renamed', edges: [{ id: 'e', from: 'web', to: 'web', services: [], action: 'allow' }] }, 'applied text');
    expect(state().restored).toBe(restored + 1);
    state().edit((p) => withGroupMoved(p, 'web', { x: 9, y: 0 }), 'move:web');

    undoEdit();
    expect(state().policy.name).toBe('renamed');
    undoEdit();
    expect(state().policy).toMatchObject({ name: 't', edges: [], groups: [{ position: { x: 5, y: 0 } }] });
  });
});

describe('removing a group with its edges', () => {
  it('is one undo step, as the canvas removes the edges and then the group', () => {
    const twoGroups = withGroupAdded(start, { name: 'app', selector: { labels: 'tier=app' } });
    state().replace(withEdgeAdded(twoGroups, { id: 'e', from: 'web', to: 'app', services: [], action: 'allow' }), null);

    state().edit((p) => withEdgeRemoved(p, 'e'), 'remove');
    state().edit((p) => withGroupRemoved(p, 'app'), 'remove');
    endStep();

    undoEdit();
    expect(state().policy.groups.map((g) => g.name)).toEqual(['web', 'app']);
    expect(state().policy.edges.map((e) => e.id)).toEqual(['e']);
    expect(usePolicyStore.temporal.getState().pastStates).toHaveLength(0);
  });
});

describe('an Apply in the inspector with nothing changed', () => {
  const shop: Policy = {
    ...start,
    edges: [{ id: 'self', from: 'web', to: 'web', services: [{ protocol: 'tcp', ports: { from: 22, to: 22 } }], action: 'deny' }],
  };

  beforeEach(() => state().replace(shop, '/tmp/shop.yaml'));

  // The forms build new objects from their fields, equal to what the drawing holds.
  it('is no undo step and leaves nothing unsaved, for a group and for an edge', () => {
    const web = state().policy.groups[0]!;
    state().replaceGroup('web', { ...web, selector: { ...web.selector }, description: undefined });
    const edge = state().policy.edges[0]!;
    state().edit((p) => withEdgeReplaced(p, 'self', { ...edge, services: edge.services.map((s) => ({ ...s })) }));

    expect(canUndo()).toBe(false);
    expect(state().dirty).toBe(false);
    expect(state().policy).toBe(shop);
  });

  it('still makes a step of a real change', () => {
    const web = state().policy.groups[0]!;
    state().replaceGroup('web', { ...web, isolated: true });
    expect(canUndo()).toBe(true);
    expect(state().dirty).toBe(true);
  });
});

describe('renaming a group', () => {
  const shop: Policy = {
    ...withGroupAdded(start, { name: 'app', selector: { labels: 'tier=app' } }),
    edges: [{ id: 'web-to-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }], action: 'allow' }],
  };
  const text = serializePolicy(shop).replace('  - name: web\n', '  # Public entry: reviewed by J. Doe (SEC-41)\n  - name: web\n');
  const note = /# Public entry: reviewed by J\. Doe \(SEC-41\)\n {2}- name: front\n/;
  const renameWeb = (to: string): void => {
    const web = state().policy.groups.find((g) => g.name === 'web')!;
    state().replaceGroup('web', { ...web, name: to });
  };
  /** The drawing as Save writes it now. */
  const saveText = (): string => serializePolicy(state().policy, state().fileText ?? undefined, renamesSinceFile(state()));

  beforeEach(() => state().replace(shop, '/tmp/shop.yaml', false, text));

  it('keeps the group’s notes in the file the next save writes, and its edges follow the new name', () => {
    renameWeb('front');
    expect(state().policy.edges.find((e) => e.id === 'web-to-app')).toMatchObject({ from: 'front', to: 'app' });
    expect(saveText()).toMatch(note);
  });

  it('is one undo step, and undo takes the rename back with the drawing', () => {
    const before = saveText();
    renameWeb('front');
    undoEdit();
    expect(state().policy.groups[0]?.name).toBe('web');
    expect(usePolicyStore.temporal.getState().pastStates).toHaveLength(0);
    expect(saveText()).toBe(before);
    redoEdit();
    expect(saveText()).toMatch(note);
  });

  it('keeps the notes through a save, an undo after it, and a rename back', () => {
    renameWeb('front');
    const saved = saveText();
    state().markSaved('/tmp/shop.yaml', { ...state().policy, revision: 2 }, saved, state().renames);
    expect(renamesSinceFile(state())).toEqual(NO_RENAMES);

    undoEdit();
    expect(saveText()).toContain('# Public entry: reviewed by J. Doe (SEC-41)\n  - name: web\n');
    redoEdit();
    expect(saveText()).toBe(saved.replace('revision: 0', 'revision: 2'));
  });

  it('follows a rename made while the save was being written from the saved text on', () => {
    const [saved, savedRenames] = [{ ...state().policy, revision: 1 }, state().renames];
    renameWeb('front');
    state().markSaved('/tmp/shop.yaml', saved, text, savedRenames);
    expect(saveText()).toMatch(note);
  });

  it('records the rename a rewrite says its text made, as one step with it: undo takes both back', () => {
    const renamed = withGroupReplaced(shop, 'web', { ...shop.groups[0]!, name: 'front' });
    const toFront = { kind: 'group' as const, from: 'web', to: 'front' };
    state().rewrite(renamed, serializePolicy(renamed, text, renamesBetween([], [toFront])), [toFront]);
    expect(state().renames).toEqual([toFront]);
    expect(renamesSinceFile(state())).toEqual(NO_RENAMES);

    undoEdit();
    expect(state().renames).toEqual([]);
    expect(saveText()).toContain('# Public entry: reviewed by J. Doe (SEC-41)\n  - name: web\n');
    redoEdit();
    expect(saveText()).toMatch(note);
  });

  it('counts renames from the text a rewrite applied, and from none after a file is opened', () => {
    renameWeb('front');
    const applied = saveText();
    state().rewrite({ ...state().policy }, applied);
    expect(renamesSinceFile(state())).toEqual(NO_RENAMES);
    expect(saveText()).toBe(applied);
    state().rewrite({ ...state().policy, name: 'applied' }, applied);
    expect(saveText()).toMatch(note);

    state().replace(start, null);
    expect(state().renames).toEqual([]);
    expect(state().fileRenames).toEqual([]);
  });
});
