import { emptyPolicy, type Policy } from '@shared/policy/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCanvasStore } from '../stores/canvas-store';
import { undoEdit, usePolicyStore } from '../stores/policy-store';
import { moveGroups, placeHeldGroups } from './move-groups';

// A drag edits the drawing once, at the drop; a save in mid-drag (placeHeldGroups) must not split it.

const start: Policy = { ...emptyPolicy('t'), groups: [{ name: 'web', selector: { labels: 'tier=web' }, position: { x: 0, y: 0 } }] };
const state = (): ReturnType<typeof usePolicyStore.getState> => usePolicyStore.getState();
const placeOfWeb = (): unknown => state().policy.groups[0]?.position;
const undoSteps = (): number => usePolicyStore.temporal.getState().pastStates.length;
const hold = (x: number): void => moveGroups([{ name: 'web', position: { x, y: 0 }, held: true }]);
const drop = (x: number): void => moveGroups([{ name: 'web', position: { x, y: 0 }, held: false }]);

describe('moving groups', () => {
  beforeEach(() => {
    useCanvasStore.getState().hold(new Map());
    state().replace(start, '/tmp/t.yaml');
  });

  it('a held group changes the drawing only when let go, as one undo step', () => {
    for (let x = 1; x <= 30; x++) hold(x);
    expect(useCanvasStore.getState().held.get('web')).toEqual({ x: 30, y: 0 });
    expect(placeOfWeb()).toEqual({ x: 0, y: 0 });
    expect(state().dirty).toBe(false);

    drop(30);
    expect(useCanvasStore.getState().held.size).toBe(0);
    expect(placeOfWeb()).toEqual({ x: 30, y: 0 });
    expect(undoSteps()).toBe(1);
  });

  it('placing the held groups (a save in mid-drag) gives the drawing their places now, in the same undo step as the drop', () => {
    hold(10);
    placeHeldGroups();
    expect(placeOfWeb()).toEqual({ x: 10, y: 0 });
    state().markSaved('/tmp/t.yaml', { ...state().policy, revision: 1 }, 'saved text', []);

    hold(25);
    drop(25);
    expect(placeOfWeb()).toEqual({ x: 25, y: 0 });
    expect(state().dirty).toBe(true);

    undoEdit();
    expect(placeOfWeb()).toEqual({ x: 0, y: 0 });
    expect(undoSteps()).toBe(0);
  });

  it('a drop where the save in mid-drag put the group leaves nothing unsaved', () => {
    hold(10);
    placeHeldGroups();
    state().markSaved('/tmp/t.yaml', { ...state().policy, revision: 1 }, 'saved text', []);

    drop(10);
    expect(state().dirty).toBe(false);
    expect(undoSteps()).toBe(1);
  });

  it('the next drag after a drop is a step of its own, and a move never held (arrow keys) is one too', () => {
    hold(10);
    placeHeldGroups();
    drop(10);
    hold(20);
    drop(20);
    drop(21);
    expect(undoSteps()).toBe(3);
  });

  it('with nothing held, placing changes nothing', () => {
    placeHeldGroups();
    expect(state().policy).toBe(start);
    expect(undoSteps()).toBe(0);
  });
});
