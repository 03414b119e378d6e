import { emptyPolicy, type Policy } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { checkEdgeDraft, edgeFromDraft, parseServiceList } from './drafts';
import { autoPosition, freePosition, nextEdgeId, withGroupRemoved, withGroupReplaced } from './policy-edits';

// The canvas's edits are pure functions of a policy; these pin what the user sees happen.

const policy: Policy = {
  ...emptyPolicy('t'),
  groups: [
    { name: 'web', selector: { labels: 'tier=web' }, position: { x: 60, y: 60 } },
    { name: 'app', selector: { labels: 'tier=app' }, position: { x: 360, y: 60 } },
  ],
  edges: [{ id: 'web-to-app', from: 'web', to: 'app', services: [{ protocol: 'tcp', ports: { from: 8080, to: 8080 } }], action: 'allow' }],
};

describe('canvas edits', () => {
  it('lays groups without a position out four wide, wider for many, so the grid stays about as wide as the canvas', () => {
    const extent = (count: number): { width: number; height: number } => {
      const at = Array.from({ length: count }, (_, i) => autoPosition(i, count));
      return { width: Math.max(...at.map((p) => p.x)) - at[0]!.x, height: Math.max(...at.map((p) => p.y)) - at[0]!.y };
    };
    expect(autoPosition(4, 8)).toEqual({ x: 60, y: 290 });
    expect(autoPosition(4, 13)).toEqual({ x: 60, y: 290 });
    const many = extent(60);
    expect(many.width).toBeGreaterThanOrEqual(many.height);
    expect(many.width).toBeLessThan(2.5 * many.height);
  });

  it('renaming a group carries its edges along; removing it removes them', () => {
    const renamed = withGroupReplaced(policy, 'app', { ...policy.groups[1]!, name: 'api' });
    expect(renamed.edges[0]).toMatchObject({ from: 'web', to: 'api' });
    expect(withGroupRemoved(policy, 'web').edges).toEqual([]);
  });

  it('gives new edges readable ids that never collide', () => {
    expect(nextEdgeId(policy, 'web', 'app')).toBe('web-to-app-2');
    expect(nextEdgeId(policy, 'app', 'web')).toBe('app-to-web');
  });

  it('places a new group on the nearest free spot, preferring the right of a taken one', () => {
    expect(freePosition(policy, { x: 360, y: 60 })).toEqual({ x: 660, y: 60 });
    const empty = { ...policy, groups: [policy.groups[0]!] };
    expect(freePosition(empty, { x: 60, y: 60 })).toEqual({ x: 360, y: 60 });
  });

  it('on a narrow view, places a new group on a free spot inside it before a nearer one outside', () => {
    const one = { ...policy, groups: [policy.groups[0]!] };
    // Tall and narrow: the spot beside web runs off the right edge, the one below fits.
    expect(freePosition(one, { x: 60, y: 60 }, { x: 0, y: 0, width: 320, height: 500 })).toEqual({ x: 60, y: 290 });
    // No free spot fits: the nearest, which the canvas then brings into view.
    expect(freePosition(one, { x: 60, y: 60 }, { x: 0, y: 0, width: 320, height: 250 })).toEqual({ x: 360, y: 60 });
    // Room beside: as without a view.
    expect(freePosition(one, { x: 60, y: 60 }, { x: 0, y: 0, width: 700, height: 250 })).toEqual({ x: 360, y: 60 });
  });
});

describe('edge drafts', () => {
  it('reports every bad service of a list, not only the first', () => {
    const parsed = parseServiceList('tcp/70000, udp/53, tcp/9-1');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toContain('"tcp/70000"');
      expect(parsed.message).toContain('"tcp/9-1"');
    }
  });

  it('needs a honeypot for a redirect, and keeps it on the edge', () => {
    const draft = { from: 'web', to: 'app', services: 'tcp/22', action: 'redirect' as const, redirectTo: '', description: '' };
    expect(checkEdgeDraft(policy, draft).redirectTo).toContain('honeypot');
    expect(edgeFromDraft({ ...draft, redirectTo: 'trap-1' }, 'e1')).toMatchObject({ action: 'redirect', redirectTo: 'trap-1' });
    expect(edgeFromDraft({ ...draft, action: 'allow', redirectTo: 'trap-1' }, 'e1')?.redirectTo).toBeUndefined();
  });
});
