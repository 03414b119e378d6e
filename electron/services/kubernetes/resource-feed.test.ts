import { KubeConfig, Watch, type KubernetesListObject, type V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KubeApiDouble } from '../../../e2e/support/kube-api-double/kube-api-double';
import { createLogger } from '../logger';
import { ResourceFeed } from './resource-feed';

const log = createLogger({ level: 'error' });

describe('ResourceFeed against the API server double', () => {
  let double: KubeApiDouble;

  beforeEach(async () => {
    double = await KubeApiDouble.start();
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await double.stop();
  });

  it('opens no watch when it is closed while its list is under way', async () => {
    const config = new KubeConfig();
    config.loadFromFile(double.kubeconfigFile);
    let answer: (list: KubernetesListObject<V1Pod>) => void = () => undefined;
    const list = vi.fn(() => new Promise<KubernetesListObject<V1Pod>>((resolve) => (answer = resolve)));
    const watch = vi.spyOn(Watch.prototype, 'watch');
    const feed = new ResourceFeed<V1Pod>('/api/v1/pods', config, list, { changed: () => undefined, synced: () => undefined, failed: () => undefined }, { firstMs: 50, maxMs: 50 }, log);

    feed.start();
    expect(list).toHaveBeenCalledTimes(1);
    feed.close();
    answer({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [] });
    // The informer goes from its list to its watch in promise steps, all run before the next turn.
    await new Promise((resolve) => setImmediate(resolve));

    expect(watch).not.toHaveBeenCalled();
  });
});
