import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Server as SshServer } from 'ssh2';
import type { HostTarget } from '@shared/api/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closed, loopbackTarget as keyedTarget, rsaKey, SilentServers } from '../testing/silent-ssh';
import { CancelledError } from './deploy-queue';
import { openSshSession } from './ssh-session';

// The tests run as root, whom no folder's mode refuses: a refused write comes from this double.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return { ...real, writeFile: vi.fn(real.writeFile) };
});

/** ssh2 starts no ready timer at 0: only the abort can end a wait on a silent server. */
const NO_READY_TIMEOUT = 0;

/** Servers the test started: a test that fails must not leave them open. */
const silentServers = new SilentServers();
const listening: SshServer[] = [];
afterEach(async () => {
  await silentServers.closeAll();
  for (const server of listening.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A loopback target with a key of its own, and a config directory for its pinned host key. */
function loopbackTarget(port: number): { target: HostTarget; configDir: string } {
  const { target, dir } = keyedTarget(port);
  return { target, configDir: join(dir, 'config') };
}

async function listen(server: SshServer, on = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, on, resolve));
  listening.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  return address.port;
}

describe('openSshSession with an abort signal', () => {
  it('drops the connection to a silent server as soon as the signal aborts, and rejects as cancelled', async () => {
    const silent = await silentServers.start();
    const { target, configDir } = loopbackTarget(silent.port);
    const stop = new AbortController();
    const opening = openSshSession(target, configDir, stop.signal, NO_READY_TIMEOUT);
    const socket = await silent.first;

    stop.abort();

    await expect(opening).rejects.toBeInstanceOf(CancelledError);
    // Without the abort ending it, nothing would ever close this socket.
    await closed(socket);
  });

  it('rejects as cancelled without connecting when the signal has aborted already', async () => {
    const silent = await silentServers.start();
    const { target, configDir } = loopbackTarget(silent.port);

    await expect(openSshSession(target, configDir, AbortSignal.abort(), NO_READY_TIMEOUT)).rejects.toBeInstanceOf(CancelledError);
  });

  it('leaves a session that is ready alone: an abort after it opened changes nothing', async () => {
    // A real SSH server of the test's own that lets anyone in and answers every command with "ok".
    const server = new SshServer({ hostKeys: [rsaKey()] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (context) => context.accept());
      client.on('session', (acceptSession) => {
        acceptSession().on('exec', (acceptExec) => {
          const stream = acceptExec();
          stream.write('ok\n');
          stream.exit(0);
          stream.end();
        });
      });
    });
    const { target, configDir } = loopbackTarget(await listen(server));
    const stop = new AbortController();
    const session = await openSshSession(target, configDir, stop.signal, NO_READY_TIMEOUT);

    stop.abort();

    try {
      expect(await session.run('ovs-ofctl --version')).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
    } finally {
      session.close();
    }
  });
});

describe('openSshSession pinning host keys', () => {
  it('keeps the pin of every host when several connect for the first time at once, as a deploy does', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 4; i++) ports.push(await listen(openServer()));
    const { target, configDir } = loopbackTarget(ports[0]!);

    const sessions = await Promise.all(ports.map((port) => openSshSession({ ...target, port }, configDir)));
    for (const session of sessions) session.close();

    const pins = JSON.parse(readFileSync(join(configDir, 'known-hosts.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(pins).sort()).toEqual(ports.map((port) => `127.0.0.1:${port}`).sort());
  });

  // A review's defect: a pin that could not be saved gave the advice for a file the user names.
  it('says which file a pin could not be saved in, why, and what to do about its folder', async () => {
    const port = await listen(openServer());
    const { target, configDir } = loopbackTarget(port);
    vi.mocked(writeFile).mockRejectedValueOnce(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }));

    await expect(openSshSession(target, configDir)).rejects.toThrow(
      `The pinned host keys cannot be saved in ${join(configDir, 'known-hosts.json')}: the file system holding ${configDir} is read-only (EROFS); remount it writable, then try again.`,
    );
  });

  it('refuses a host whose key changed, naming the pins file to correct and the entry in it', async () => {
    const port = await listen(openServer());
    const { target, configDir } = loopbackTarget(port);
    mkdirSync(configDir, { recursive: true });
    const pinsFile = join(configDir, 'known-hosts.json');
    writeFileSync(pinsFile, JSON.stringify({ [`127.0.0.1:${port}`]: 'SHA256:an-older-key' }));

    await expect(openSshSession(target, configDir)).rejects.toThrow(`remove its entry ("127.0.0.1:${port}") from ${pinsFile}; otherwise do not deploy`);
  });
});

describe('openSshSession with key and pin files that cannot be used', () => {
  // No server is needed: each of these fails before a connection is tried.
  const UNUSED_PORT = 1;

  it('says in plain words that the key path is missing, a folder, or an empty file, and where to correct it', async () => {
    const { target, configDir } = loopbackTarget(UNUSED_PORT);
    const keyPath = (target.auth as { keyPath: string }).keyPath;
    const withKey = (path: string): HostTarget => ({ ...target, auth: { kind: 'key', keyPath: path } });
    await expect(openSshSession(withKey(`${keyPath}.gone`), configDir)).rejects.toThrow(`Could not read the SSH private key ${keyPath}.gone of host "h1": it does not exist; correct the key path under Edit target.`);
    await expect(openSshSession(withKey(dirname(keyPath)), configDir)).rejects.toThrow(`Could not read the SSH private key ${dirname(keyPath)} of host "h1": it is a folder, not a file; give the key file's path under Edit target.`);
    // A named pipe would hold the read until someone writes to it: refused before it is opened.
    const pipe = `${keyPath}.pipe`;
    execFileSync('mkfifo', [pipe]);
    await expect(openSshSession(withKey(pipe), configDir)).rejects.toThrow(`Could not read the SSH private key ${pipe} of host "h1": it is a named pipe, not a file; give the key file's path under Edit target.`);
    writeFileSync(keyPath, '\n');
    await expect(openSshSession(target, configDir)).rejects.toThrow(`The SSH private key ${keyPath} of host "h1" is empty; give the path of the private key under Edit target.`);
  });

  // QA's defect: a pins file that could not be read counted as no pins, so every host key was trusted.
  it('refuses to connect when the pinned host keys cannot be read, rather than trust any key', async () => {
    const { target, configDir } = loopbackTarget(UNUSED_PORT);
    const pinsFile = join(configDir, 'known-hosts.json');
    mkdirSync(pinsFile, { recursive: true });
    await expect(openSshSession(target, configDir)).rejects.toThrow(`The pinned host keys in ${pinsFile} cannot be read: it is a folder, not a file; move it away and connect again to trust each host anew.`);
  });

  it('says why damaged pinned host keys cannot be read: empty, or not the JSON object they are kept as', async () => {
    const { target, configDir } = loopbackTarget(UNUSED_PORT);
    const pinsFile = join(configDir, 'known-hosts.json');
    mkdirSync(configDir, { recursive: true });
    const advice = 'Repair the file (JSON: "address:port" → "SHA256:…") or delete it to trust hosts anew.';
    writeFileSync(pinsFile, '\n');
    await expect(openSshSession(target, configDir)).rejects.toThrow(`The pinned host keys in ${pinsFile} cannot be read (it is empty). ${advice}`);
    writeFileSync(pinsFile, '["127.0.0.1:22"]\n');
    await expect(openSshSession(target, configDir)).rejects.toThrow(`The pinned host keys in ${pinsFile} cannot be read (it holds no JSON object). ${advice}`);
  });
});

describe('openSshSession to an IPv6 address', () => {
  it('connects to an address written in brackets, as the host target form takes it', async () => {
    const port = await listen(openServer(), '::1');
    const { target, configDir } = loopbackTarget(port);

    const session = await openSshSession({ ...target, address: '[::1]' }, configDir);
    session.close();

    // Pinned as the target spells it, which is how the next connection looks the pin up.
    expect(Object.keys(JSON.parse(readFileSync(join(configDir, 'known-hosts.json'), 'utf8')) as object)).toEqual([`[::1]:${port}`]);
  });
});

describe('openSshSession failing to connect', () => {
  it('says what to do when nothing listens on the port', async () => {
    // A port that was just free: its server is closed before the connection is tried.
    const port = await listen(openServer());
    await new Promise<void>((resolve) => listening.pop()!.close(() => resolve()));
    const { target, configDir } = loopbackTarget(port);

    await expect(openSshSession(target, configDir)).rejects.toThrow(
      `Could not connect to root@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}. Nothing accepts connections on port ${port} of 127.0.0.1: check that sshd runs there`,
    );
  });

  it('says where to look when the server drops the connection before logging in', async () => {
    const server = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const { target, configDir } = loopbackTarget(port);

    try {
      await expect(openSshSession(target, configDir)).rejects.toThrow(`The SSH server on 127.0.0.1 port ${port} closed the connection before logging in: check its log there`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('says which key to install where when the server does not accept it', async () => {
    const server = new SshServer({ hostKeys: [rsaKey()] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (context) => context.reject());
    });
    const { target, configDir } = loopbackTarget(await listen(server));
    const keyPath = target.auth.kind === 'key' ? target.auth.keyPath : '';

    await expect(openSshSession(target, configDir)).rejects.toThrow(`the key or agent was not accepted for this user. Add the public half of ${keyPath} to root's authorized_keys on that host`);
  });
});

/** An SSH server of the test's own, with a host key of its own, that lets anyone in. */
function openServer(): SshServer {
  return new SshServer({ hostKeys: [rsaKey()] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (context) => context.accept());
  });
}
