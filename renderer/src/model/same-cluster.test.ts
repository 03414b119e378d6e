import { describe, expect, it } from 'vitest';
import { listedUnder } from './same-cluster';

const read = { workloads: [] };
const WHOLE = { server: 'https://10.0.0.1:6443' };
const SHOP = { server: 'https://10.0.0.1:6443', namespace: 'shop' };

describe('listedUnder', () => {
  it('names, for each later source of a cluster already read, the first source that reads it', () => {
    const open = [
      { sourceId: 'kubernetes:admin', cluster: WHOLE, inventory: read },
      { sourceId: 'docker:lab', cluster: null, inventory: read },
      { sourceId: 'kubernetes:stage', cluster: { server: 'https://10.0.0.2:6443' }, inventory: read },
      { sourceId: 'kubernetes:admin-ops', cluster: WHOLE, inventory: read },
      { sourceId: 'kubernetes:readonly', cluster: WHOLE, inventory: read },
    ];
    expect([...listedUnder(open)]).toEqual([
      ['kubernetes:admin-ops', 'kubernetes:admin'],
      ['kubernetes:readonly', 'kubernetes:admin'],
    ]);
  });

  it('passes over a source that gave no workloads (failed, or still loading): the next one lists the cluster', () => {
    const open = [
      { sourceId: 'kubernetes:broken', cluster: null, inventory: null },
      { sourceId: 'kubernetes:admin', cluster: WHOLE, inventory: read },
      { sourceId: 'kubernetes:admin-ops', cluster: WHOLE, inventory: read },
    ];
    expect([...listedUnder(open)]).toEqual([['kubernetes:admin-ops', 'kubernetes:admin']]);
  });

  it('lists a namespace-limited source under a source reading the whole cluster, even one opened after it', () => {
    const open = [
      { sourceId: 'kubernetes:dev-shop', cluster: SHOP, inventory: read },
      { sourceId: 'kubernetes:admin', cluster: WHOLE, inventory: read },
    ];
    expect([...listedUnder(open)]).toEqual([['kubernetes:dev-shop', 'kubernetes:admin']]);
  });

  it('lists sources limited to different namespaces of one cluster side by side, and one namespace once', () => {
    const open = [
      { sourceId: 'kubernetes:dev-shop', cluster: SHOP, inventory: read },
      { sourceId: 'kubernetes:dev-billing', cluster: { ...WHOLE, namespace: 'billing' }, inventory: read },
      { sourceId: 'kubernetes:ops-shop', cluster: SHOP, inventory: read },
    ];
    expect([...listedUnder(open)]).toEqual([['kubernetes:ops-shop', 'kubernetes:dev-shop']]);
  });
});
