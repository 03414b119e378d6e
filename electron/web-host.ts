import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { homedir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvents } from '@shared/api/contract';
import { createHandlers, dispatch } from './api/handlers';
import { resolveAppPaths } from './services/app-paths';
import { createLogger } from './services/logger';
import { createServices } from './services/services';
import { CONTENT_SECURITY_POLICY } from './window-security';

// Browser mode: the same services as the Electron main process, behind a local HTTP + WebSocket
// door. It binds 127.0.0.1 only, requires a per-start random token on every API call, and
// refuses foreign Host and Origin headers so other web pages (DNS rebinding, CSRF) get nothing.

const MAX_BODY = 64 * 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

export interface WebHost {
  url: string;
  close(): Promise<void>;
}

/** Starts the browser-mode host; resolves once it listens. */
export async function startWebHost(options: { port?: number; rendererDir: string; examplesDir: string; version: string }): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const log = createLogger({ scope: 'web' });
  const sockets = new Set<WebSocket>();
  const emit = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void => {
    const message = JSON.stringify({ event, payload });
    for (const socket of sockets) socket.send(message);
  };
  const services = createServices(resolveAppPaths(options.examplesDir), log, emit);
  const handlers = createHandlers(services, { name: 'Microseg Designer', version: options.version, transport: 'web', nativeDialogs: false, homeDir: homedir() });
  const rendererDir = resolve(options.rendererDir);

  let allowedHosts: string[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log.error('request failed', { url: req.url, error: String(error) });
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error; see the host log.');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.includes(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Unknown Host header.');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Use POST.');
      if (!originAllowed(req) || !tokenMatches(bearer(req), token)) return send(res, 403, 'application/json', JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'Missing or wrong token: open the URL the host printed.' } }));
      const request = parseApiRequest(url.pathname, await readBody(req));
      if (!request) return send(res, 400, 'application/json', JSON.stringify({ ok: false, error: { code: 'bad-request', message: 'Malformed request: the body must be JSON {"args": …} and the path /api/area:verb.' } }));
      const { channel, args } = request;
      log.debug('request', { channel });
      return send(res, 200, 'application/json', JSON.stringify(await dispatch(handlers, channel, args)));
    }
    return serveStatic(url.pathname, res);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const decoded = safeDecode(pathname === '/' ? '/index.html' : pathname);
    if (decoded === null) return send(res, 400, 'text/plain', 'Malformed path.');
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    const file = join(rendererDir, relative);
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'text/plain', 'Not found.');
    try {
      const content = await readFile(file);
      return send(res, 200, MIME[extname(file)] ?? 'application/octet-stream', content);
    } catch {
      return send(res, 404, 'text/plain', 'Not found. Was the renderer built (npm run build)?');
    }
  }

  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || allowedHosts.some((h) => origin === `http://${h}`);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === '/api/events' && allowedHosts.includes(req.headers.host ?? '') && originAllowed(req) && tokenMatches(url.searchParams.get('token'), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // The channel only carries events to the page; anything the page sends (an oversized
      // frame, say) ends that socket, never the host.
      ws.on('error', () => ws.terminate());
    });
  });

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const url = `http://127.0.0.1:${port}/#token=${token}`;
  log.info('browser-mode host listening', { port });

  return {
    url,
    close: () =>
      new Promise((done) => {
        // Watches on clusters end with the host; nothing keeps a connection open after it.
        void services.inventory.shutdown();
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => done());
        // A browser keeps idle keep-alive connections open; they would hold close() for a minute.
        server.closeAllConnections();
      }),
  };
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The channel and arguments of an API call, or null when the path or body is malformed. */
function parseApiRequest(pathname: string, body: string): { channel: string; args: unknown } | null {
  const channel = safeDecode(pathname.slice('/api/'.length));
  if (channel === null) return null;
  if (body === '') return { channel, args: null };
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed !== null && typeof parsed === 'object' ? { channel, args: (parsed as { args?: unknown }).args ?? null } : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        fail(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
