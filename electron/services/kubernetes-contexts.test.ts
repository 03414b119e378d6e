import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigForContext, listKubernetesContexts } from './kubernetes-contexts';

// Kubeconfig files only: nothing here contacts a server (the addresses are never dialled).

function kubeconfigs(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-kubeconfig-'));
  writeFileSync(join(dir, 'token'), 'abc');
  const good = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'good',
    clusters: [{ name: 'good', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'alice', user: { token: 'abc' } }, { name: 'filed', user: { tokenFile: 'token' } }],
    contexts: [{ name: 'good', context: { cluster: 'good', user: 'alice' } }, { name: 'filed', context: { cluster: 'good', user: 'filed' } }],
  };
  const broken = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'serverless', cluster: { 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'lost', user: { tokenFile: join(dir, 'missing-token') } }],
    contexts: [
      { name: 'no-server', context: { cluster: 'serverless', user: 'alice' } },
      { name: 'ghost-user', context: { cluster: 'good', user: 'nobody' } },
      { name: 'lost-token', context: { cluster: 'good', user: 'lost' } },
    ],
  };
  writeFileSync(join(dir, 'good.yaml'), JSON.stringify(good));
  writeFileSync(join(dir, 'broken.yaml'), JSON.stringify(broken));
  return { KUBECONFIG: `${join(dir, 'good.yaml')}:${join(dir, 'broken.yaml')}`, HOME: dir };
}

describe('Kubernetes contexts with broken kubeconfig entries', () => {
  it('lists every context when one cluster has no server, and says so against that context only', () => {
    const contexts = listKubernetesContexts(kubeconfigs());
    expect(contexts.map((c) => c.name)).toEqual(['filed', 'ghost-user', 'good', 'lost-token', 'no-server']);
    expect(contexts.find((c) => c.name === 'good')).toMatchObject({ server: 'https://127.0.0.1:1', current: true });
    expect(contexts.find((c) => c.name === 'no-server')?.server).toMatch(/cluster "serverless" in .*broken\.yaml has no server/);
  });

  it('says what is wrong with a context before anything is contacted', () => {
    const env = kubeconfigs();
    expect(() => kubeconfigForContext('no-server', env)).toThrow(/cluster "serverless" .* has no server/);
    expect(() => kubeconfigForContext('ghost-user', env)).toThrow(/names user "nobody", which no kubeconfig file defines/);
    expect(() => kubeconfigForContext('lost-token', env)).toThrow(/the token file .*missing-token of user "lost" .* does not exist/);
    expect(kubeconfigForContext('good', env).getCurrentCluster()?.server).toBe('https://127.0.0.1:1');
    expect(kubeconfigForContext('filed', env).getCurrentUser()?.name).toBe('filed');
  });
});

describe('an empty kubeconfig file', () => {
  it('is read as an empty config, as kubectl reads it, beside the others', () => {
    const env = kubeconfigs();
    const empty = join(env.HOME!, 'empty');
    writeFileSync(empty, '\n');
    expect(listKubernetesContexts({ ...env, KUBECONFIG: empty })).toEqual([]);
    expect(listKubernetesContexts({ ...env, KUBECONFIG: `${empty}:${env.KUBECONFIG!}` }).map((c) => c.name)).toContain('good');
  });
});
