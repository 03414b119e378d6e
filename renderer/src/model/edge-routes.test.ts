import type { Group } from '@shared/policy/model';
import { describe, expect, it } from 'vitest';
import { placedAsDrawn } from './edge-routes';
import { autoPosition, GROUP_SIZE } from './policy-edits';

const groups: Group[] = [
  { name: 'web', selector: { labels: 'tier=web' }, position: { x: 80, y: 120 } },
  { name: 'app', selector: { labels: 'tier=app' } },
];

describe('the groups the edges are routed among', () => {
  it('are none while the canvas has measured none of them, so a drawing just opened is routed once, on its measured sizes', () => {
    expect(placedAsDrawn(groups, {})).toEqual([]);
    // Sizes measured for the groups of the drawing shown before do not count.
    expect(placedAsDrawn(groups, { db: { width: 230, height: 160 } })).toEqual([]);
  });

  it('are every group, where it is drawn, at its measured size or the size taken before it is measured', () => {
    expect(placedAsDrawn(groups, { web: { width: 230, height: 160 } })).toEqual([
      { name: 'web', box: { x: 80, y: 120, width: 230, height: 160 } },
      { name: 'app', box: { ...autoPosition(1, 2), ...GROUP_SIZE } },
    ]);
  });
});
