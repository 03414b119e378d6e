import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { accessWarnings } from './access-warnings';
import { readCollections } from './collection-access';

// What a source reads, decided by its first lists: a list function that refuses given paths
// stands in for RBAC (the API server double covers the same over HTTPS).

const REF = { context: 'dev', server: 'https://127.0.0.1:6443' };

function refusing(refused: Record<string, number>): { list: (path: string) => Promise<KubernetesListObject<KubernetesObject>>; asked: string[] } {
  const asked: string[] = [];
  const list = (path: string): Promise<KubernetesListObject<KubernetesObject>> => {
    asked.push(path);
    const status = refused[path];
    if (status) return Promise.reject(Object.assign(new Error(`refused ${path}`), { statusCode: status }));
    return Promise.resolve({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '7' }, items: [] });
  };
  return { list, asked };
}

describe('readCollections', () => {
  it('reads everything in all namespaces when nothing is refused, each collection listed once', async () => {
    const { list, asked } = refusing({});
    const access = await readCollections(REF, list, 'team-a');
    expect(access.namespace).toBeUndefined();
    expect(access.forbidden).toEqual([]);
    expect([...access.readable.values()].map((r) => r.path)).toEqual(['/api/v1/pods', '/api/v1/namespaces', '/api/v1/nodes', '/apis/apps/v1/replicasets', '/apis/batch/v1/jobs']);
    expect(asked).toHaveLength(5);
  });

  it('keeps all namespaces when only nodes are forbidden, and says what that costs', async () => {
    const access = await readCollections(REF, refusing({ '/api/v1/nodes': 403 }).list, 'team-a');
    expect(access.namespace).toBeUndefined();
    expect(access.forbidden).toEqual(['nodes']);
    expect(accessWarnings('dev', access).map((d) => d.code)).toEqual(['MS322']);
  });

  it("falls back to the context's namespace for pods, replicasets and jobs, and does without those refused there", async () => {
    const { list, asked } = refusing({ '/api/v1/pods': 403, '/apis/apps/v1/replicasets': 403, '/apis/apps/v1/namespaces/team-a/replicasets': 403 });
    const access = await readCollections(REF, list, 'team-a');
    expect(access.namespace).toBe('team-a');
    expect(access.readable.get('pods')?.path).toBe('/api/v1/namespaces/team-a/pods');
    expect(access.readable.get('jobs')?.path).toBe('/apis/batch/v1/namespaces/team-a/jobs');
    expect(access.forbidden).toEqual(['replicasets']);
    expect(asked.slice(5)).toEqual(['/api/v1/namespaces/team-a/pods', '/apis/apps/v1/namespaces/team-a/replicasets', '/apis/batch/v1/namespaces/team-a/jobs']);
    expect(accessWarnings('dev', access).map((d) => d.message)).toEqual([
      expect.stringMatching(/^Kubernetes context "dev" may not list pods in all namespaces \(403 Forbidden\), so this source is limited to namespace "team-a"/),
      'Kubernetes context "dev" may not list replicasets in namespace "team-a" (403 Forbidden), so a pod of a Deployment shows its ReplicaSet as its owner, not the Deployment.',
    ]);
  });

  it('fails on anything but 403 as it is, even for a collection it could do without', async () => {
    await expect(readCollections(REF, refusing({ '/api/v1/namespaces': 500 }).list, 'team-a')).rejects.toMatchObject({ statusCode: 500 });
  });

  it("quotes the context's namespace into the path", async () => {
    const { list, asked } = refusing({ '/api/v1/pods': 403 });
    await readCollections(REF, list, 'a/b');
    expect(asked).toContain('/api/v1/namespaces/a%2Fb/pods');
  });
});
