import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import type { HostTarget } from '@shared/api/contract';
import { writeTextFileAtomic } from './project-files';
import { ServiceError } from './service-error';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An open SSH connection to one enforcement host. */
export interface SshSession {
  run(command: string, stdin?: string): Promise<CommandResult>;
  close(): void;
}

/**
 * Opens an SSH session with key-file or agent authentication. Host keys are trusted on first
 * use and pinned in `known-hosts.json`; a changed key refuses the connection, because a
 * deploy to an impostor would hand it our policy and our trust.
 */
export async function openSshSession(target: HostTarget, configDir: string, timeoutMs = 10_000): Promise<SshSession> {
  const pins = new KnownHosts(configDir);
  const hostId = `${target.address}:${target.port}`;
  const pinned = await pins.get(hostId);
  let seenFingerprint = '';

  const config: ConnectConfig = {
    host: target.address,
    port: target.port,
    username: target.user,
    readyTimeout: timeoutMs,
    hostVerifier: (key: Buffer) => {
      seenFingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
      return pinned === undefined || pinned === seenFingerprint;
    },
  };
  if (target.auth.kind === 'key') config.privateKey = await readKey(target.auth.keyPath);
  else config.agent = agentSocket();

  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', (error) => reject(connectError(target, error, pinned, seenFingerprint)));
    client.connect(config);
  });
  if (pinned === undefined) await pins.set(hostId, seenFingerprint);

  return {
    run: (command, stdin) => run(client, command, stdin),
    close: () => client.end(),
  };
}

function run(client: Client, command: string, stdin?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(new ServiceError('ssh-failed', `Could not run a command over SSH: ${error.message}`));
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => out.push(chunk));
      stream.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      stream.on('close', (code: number | null) => {
        resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      stream.end(stdin ?? '');
    });
  });
}

async function readKey(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ServiceError('ssh-failed', `Could not read the SSH private key ${path}: ${(error as Error).message}. Check the path in the host's settings.`);
  }
}

function agentSocket(): string {
  const socket = process.env.SSH_AUTH_SOCK;
  if (!socket) throw new ServiceError('ssh-failed', 'SSH agent authentication was chosen, but no agent is running (SSH_AUTH_SOCK is not set). Start ssh-agent or use a key file.');
  return socket;
}

function connectError(target: HostTarget, error: Error, pinned: string | undefined, seen: string): ServiceError {
  const where = `${target.user}@${target.address}:${target.port}`;
  if (pinned !== undefined && seen !== '' && pinned !== seen) {
    return new ServiceError('ssh-failed', `The host key of ${where} changed (pinned ${pinned}, offered ${seen}). If the host was reinstalled, remove its entry from known-hosts.json; otherwise do not deploy.`);
  }
  const level = (error as Error & { level?: string }).level;
  const hint = level === 'client-authentication' ? 'the key or agent was not accepted for this user' : error.message;
  return new ServiceError('ssh-failed', `Could not connect to ${where}: ${hint}.`);
}

/** Pinned host-key fingerprints, keyed by `address:port`. */
class KnownHosts {
  private readonly file: string;

  constructor(private readonly configDir: string) {
    this.file = join(configDir, 'known-hosts.json');
  }

  async get(hostId: string): Promise<string | undefined> {
    return (await this.read())[hostId];
  }

  async set(hostId: string, fingerprint: string): Promise<void> {
    const all = await this.read();
    all[hostId] = fingerprint;
    await mkdir(this.configDir, { recursive: true });
    await writeTextFileAtomic(this.file, JSON.stringify(all, null, 2) + '\n');
  }

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
}
