import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { KubeConfig, type ConfigOptions } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { fileKind, systemReason } from './file-kind';
import { ioReason } from './io-advice';
import { FileError, utf8Text } from './project-files';
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

// The client's ActionOnInvalid.FILTER: leave an unusable entry out instead of failing the file.
const SKIP_INVALID: Partial<ConfigOptions> = { onInvalidEntry: 'filter' };

/** Entries of the kubeconfig files that cannot be used, by name, with the reason: reported against their contexts only. */
export interface KubeconfigProblems {
  clusters: Map<string, string>;
  users: Map<string, string>;
  /** Files of KUBECONFIG that cannot be read at all (bad YAML, a folder, no read access), with the reason in plain words (see unreadableKubeconfigMessage). */
  files: Map<string, string>;
}

/** What a kubeconfig file that cannot be read means, for `reason` as KubeconfigProblems.files gives it, and what to do. */
export function unreadableKubeconfigMessage(file: string, reason: string): string {
  return `The kubeconfig file ${file} cannot be read: ${reason}. None of its contexts is listed: fix it, or leave it out of KUBECONFIG.`;
}

/**
 * The files merged as kubectl merges them: the first file to define a cluster, user or context
 * name wins, and so does the first current-context. Each file is read by the client library,
 * so every authentication it supports (tokens, client certificates, exec plugins, custom CA)
 * works, and relative paths are resolved against the file that holds them. A cluster or user
 * that cannot be used (no server, a token file that is missing) is left out and listed in
 * `problems`, so it spoils only the contexts that name it; so is a file that cannot be read at
 * all, whose contexts are unknown, so that it does not hide the other files' contexts.
 */
export function loadKubeconfigChecked(env: NodeJS.ProcessEnv = process.env): { config: KubeConfig; problems: KubeconfigProblems } {
  const merged = { clusters: [] as KubeConfig['clusters'], users: [] as KubeConfig['users'], contexts: [] as KubeConfig['contexts'], currentContext: '' };
  const problems: KubeconfigProblems = { clusters: new Map(), users: new Map(), files: new Map() };
  for (const file of kubeconfigFiles(env)) {
    const one = new KubeConfig();
    const read = kubeconfigText(file);
    if ('unreadable' in read) {
      problems.files.set(file, read.unreadable);
      continue;
    }
    // kubectl takes an empty file as an empty config (`touch $KUBECONFIG` is common); the client throws on it.
    if (read.text.trim() === '') continue;
    try {
      one.loadFromFile(file, SKIP_INVALID);
    } catch (error) {
      // The YAML reader's message goes on with an excerpt of the file; its first line names the place.
      problems.files.set(file, systemReason(error).split('\n')[0]!);
      continue;
    }
    const known = (list: readonly { name: string }[], name: string): boolean => list.some((x) => x.name === name);
    for (const [name, reason] of unusableEntries(file, one)) {
      const [kind, entry] = name.split('\0') as ['clusters' | 'users', string];
      if (!known(merged[kind], entry) && !problems[kind].has(entry)) problems[kind].set(entry, reason);
    }
    addNew(merged.clusters, one.clusters.filter((c) => !problems.clusters.has(c.name)));
    addNew(merged.users, one.users.filter((u) => !problems.users.has(u.name)));
    addNew(merged.contexts, one.contexts);
    merged.currentContext ||= one.currentContext ?? '';
  }
  const config = new KubeConfig();
  config.loadFromOptions(merged);
  return { config, problems };
}

/**
 * The file's text, or why it cannot be read in plain words with what to do: the system's own
 * (`EISDIR: illegal operation on a directory`) say neither. Not a regular file is refused
 * before reading, as the inputs are: a named pipe would hold the app until a writer came.
 */
function kubeconfigText(file: string): { text: string } | { unreadable: string } {
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return { unreadable: `it is ${fileKind(stats)}, not a file; name the kubeconfig file itself` };
    return { text: utf8Text(readFileSync(file), file) };
  } catch (error) {
    return { unreadable: error instanceof FileError ? error.reason : ioReason(error, 'read', file) };
  }
}

/** The merged kubeconfig (see loadKubeconfigChecked). */
export function loadKubeconfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  return loadKubeconfigChecked(env).config;
}

/**
 * Clusters and users of one file that the client left out or cannot use, keyed `kind\0name`:
 * a cluster without a server, a user whose token file does not exist.
 */
function unusableEntries(file: string, loaded: KubeConfig): Map<string, string> {
  const out = new Map<string, string>();
  let raw: { clusters?: unknown; users?: unknown };
  try {
    raw = (parse(readFileSync(file, 'utf8')) ?? {}) as typeof raw;
  } catch {
    return out;
  }
  for (const entry of Array.isArray(raw.clusters) ? (raw.clusters as { name?: unknown; cluster?: { server?: unknown } }[]) : []) {
    if (typeof entry?.name !== 'string' || loaded.clusters.some((c) => c.name === entry.name)) continue;
    out.set(`clusters\0${entry.name}`, `cluster "${entry.name}" in ${file} has ${entry.cluster?.server ? 'an entry the client cannot read' : 'no server'}`);
  }
  for (const entry of Array.isArray(raw.users) ? (raw.users as { name?: unknown; user?: Record<string, unknown> }[]) : []) {
    if (typeof entry?.name !== 'string') continue;
    const tokenFile = entry.user?.tokenFile ?? entry.user?.['token-file'];
    const path = typeof tokenFile === 'string' ? resolve(dirname(file), tokenFile) : undefined;
    const problem = path === undefined ? undefined : fileProblem(path);
    if (problem !== undefined) out.set(`users\0${entry.name}`, `the token file ${path!} of user "${entry.name}" (in ${file}) ${problem}`);
    else if (!loaded.users.some((u) => u.name === entry.name)) out.set(`users\0${entry.name}`, `user "${entry.name}" in ${file} cannot be read by the client`);
  }
  return out;
}

/** The kubeconfig files that cannot be read at all, each with why in a few words (see loadKubeconfigChecked). */
export function unreadableKubeconfigs(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  return loadKubeconfigChecked(env).problems.files;
}

export function listKubernetesContexts(env: NodeJS.ProcessEnv = process.env): KubernetesContext[] {
  return kubeconfigContents(env).contexts;
}

/** The contexts and the files that cannot be read, from one read of the kubeconfig files. */
export function kubeconfigContents(env: NodeJS.ProcessEnv = process.env): { contexts: KubernetesContext[]; unreadable: Map<string, string> } {
  const { config, problems } = loadKubeconfigChecked(env);
  const contexts = config.contexts
    .map((c) => ({
      name: c.name,
      cluster: c.cluster,
      server: config.getCluster(c.cluster)?.server ?? `(${problems.clusters.get(c.cluster) ?? 'no such cluster in the kubeconfig'})`,
      user: c.user,
      ...(c.namespace ? { namespace: c.namespace } : {}),
      current: c.name === config.currentContext,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { contexts, unreadable: problems.files };
}

/** The kubeconfig with `context` as its current context, ready for the client's API objects. */
export function kubeconfigForContext(context: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const { config, problems } = loadKubeconfigChecked(env);
  const found = config.getContextObject(context);
  if (!found) {
    const unread = [...problems.files.keys()];
    const maybe = unread.length === 0 ? '' : ` (${unread.join(', ')} cannot be read, and may hold it)`;
    throw new ServiceError('not-found', `There is no Kubernetes context "${context}"${maybe}; \`kubectl config get-contexts\` lists the ones that exist.`);
  }
  const broken = problems.clusters.get(found.cluster);
  if (broken) throw new ServiceError('bad-request', `Kubernetes context "${context}" cannot be used: ${broken}. Fix the kubeconfig.`);
  if (!config.getCluster(found.cluster)) throw new ServiceError('bad-request', `Kubernetes context "${context}" names cluster "${found.cluster}", which no kubeconfig file defines.`);
  const user = found.user ? problems.users.get(found.user) : undefined;
  if (user) throw new ServiceError('bad-request', `Kubernetes context "${context}" cannot be used: ${user}. Fix the kubeconfig, or log in again.`);
  if (found.user && !config.getUser(found.user)) throw new ServiceError('bad-request', `Kubernetes context "${context}" names user "${found.user}", which no kubeconfig file defines; add the user or fix the context.`);
  const file = unusableFileOf(config, found.cluster, found.user);
  if (file) throw new ServiceError('bad-request', `Kubernetes context "${context}" cannot be used: ${file}. Correct the path in the kubeconfig.`);
  config.setCurrentContext(context);
  return config;
}

/**
 * The first file that the context's cluster and user name (certificate authority, client
 * certificate and key) and that cannot be read, with why. The client reads them only as it
 * connects, and its failure read as "no API server answered", in the system's words.
 */
function unusableFileOf(config: KubeConfig, cluster: string, user: string): string | undefined {
  const { caFile } = config.getCluster(cluster) ?? {};
  const { certFile, keyFile } = (user ? config.getUser(user) : undefined) ?? {};
  const named: [string | undefined, string][] = [
    [caFile, `the certificate-authority file of cluster "${cluster}"`],
    [certFile, `the client-certificate file of user "${user}"`],
    [keyFile, `the client-key file of user "${user}"`],
  ];
  for (const [path, role] of named) {
    const problem = path ? fileProblem(path) : undefined;
    if (problem) return `${role}, ${path}, ${problem}`;
  }
  return undefined;
}

/** Why a file a kubeconfig names cannot be read (`does not exist`, `is a folder, not a file`, …); undefined when it can. */
function fileProblem(path: string): string | undefined {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return `is ${fileKind(stats)}, not a file`;
    readFileSync(path);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read: ${ioReason(error, 'read', path)}`;
  }
}

function addNew<T extends { name: string }>(into: T[], from: readonly T[]): void {
  for (const item of from) if (!into.some((existing) => existing.name === item.name)) into.push(item);
}
