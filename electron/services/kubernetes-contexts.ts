import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ServiceError } from './service-error';

/** A kubeconfig context as `kubectl config get-contexts` lists it. */
export interface KubernetesContext {
  name: string;
  cluster: string;
  /** The API server's URL, shown so the user knows what will be contacted. */
  server: string;
  user: string;
  namespace?: string;
  current: boolean;
}

/**
 * The kubeconfig files kubectl reads: every existing file named in KUBECONFIG, else
 * ~/.kube/config when it exists, else none. Deliberately never the in-cluster service account
 * or the client's `http://localhost:8080` fallback: the app contacts only what the user configured.
 */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((file) => file !== '' && existsSync(file));
  const file = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

/**
 * The files merged as kubectl merges them: the first file to define a cluster, user or context
 * name wins, and so does the first current-context. Each file is read by the client library,
 * so every authentication it supports (tokens, client certificates, exec plugins, custom CA)
 * works, and relative paths are resolved against the file that holds them.
 */
export function loadKubeconfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const merged = { clusters: [] as KubeConfig['clusters'], users: [] as KubeConfig['users'], contexts: [] as KubeConfig['contexts'], currentContext: '' };
  for (const file of kubeconfigFiles(env)) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new ServiceError('bad-request', `The kubeconfig file ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}. Fix it, or leave it out of KUBECONFIG.`);
    }
    addNew(merged.clusters, one.clusters);
    addNew(merged.users, one.users);
    addNew(merged.contexts, one.contexts);
    merged.currentContext ||= one.currentContext ?? '';
  }
  const config = new KubeConfig();
  config.loadFromOptions(merged);
  return config;
}

export function listKubernetesContexts(env: NodeJS.ProcessEnv = process.env): KubernetesContext[] {
  const config = loadKubeconfig(env);
  return config.contexts
    .map((c) => ({
      name: c.name,
      cluster: c.cluster,
      server: config.getCluster(c.cluster)?.server ?? '(no such cluster in the kubeconfig)',
      user: c.user,
      ...(c.namespace ? { namespace: c.namespace } : {}),
      current: c.name === config.currentContext,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The kubeconfig with `context` as its current context, ready for the client's API objects. */
export function kubeconfigForContext(context: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const config = loadKubeconfig(env);
  const found = config.getContextObject(context);
  if (!found) throw new ServiceError('not-found', `There is no Kubernetes context "${context}"; \`kubectl config get-contexts\` lists the ones that exist.`);
  if (!config.getCluster(found.cluster)) throw new ServiceError('bad-request', `Kubernetes context "${context}" names cluster "${found.cluster}", which no kubeconfig file defines.`);
  config.setCurrentContext(context);
  return config;
}

function addNew<T extends { name: string }>(into: T[], from: readonly T[]): void {
  for (const item of from) if (!into.some((existing) => existing.name === item.name)) into.push(item);
}
