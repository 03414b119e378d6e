import { emptyPolicy, type Policy } from '@shared/policy/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { arrangedPositions } from '../model/arrange';
import { redoEdit, undoEdit, usePolicyStore } from '../stores/policy-store';
import { WorkerFailure } from '../workers/worker-caller';
import { arrangeFailureMessage, placeArranged } from './arrange-groups';

// Arrange moves every group at once; taking it back must be one undo, not one per group.

const group = (name: string, x: number): Policy['groups'][number] => ({
  name,
  selector: { labels: `tier=${name}` },
  position: { x, y: 0 },
});
const start: Policy = {
  ...emptyPolicy('t'),
  groups: [group('db', 0), group('app', 300), group('web', 600)],
  edges: [
    { id: 'web-to-app', from: 'web', to: 'app', services: [], action: 'allow' },
    { id: 'app-to-db', from: 'app', to: 'db', services: [], action: 'allow' },
  ],
};
const state = (): ReturnType<typeof usePolicyStore.getState> => usePolicyStore.getState();
const places = (): unknown[] => state().policy.groups.map((g) => g.position);
const undoSteps = (): number => usePolicyStore.temporal.getState().pastStates.length;

describe('arranging the drawing', () => {
  beforeEach(() => state().replace(start, '/tmp/t.yaml'));

  it('moves every group as one undo step', () => {
    const positions = arrangedPositions(start);
    expect(placeArranged(start, positions)).toBe(true);
    const arranged = places();
    expect(arranged).toEqual(start.groups.map((g) => positions.get(g.name)));
    expect(undoSteps()).toBe(1);
    expect(state().dirty).toBe(true);

    undoEdit();
    expect(places()).toEqual(start.groups.map((g) => g.position));
    expect(state().dirty).toBe(false);
    redoEdit();
    expect(places()).toEqual(arranged);
  });

  it('places nothing when the groups changed while they were laid out', () => {
    const positions = arrangedPositions(start);
    state().edit((p) => ({
      ...p,
      groups: p.groups.map((g) => (g.name === 'web' ? { ...g, position: { x: 5, y: 5 } } : g)),
    }));
    expect(placeArranged(start, positions)).toBe(false);
    expect(state().policy.groups.find((g) => g.name === 'web')!.position).toEqual({ x: 5, y: 5 });
    expect(undoSteps()).toBe(1);
  });
});

describe('a layout that fails', () => {
  // The notice read "Arranging the groups failed — Arranging the groups failed: Uncaught RangeError: …".
  it('says why under the notice title without repeating it, and what to do', () => {
    const message = arrangeFailureMessage(
      new WorkerFailure('Arranging the groups', 'Uncaught RangeError: out of stack'),
    );
    expect(message).not.toContain('Arranging the groups');
    expect(message).toContain('Uncaught RangeError: out of stack');
    expect(message).toContain('place them by hand');
  });

  it('ends the reason once when the worker already ended it with a full stop', () => {
    const message = arrangeFailureMessage(new WorkerFailure('Arranging the groups', 'The layout ran out of memory.'));
    expect(message).toContain('ran out of memory. The groups stay');
    expect(message).not.toContain('..');
  });
});
