import { request, type RequestOptions } from 'node:https';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';

const LIST_TIMEOUT_MS = 60_000;

/**
 * Lists a collection (`/api/v1/pods`, `/api/v1/namespaces/shop/pods`) through the client's own connection setup
 * (KubeConfig.applyToHTTPSOptions: every kubeconfig authentication, CA and proxy, as its Watch
 * uses), but keeps the items as plain JSON. The typed API would convert every field of every
 * object (half a second for 10,000 pods), and watch events arrive as plain JSON anyway, so
 * both paths now hand the same shape to the cache.
 */
export async function listCollection<T extends KubernetesObject>(config: KubeConfig, path: string): Promise<KubernetesListObject<T>> {
  return getJson<KubernetesListObject<T>>(config, path);
}

/** One object (`/api/v1/namespaces/shop`), read the same way. */
export async function readObject<T extends KubernetesObject>(config: KubeConfig, path: string): Promise<T> {
  return getJson<T>(config, path);
}

async function getJson<T>(config: KubeConfig, path: string): Promise<T> {
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig context names no cluster server');
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await config.applyToHTTPSOptions(options);

  return new Promise((resolve, reject) => {
    const req = request(new URL(server + path), options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) return settle(() => resolve(JSON.parse(body) as T));
        reject(Object.assign(new Error(statusMessage(body) ?? res.statusMessage ?? `HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
      });
    });
    req.setTimeout(LIST_TIMEOUT_MS, () => req.destroy(new Error(`no answer to GET ${path} within ${LIST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();

    function settle(parse: () => void): void {
      try {
        parse();
      } catch (error) {
        reject(new Error(`the answer to GET ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
  });
}

/** The message of a Kubernetes Status object, when the body is one. */
function statusMessage(body: string): string | undefined {
  try {
    const status = JSON.parse(body) as { kind?: string; message?: unknown };
    return status.kind === 'Status' && typeof status.message === 'string' ? status.message : undefined;
  } catch {
    return undefined;
  }
}
