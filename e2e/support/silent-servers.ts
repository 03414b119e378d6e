import { createServer, type Server, type Socket } from 'node:net';

/** A loopback server of the test's own that accepts TCP and never says a word of SSH, and the connections it holds. */
export interface SilentServer {
  server: Server;
  port: number;
  sockets: Set<Socket>;
}

export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // Reads and drops what the client says: a socket left paused never sees the end behind its unread data.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}

/** The connections the servers hold open now: one a client dropped is gone as soon as its socket closes. */
export function openSockets(silent: readonly SilentServer[]): number {
  return silent.reduce((open, { sockets }) => open + sockets.size, 0);
}

export async function closeAll(silent: readonly SilentServer[]): Promise<void> {
  for (const { server, sockets } of silent) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
