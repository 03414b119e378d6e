import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type * as Fs from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InventoryService } from './inventory-service';
import { kubeconfigForContext, listKubernetesContexts, unreadableKubeconfigs } from './kubernetes-contexts';
import { KubernetesInventory } from './kubernetes-inventory';
import { createLogger } from './logger';

const log = createLogger({ level: 'error' });

// The tests run as root, whom no file's mode refuses: a refused read comes from this double.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof Fs>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

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

describe('a kubeconfig file that cannot be read', () => {
  it('hides none of the other files\' contexts, and is listed as a source that says why when opened', async () => {
    const env = kubeconfigs();
    const badYaml = join(env.HOME!, 'bad-yaml');
    writeFileSync(badYaml, 'apiVersion: v1\nkind: Config\nclusters: [ {name: x\n');
    const folder = mkdtempSync(join(tmpdir(), 'microseg-kubeconfig-folder-'));
    const withBroken = { ...env, KUBECONFIG: `${badYaml}:${folder}:${env.KUBECONFIG!}` };

    expect(listKubernetesContexts(withBroken).map((c) => c.name)).toContain('good');
    const unreadable = unreadableKubeconfigs(withBroken);
    expect([...unreadable.keys()]).toEqual([badYaml, folder]);
    // QA's defect: the list and the message said the system's words, "EISDIR: illegal operation on a directory".
    expect(unreadable.get(folder)).toBe('it is a folder, not a file; name the kubeconfig file itself');
    expect(() => kubeconfigForContext('gone', withBroken)).toThrow(`There is no Kubernetes context "gone" (${badYaml}, ${folder} cannot be read, and may hold it)`);

    const service = new InventoryService(env.HOME!, new KubernetesInventory(() => undefined, log, withBroken), log, withBroken);
    const kubernetes = (await service.sources()).filter((s) => s.kind === 'kubernetes');
    // Only the context kubectl would use is current; the files that cannot be read say why instead (a new window opens them for it).
    expect(kubernetes.filter((s) => s.current).map((s) => s.id)).toEqual(['kubernetes:good']);
    expect(kubernetes.filter((s) => s.unreadable !== undefined).map((s) => [s.id, s.name, s.unreadable])).toEqual([
      [`kubeconfig:${badYaml}`, 'Kubernetes: kubeconfig bad-yaml', 'unexpected end of the stream within a flow collection (4:1)'],
      [`kubeconfig:${folder}`, `Kubernetes: kubeconfig ${basename(folder)}`, 'it is a folder, not a file; name the kubeconfig file itself'],
    ]);
    await expect(service.load(`kubeconfig:${badYaml}`)).rejects.toThrow(`The kubeconfig file ${badYaml} cannot be read: unexpected end of the stream within a flow collection (4:1). None of its contexts is listed: fix it, or leave it out of KUBECONFIG.`);
    await expect(service.load(`kubeconfig:${folder}`)).rejects.toThrow(`The kubeconfig file ${folder} cannot be read: it is a folder, not a file; name the kubeconfig file itself. None of its contexts is listed`);
    writeFileSync(badYaml, '\n');
    await expect(service.load(`kubeconfig:${badYaml}`)).rejects.toThrow(`The kubeconfig file ${badYaml} reads now: its contexts are listed under Open a source; close this line.`);
  });
});

describe('KUBECONFIG naming something that is not a kubeconfig file this user may read', () => {
  it('says in plain words what is wrong with it and what to do, for a folder, a refused read and a file not in UTF-8', () => {
    const env = kubeconfigs();
    const folder = mkdtempSync(join(tmpdir(), 'microseg-kubeconfig-folder-'));
    expect(listKubernetesContexts({ ...env, KUBECONFIG: folder })).toEqual([]);
    expect(unreadableKubeconfigs({ ...env, KUBECONFIG: folder }).get(folder)).toBe('it is a folder, not a file; name the kubeconfig file itself');

    const good = env.KUBECONFIG!.split(':')[0]!;
    vi.mocked(readFileSync).mockImplementationOnce(() => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${good}'`), { code: 'EACCES', path: good });
    });
    expect(unreadableKubeconfigs({ ...env, KUBECONFIG: good }).get(good)).toBe('permission denied (EACCES): this user may not read it; get read access to it, or copy it somewhere you may read');

    const latin = join(env.HOME!, 'latin');
    writeFileSync(latin, Buffer.from('apiVersion: v1\nkind: Config\ncontexts: [{name: caf\xe9}]\n', 'latin1'));
    expect(unreadableKubeconfigs({ ...env, KUBECONFIG: latin }).get(latin)).toMatch(/^it is not UTF-8 text \(.*\); save it as UTF-8$/);
  });
});

describe('a context whose kubeconfig names a certificate file that cannot be read', () => {
  // QA's defect: a certificate-authority path that was a folder read as "No Kubernetes API server answered …: EISDIR".
  it('is refused before connecting, naming the file, its role and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-kubeconfig-'));
    const folder = join(dir, 'ca.d');
    mkdirSync(folder);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': folder } }],
      users: [{ name: 'u', user: { 'client-certificate': join(dir, 'gone.crt'), 'client-key': join(dir, 'gone.key') } }],
      contexts: [{ name: 'folder-ca', context: { cluster: 'k', user: 'u' } }],
    };
    writeFileSync(join(dir, 'config'), JSON.stringify(config));
    const env = { KUBECONFIG: join(dir, 'config'), HOME: dir };
    expect(() => kubeconfigForContext('folder-ca', env)).toThrow(`Kubernetes context "folder-ca" cannot be used: the certificate-authority file of cluster "k", ${folder}, is a folder, not a file. Correct the path in the kubeconfig.`);

    writeFileSync(join(dir, 'config'), JSON.stringify({ ...config, clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1' } }] }));
    expect(() => kubeconfigForContext('folder-ca', env)).toThrow(`the client-certificate file of user "u", ${join(dir, 'gone.crt')}, does not exist.`);

    // A token file is read as the kubeconfig is: a folder there spoiled the user with "cannot be read by the client".
    writeFileSync(join(dir, 'config'), JSON.stringify({ ...config, users: [{ name: 'u', user: { 'token-file': folder } }] }));
    expect(() => kubeconfigForContext('folder-ca', env)).toThrow(`Kubernetes context "folder-ca" cannot be used: the token file ${folder} of user "u" (in ${join(dir, 'config')}) is a folder, not a file. Fix the kubeconfig, or log in again.`);
  });
});
