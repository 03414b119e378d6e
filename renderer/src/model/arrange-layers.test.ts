import { seededRandom } from '@shared/testing/seeded-random';
import { describe, expect, it } from 'vitest';
import { layersOf, MAX_LAYERS, type Link } from './arrange-layers';

const names = (count: number): string[] => Array.from({ length: count }, (_, i) => `g${i}`);

describe('layering the groups', () => {
  it('puts each link of a drawing without cycles from a lower layer to a higher one, layers counted from 0 without gaps', () => {
    const rnd = seededRandom(3);
    const links: Link[] = Array.from({ length: 1000 }, () => {
      const [a, b] = [Math.floor(rnd() * 250), Math.floor(rnd() * 250)].sort((x, y) => x - y) as [number, number];
      return { from: `g${a}`, to: `g${b + 1}`, weight: 1 };
    });
    const layers = layersOf(names(251), links);
    for (const { from, to } of links) expect(layers.get(from)!, `${from} → ${to}`).toBeLessThan(layers.get(to)!);
    const used = new Set(layers.values());
    expect([...used].sort((a, b) => a - b)).toEqual([...used.keys()].map((_, i) => i));
  });

  it('turns round the link that closes a cycle, and only that one', () => {
    const links = [
      { from: 'a', to: 'b', weight: 1 },
      { from: 'b', to: 'c', weight: 1 },
      { from: 'c', to: 'a', weight: 1 },
    ];
    expect(layersOf(['a', 'b', 'c'], links)).toEqual(
      new Map([
        ['a', 0],
        ['b', 1],
        ['c', 2],
      ]),
    );
  });

  it('puts a group that only opens connections next to its nearest target, not at the far left', () => {
    const links = [
      { from: 'web', to: 'app', weight: 1 },
      { from: 'app', to: 'db', weight: 1 },
      { from: 'backup', to: 'db', weight: 1 },
    ];
    expect(layersOf(['web', 'app', 'db', 'backup'], links).get('backup')).toBe(1);
  });

  it('folds a chain deeper than MAX_LAYERS into MAX_LAYERS layers, in its order', () => {
    const chain = names(3 * MAX_LAYERS);
    const links = chain.slice(1).map((to, i) => ({ from: chain[i]!, to, weight: 1 }));
    const layered = layersOf(chain, links);
    const layers = chain.map((n) => layered.get(n)!);
    expect(Math.max(...layers)).toBe(MAX_LAYERS - 1);
    layers.slice(1).forEach((layer, i) => expect(layer).toBeGreaterThanOrEqual(layers[i]!));
  });
});
