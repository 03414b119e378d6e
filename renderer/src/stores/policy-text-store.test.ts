import { beforeEach, describe, expect, it } from 'vitest';
import { usePolicyTextStore } from './policy-text-store';

// The YAML view's draft: when typing makes one, and what it remembers of the drawing it began on.

const state = (): ReturnType<typeof usePolicyTextStore.getState> => usePolicyTextStore.getState();

describe('policy text draft', () => {
  beforeEach(() => state().discard());

  it('is the typed text while it differs from the drawing, and remembers the drawing it began on', () => {
    state().type('a: 2\n', 'a: 1\n');
    state().type('a: 3\n', 'a: 9\n');
    expect(state()).toMatchObject({ draft: 'a: 3\n', base: 'a: 1\n' });
  });

  it('a save of the drawing it began on keeps it up to date with the drawing; of another drawing, behind', () => {
    state().type('a: 2\nrevision: 1\n', 'a: 1\nrevision: 1\n');
    state().rebase('a: 1\nrevision: 1\n', 'a: 1\nrevision: 2\n');
    expect(state()).toMatchObject({ draft: 'a: 2\nrevision: 1\n', base: 'a: 1\nrevision: 2\n' });
    state().rebase('a: 5\nrevision: 2\n', 'a: 5\nrevision: 3\n');
    expect(state().base).toBe('a: 1\nrevision: 2\n');
  });

  it('typing back to what the drawing says is no draft', () => {
    state().type('a: 2\n', 'a: 1\n');
    state().type('a: 1\n', 'a: 1\n');
    expect(state()).toMatchObject({ draft: null, base: null });
  });
});
