import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import type { HostTarget } from '@shared/api/contract';
import { sshDestination } from '@shared/api/host-target-rules';
import { CancelledError } from './deploy-queue';
import { NotAFile, regularFileBytes } from './file-kind';
import { ioReason } from './io-advice';
import { ServiceError } from './service-error';
import { readAppFile, writeAppFile, type AppFile } from './app-file';

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
 *
 * When `signal` aborts before the session is ready, the connection is dropped at once and this
 * rejects with a CancelledError: a server that accepts and never speaks would otherwise hold its
 * socket until the ready timeout. Once the session is ready, the signal does nothing.
 */
export async function openSshSession(target: HostTarget, configDir: string, signal?: AbortSignal, timeoutMs = 10_000): Promise<SshSession> {
  const pins = new KnownHosts(configDir);
  const hostId = `${target.address}:${target.port}`;
  const pinned = await pins.get(hostId);
  let seenFingerprint = '';

  const config: ConnectConfig = {
    // Node's connect takes IPv6 bare: `[::1]` would be looked up as a host name, and not found.
    host: target.address.replace(/^\[(.*)\]$/, '$1'),
    port: target.port,
    username: target.user,
    readyTimeout: timeoutMs,
    // A connection that dies without a word (a host gone, a cable pulled) fails in about 30 s instead of never.
    keepaliveInterval: 10_000,
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer) => {
      seenFingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
      return pinned === undefined || pinned === seenFingerprint;
    },
  };
  if (target.auth.kind === 'key') config.privateKey = await readKey(target, target.auth.keyPath);
  else config.agent = agentSocket();

  const client = new Client();
  let cancel = (): void => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let connected = false;
      client.once('ready', () => {
        connected = true;
        resolve();
      });
      // ssh2 may emit more than one error (a handshake timeout, then the lost connection); an
      // unhandled one would take the whole process down, so this listener stays for good.
      client.on('error', (error) => {
        if (!connected) reject(connectError(target, error, pinned, seenFingerprint, pins.file));
      });
      // Rejected first, so that the lost-connection error destroy brings never takes its place. destroy,
      // not end: before the handshake there is nobody to say goodbye to, and end waits on the server to close.
      cancel = () => {
        reject(new CancelledError());
        client.destroy();
      };
      if (signal?.aborted) return cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        client.connect(config);
      } catch (error) {
        // ssh2 throws synchronously when the key file is not a key it can read.
        reject(new ServiceError('ssh-failed', `${target.auth.kind === 'key' ? target.auth.keyPath : 'The key'} is not a private key this app can use (${(error as Error).message}). Use an unencrypted OpenSSH or PEM private key, or the SSH agent for keys with a passphrase.`));
      }
    });
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  if (pinned === undefined) {
    // A pin that cannot be saved fails the session: its connection must not be left open.
    await pins.set(hostId, seenFingerprint).catch((error: unknown) => {
      client.end();
      throw error;
    });
  }

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

async function readKey(target: HostTarget, path: string): Promise<Buffer> {
  // People write key paths the way their shell does.
  const expanded = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
  const unreadable = (why: string): ServiceError => new ServiceError('ssh-failed', `Could not read the SSH private key ${path} of host "${target.host}": ${why}.`);
  let key: Buffer;
  try {
    key = await regularFileBytes(expanded);
  } catch (error) {
    if (error instanceof NotAFile) throw unreadable(`it is ${error.kind}, not a file; give the key file's path under Edit target`);
    throw unreadable((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist; correct the key path under Edit target' : ioReason(error, 'read', expanded));
  }
  // The key parser's word for an empty file is "unsupported key format", which sends people looking at formats.
  if (key.toString('utf8').trim() === '') throw new ServiceError('ssh-failed', `The SSH private key ${path} of host "${target.host}" is empty; give the path of the private key under Edit target.`);
  return key;
}

function agentSocket(): string {
  const socket = process.env.SSH_AUTH_SOCK;
  if (!socket) throw new ServiceError('ssh-failed', 'SSH agent authentication was chosen, but no agent is running (SSH_AUTH_SOCK is not set). Start ssh-agent or use a key file.');
  return socket;
}

function connectError(target: HostTarget, error: Error, pinned: string | undefined, seen: string, pinsFile: string): ServiceError {
  const where = sshDestination(target);
  if (pinned !== undefined && seen !== '' && pinned !== seen) {
    return new ServiceError('ssh-failed', `The host key of ${where} changed (pinned ${pinned}, offered ${seen}). If the host was reinstalled, remove its entry ("${target.address}:${target.port}") from ${pinsFile}; otherwise do not deploy.`);
  }
  const { level, code } = error as Error & { level?: string; code?: string };
  if (level === 'client-authentication') {
    const key = target.auth.kind === 'key' ? `the public half of ${target.auth.keyPath}` : "the agent's key";
    return new ServiceError('ssh-failed', `Could not connect to ${where}: the key or agent was not accepted for this user. Add ${key} to ${target.user}'s authorized_keys on that host, or choose the key that is there under Edit target.`);
  }
  const advice = code === undefined ? undefined : CONNECT_ADVICE[code];
  return new ServiceError('ssh-failed', `Could not connect to ${where}: ${error.message.replace(/\.$/, '')}.${advice === undefined ? '' : ` ${advice(target)}`}`);
}

/** What to do about the network errors a connection most often meets, by Node's error code. */
const CONNECT_ADVICE: Readonly<Record<string, (target: HostTarget) => string>> = {
  ECONNREFUSED: (t) => `Nothing accepts connections on port ${t.port} of ${t.address}: check that sshd runs there and listens on that address and port (Port field under Edit target), then try again.`,
  ECONNRESET: (t) => `The SSH server on ${t.address} port ${t.port} closed the connection before logging in: check its log there (sshd refusing new connections, a wrapper in front of it), then try again.`,
};

/** The last pin write queued per known-hosts file, which the next one waits for. */
const pinWrites = new Map<string, Promise<void>>();

/** Pinned host-key fingerprints, keyed by `address:port`. */
class KnownHosts {
  readonly file: string;
  private readonly appFile: AppFile;

  constructor(configDir: string) {
    this.file = join(configDir, 'known-hosts.json');
    this.appFile = { path: this.file, holds: 'The pinned host keys', thenDo: 'connect again to trust each host anew' };
  }

  async get(hostId: string): Promise<string | undefined> {
    return (await this.read())[hostId];
  }

  /**
   * Adds a pin. Pins to one file are written one after another: hosts of one deploy connect at
   * the same time, and each reading the file before the others wrote kept only its own pin.
   */
  async set(hostId: string, fingerprint: string): Promise<void> {
    const earlier = pinWrites.get(this.file) ?? Promise.resolve();
    const write = earlier.then(async () => {
      const all = await this.read();
      all[hostId] = fingerprint;
      await writeAppFile(this.appFile, JSON.stringify(all, null, 2) + '\n');
    });
    // The next pin waits for this one whether or not it was written; a failure is this caller's to hear.
    const settled = write.catch(() => undefined);
    pinWrites.set(this.file, settled);
    void settled.then(() => {
      if (pinWrites.get(this.file) === settled) pinWrites.delete(this.file);
    });
    return write;
  }

  private async read(): Promise<Record<string, string>> {
    // Only a missing file means no pins yet: one that cannot be read must not switch pinning off either.
    const text = await readAppFile(this.appFile);
    if (text === undefined) return {};
    // A damaged file must not silently switch pinning off either: it is said, with why.
    let why = 'it is empty';
    if (text.trim() !== '') {
      try {
        const pins = JSON.parse(text) as unknown;
        if (pins !== null && typeof pins === 'object' && !Array.isArray(pins)) return pins as Record<string, string>;
        why = 'it holds no JSON object';
      } catch (error) {
        why = (error as Error).message;
      }
    }
    throw new ServiceError('ssh-failed', `The pinned host keys in ${this.file} cannot be read (${why}). Repair the file (JSON: "address:port" → "SHA256:…") or delete it to trust hosts anew.`);
  }
}
