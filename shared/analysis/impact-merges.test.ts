import { describe, expect, it, vi } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory, Workload } from '../inventory/model';
import type { Policy } from '../policy/model';
import { loadHostTables } from '../simulator/path';
import { changeImpact } from './impact';
import * as reachChanges from './reach-changes';

// Every address pair of two changed classes carries the same change: merged into its group pair
// once per class pair, not once per address pair (a default changed on 2,000 workloads made four
// million merges of service sets, three quarters of a run of a minute).
vi.mock('./reach-changes', async (importOriginal) => {
  const actual = await importOriginal<typeof reachChanges>();
  return { ...actual, mergeChanges: vi.fn(actual.mergeChanges) };
});

function workloads(tier: string, count: number, subnet: number): Workload[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `t/${tier}-${i}`,
    name: `${tier}-${i}`,
    host: 'h1',
    addresses: [`10.0.${subnet}.${i + 1}`],
    labels: { tier },
    origin: { kind: 'static', source: 't' },
  }));
}

describe('changeImpact on every pair of classes', () => {
  it('merges the change of a class pair into its group pair once, whatever the classes hold', () => {
    const inventory: Inventory = { readAt: 'x', workloads: [...workloads('web', 30, 1), ...workloads('db', 30, 2)] };
    const before: Policy = {
      apiVersion: 'microseg.dev/v1',
      name: 'shop',
      revision: 1,
      defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
      groups: [
        { name: 'web', selector: { labels: 'tier=web' } },
        { name: 'db', selector: { labels: 'tier=db' } },
      ],
      edges: [],
    };
    const after: Policy = { ...before, defaults: { ...before.defaults, betweenGroups: 'monitor' } };
    const side = (policy: Policy) => ({ policy, tables: loadHostTables(compilePolicy(policy, inventory).hosts) });

    const impact = changeImpact(side(before), side(after), inventory, { scope: 'every-pair' });

    expect(impact.entries.map((e) => `${e.from} → ${e.to} (${e.pairs})`)).toEqual([
      '(outside) → db (30)',
      '(outside) → web (30)',
      'db → (outside) (30)',
      'db → web (900)',
      'web → (outside) (30)',
      'web → db (900)',
    ]);
    // 900 address pairs each way; at most a merge per class pair and group pair.
    expect(vi.mocked(reachChanges.mergeChanges).mock.calls.length).toBeLessThan(50);
  });
});
