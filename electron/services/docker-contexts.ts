import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A Docker CLI context: a name and the engine endpoint it points at. */
export interface DockerContext {
  name: string;
  /** `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host`. */
  host: string;
  current: boolean;
  /** Folder holding ca.pem, cert.pem and key.pem when the context uses TLS. */
  tlsDir?: string;
}

const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

/**
 * The contexts `docker context ls` shows: `default` (DOCKER_HOST or the local socket) plus
 * each one stored under ~/.docker/contexts. The current one follows DOCKER_CONTEXT, then
 * the CLI config's currentContext, as the docker CLI does.
 */
export async function listDockerContexts(env: NodeJS.ProcessEnv = process.env): Promise<DockerContext[]> {
  const configDir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const current = env.DOCKER_CONTEXT ?? (await readCurrentContext(configDir)) ?? 'default';
  const contexts: DockerContext[] = [{ name: 'default', host: env.DOCKER_HOST ?? DEFAULT_SOCKET, current: current === 'default' }];

  const metaRoot = join(configDir, 'contexts', 'meta');
  for (const id of await readdir(metaRoot).catch(() => [] as string[])) {
    const meta = await readJson(join(metaRoot, id, 'meta.json'));
    const name = typeof meta?.Name === 'string' ? meta.Name : undefined;
    const endpoints = meta?.Endpoints as Record<string, { Host?: string; SkipTLSVerify?: boolean }> | undefined;
    const host = endpoints?.docker?.Host;
    if (!name || !host) continue;
    const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
    const hasTls = (await readdir(tlsDir).catch(() => [] as string[])).includes('ca.pem');
    contexts.push({ name, host, current: current === name, ...(hasTls ? { tlsDir } : {}) });
  }
  return contexts.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

async function readCurrentContext(configDir: string): Promise<string | undefined> {
  const config = await readJson(join(configDir, 'config.json'));
  return typeof config?.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : undefined;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
