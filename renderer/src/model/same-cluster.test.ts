import { describe, expect, it } from 'vitest';
import { listedUnder } from './same-cluster';

const read = { workloads: [] };

describe('listedUnder', () => {
  it('names, for each later source of a cluster already read, the first source that reads it', () => {
    const open = [
      { sourceId: 'kubernetes:admin', cluster: 'https://10.0.0.1:6443', inventory: read },
      { sourceId: 'docker:lab', cluster: null, inventory: read },
      { sourceId: 'kubernetes:stage', cluster: 'https://10.0.0.2:6443', inventory: read },
      { sourceId: 'kubernetes:admin-ops', cluster: 'https://10.0.0.1:6443', inventory: read },
      { sourceId: 'kubernetes:readonly', cluster: 'https://10.0.0.1:6443', inventory: read },
    ];
    expect([...listedUnder(open)]).toEqual([
      ['kubernetes:admin-ops', 'kubernetes:admin'],
      ['kubernetes:readonly', 'kubernetes:admin'],
    ]);
  });

  it('passes over a source that gave no workloads (failed, or still loading): the next one lists the cluster', () => {
    const open = [
      { sourceId: 'kubernetes:broken', cluster: null, inventory: null },
      { sourceId: 'kubernetes:admin', cluster: 'https://10.0.0.1:6443', inventory: read },
      { sourceId: 'kubernetes:admin-ops', cluster: 'https://10.0.0.1:6443', inventory: read },
    ];
    expect([...listedUnder(open)]).toEqual([['kubernetes:admin-ops', 'kubernetes:admin']]);
  });
});
