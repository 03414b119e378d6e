import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { accessWarnings } from './access-warnings';
import { readCollections, type ApiReader } from './collection-access';

// What a source reads, decided by its first lists: list and get functions that refuse given
// paths stand in for RBAC (the API server double covers the same over HTTPS).

const REF = { context: 'dev', server: 'https://127.0.0.1:6443' };

const OWN_BY_NAME = '/api/v1/namespaces?fieldSelector=metadata.name%3Dteam-a';
const OWN_OBJECT = '/api/v1/namespaces/team-a';

function refusing(refused: Record<string, number>): { api: ApiReader; asked: string[] } {
  const asked: string[] = [];
  const answer = <T>(path: string, body: T): Promise<T> => {
    asked.push(path);
    const status = refused[path];
    if (status) return Promise.reject(Object.assign(new Error(`refused ${path}`), { statusCode: status }));
    return Promise.resolve(body);
  };
  const list = (path: string): Promise<KubernetesListObject<KubernetesObject>> => answer(path, { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '7' }, items: [] });
  const get = (path: string): Promise<KubernetesObject> => answer(path, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: path.split('/').at(-1), labels: { team: 'a' } } });
  return { api: { list, get }, asked };
}

describe('readCollections', () => {
  it('reads everything in all namespaces when nothing is refused, each collection listed once', async () => {
    const { api, asked } = refusing({});
    const access = await readCollections(REF, api, 'team-a');
    expect(access.namespace).toBeUndefined();
    expect(access.forbidden).toEqual([]);
    expect([...access.readable.values()].map((r) => r.path)).toEqual(['/api/v1/pods', '/api/v1/namespaces', '/api/v1/nodes', '/apis/apps/v1/replicasets', '/apis/batch/v1/jobs']);
    expect(asked).toHaveLength(5);
  });

  it('keeps all namespaces when only nodes are forbidden, and says what that costs', async () => {
    const access = await readCollections(REF, refusing({ '/api/v1/nodes': 403 }).api, 'team-a');
    expect(access.namespace).toBeUndefined();
    expect(access.forbidden).toEqual(['nodes']);
    expect(accessWarnings('dev', access).map((d) => d.code)).toEqual(['MS322']);
  });

  it("falls back to the context's namespace for pods, replicasets and jobs, and does without those refused there", async () => {
    const { api, asked } = refusing({ '/api/v1/pods': 403, '/apis/apps/v1/replicasets': 403, '/apis/apps/v1/namespaces/team-a/replicasets': 403 });
    const access = await readCollections(REF, api, 'team-a');
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

  describe("the context's namespace, when namespaces may not be listed", () => {
    const limited = { '/api/v1/pods': 403, '/api/v1/namespaces': 403 };

    it('is listed and watched by its name when a ClusterRole names it, and nothing about namespaces is said', async () => {
      const { api, asked } = refusing(limited);
      const access = await readCollections(REF, api, 'team-a');
      expect(access.readable.get('namespaces')?.path).toBe(OWN_BY_NAME);
      expect(access.forbidden).toEqual([]);
      expect(asked).not.toContain(OWN_OBJECT);
      expect(accessWarnings('dev', access).map((d) => d.code)).toEqual(['MS320']);
    });

    it('is got once when it may only be got (a RoleBinding of view), and says its labels are as read then', async () => {
      const { api, asked } = refusing({ ...limited, [OWN_BY_NAME]: 403 });
      const access = await readCollections(REF, api, 'team-a');
      expect(access.namespaceAtOpen?.metadata?.labels).toEqual({ team: 'a' });
      expect(access.readable.has('namespaces')).toBe(false);
      expect(access.forbidden).toEqual([]);
      expect(asked.slice(-2)).toEqual([OWN_BY_NAME, OWN_OBJECT]);
      expect(accessWarnings('dev', access).map((d) => [d.code, d.severity])).toEqual([['MS320', 'warning'], ['MS324', 'info']]);
      expect(accessWarnings('dev', access)[1]?.message).toMatch(/^Kubernetes context "dev" may get namespace "team-a" but not watch it \(403 Forbidden\), so its labels are those read when this source opened/);
    });

    it('is done without when even getting it is forbidden (MS321 names both refusals)', async () => {
      const { api } = refusing({ ...limited, [OWN_BY_NAME]: 403, [OWN_OBJECT]: 403 });
      const access = await readCollections(REF, api, 'team-a');
      expect(access.forbidden).toEqual(['namespaces']);
      expect(access.namespaceAtOpen).toBeUndefined();
      expect(accessWarnings('dev', access).map((d) => d.code)).toEqual(['MS320', 'MS321']);
      expect(accessWarnings('dev', access)[1]?.message).toMatch(/^Kubernetes context "dev" may not list namespaces, nor get namespace "team-a" \(403 Forbidden\).*ask for get on namespace "team-a" \(a RoleBinding of view there grants it\)\.$/);
    });

    it('is not asked for by a source reading all namespaces: their namespaces are many, one request each', async () => {
      const { api, asked } = refusing({ '/api/v1/namespaces': 403 });
      const access = await readCollections(REF, api, 'team-a');
      expect(asked).toHaveLength(5);
      expect(access.forbidden).toEqual(['namespaces']);
    });
  });

  it('fails on anything but 403 as it is, even for a collection it could do without', async () => {
    await expect(readCollections(REF, refusing({ '/api/v1/namespaces': 500 }).api, 'team-a')).rejects.toMatchObject({ statusCode: 500 });
  });

  it("quotes the context's namespace into the path", async () => {
    const { api, asked } = refusing({ '/api/v1/pods': 403 });
    await readCollections(REF, api, 'a/b');
    expect(asked).toContain('/api/v1/namespaces/a%2Fb/pods');
  });
});
