import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTarget } from '@shared/api/contract';

/** A fresh RSA private key, PEM, for a client or an SSH server of a test's own. */
export function rsaKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'pkcs1', format: 'pem' } }).privateKey;
}

/** A loopback target `h1` with a key of its own, in a fresh folder that holds it and nothing else. */
export function loopbackTarget(port: number, host = 'h1'): { target: HostTarget; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'microseg-ssh-'));
  const keyPath = join(dir, 'id_rsa');
  writeFileSync(keyPath, rsaKey(), { mode: 0o600 });
  return { target: { host, address: '127.0.0.1', port, user: 'root', auth: { kind: 'key', keyPath }, bridge: 'br0' }, dir };
}

/** A loopback server that accepts TCP and never says a word of SSH. */
export interface SilentServer {
  port: number;
  /** Its first socket, once the client has greeted it. */
  first: Promise<Socket>;
  /** How many connections it holds open now. */
  open(): number;
  /** How many connections it has accepted in all. */
  accepted(): number;
}

/**
 * Silent servers on 127.0.0.1, and the sockets they accept: a client waits on one until its
 * ready timeout, unless something drops the connection. closeAll ends them all, so a test that
 * fails leaves nothing open.
 */
export class SilentServers {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();

  async start(): Promise<SilentServer> {
    let accept: (socket: Socket) => void = () => undefined;
    const first = new Promise<Socket>((resolve) => (accept = resolve));
    const mine = new Set<Socket>();
    let accepted = 0;
    const server = createServer((socket) => {
      accepted++;
      socket.on('error', () => undefined);
      // Reads and drops what the client says: a socket left paused never sees the end behind its unread data.
      socket.resume();
      for (const set of [mine, this.sockets]) set.add(socket);
      socket.on('close', () => mine.delete(socket));
      socket.once('data', () => accept(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the silent server has no port');
    return { port: address.port, first, open: () => mine.size, accepted: () => accepted };
  }

  async closeAll(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    for (const server of this.servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Resolves when `socket` closes: a silent server never closes one itself. */
export function closed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}
