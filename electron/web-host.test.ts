import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { emptyPolicy } from '@shared/policy/model';
import { loopbackTarget, SilentServers } from './testing/silent-ssh';
import { startWebHost, type WebHost } from './web-host';

// Talks to a real browser-mode host on an ephemeral loopback port.

let host: WebHost;
let base: URL;
let token: string;
const home = mkdtempSync(join(tmpdir(), 'microseg-web-'));

beforeAll(async () => {
  process.env.MICROSEG_HOME = home;
  const rendererDir = mkdtempSync(join(tmpdir(), 'microseg-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startWebHost({ port: 0, rendererDir, examplesDir: join(__dirname, '..', 'examples'), version: 'test' });
  base = new URL(host.url);
  token = new URLSearchParams(base.hash.slice(1)).get('token')!;
});

const silentServers = new SilentServers();

afterAll(async () => {
  await silentServers.closeAll();
  await host.close();
  delete process.env.MICROSEG_HOME;
});

function call(path: string, options: { headers?: Record<string, string>; body?: unknown; method?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: base.port, path, method: options.method ?? 'POST', headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('browser-mode host', () => {
  it('listens on loopback only and prints a URL with a token', () => {
    expect(base.hostname).toBe('127.0.0.1');
    expect(token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a request that carries the token', async () => {
    const res = await call('/api/app:info', { headers: auth(), body: { args: null } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: expect.objectContaining({ transport: 'web', nativeDialogs: false }) });
  });

  it('refuses a missing or wrong token', async () => {
    expect((await call('/api/app:info', { body: { args: null } })).status).toBe(403);
    expect((await call('/api/app:info', { headers: { authorization: 'Bearer nope' }, body: { args: null } })).status).toBe(403);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding, cross-site requests)', async () => {
    expect((await call('/api/app:info', { headers: { ...auth(), host: 'evil.example:80' }, body: { args: null } })).status).toBe(421);
    expect((await call('/api/app:info', { headers: { ...auth(), origin: 'http://evil.example' }, body: { args: null } })).status).toBe(403);
    expect((await call('/', { method: 'GET', headers: { host: 'evil.example' } })).status).toBe(421);
  });

  it('validates payloads and unknown channels, answering with data not crashes', async () => {
    const bad = JSON.parse((await call('/api/hosts:save', { headers: auth(), body: { args: { target: { host: 'h', address: 'a; rm -rf /', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' }, base: null } } })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(bad.error.message).toContain('address');
    const unknown = JSON.parse((await call('/api/shell:exec', { headers: auth(), body: { args: {} } })).body) as { ok: boolean };
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('answers malformed requests with 400 and survives an oversized event frame', async () => {
    const malformed = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: base.port, path: '/api/app:info', method: 'POST', headers: auth() }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{not json');
    });
    expect(malformed).toBe(400);
    expect((await call('/%', { method: 'GET' })).status).toBe(400);

    const socket = new WebSocket(`ws://127.0.0.1:${base.port}/api/events?token=${token}`, { headers: { origin: `http://127.0.0.1:${base.port}` } });
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.send('x'.repeat(5000));
    await closed;
    expect((await call('/api/app:info', { headers: auth(), body: { args: null } })).status).toBe(200);
  });

  it('serves the UI with a strict Content-Security-Policy and no path traversal', async () => {
    const index = await call('/', { method: 'GET' });
    expect(index.status).toBe(200);
    const traversal = await call('/..%2f..%2fetc%2fpasswd', { method: 'GET' });
    expect(traversal.status).toBe(404);
  });

  it('offers as examples only the folders holding a policy and its inventory, which open', async () => {
    const res = await call('/api/examples:list', { headers: auth(), body: { args: null } });
    const examples = (JSON.parse(res.body) as { value: { name: string }[] }).value;
    expect(examples.map((e) => e.name)).toEqual(['three-tier-shop']);
  });

  it('imports NetworkPolicy files into a design that policy:compile accepts, and exports it into a folder', async () => {
    const shop = join(__dirname, '..', 'examples', 'kubernetes-shop');
    const api = async <T>(channel: string, args: unknown): Promise<T> => {
      const answer = JSON.parse((await call(`/api/${channel}`, { headers: auth(), body: { args } })).body) as { ok: boolean; value: T; error?: unknown };
      expect(answer.error).toBeUndefined();
      return answer.value;
    };
    const imported = await api<{ policy: { name: string; groups: unknown[] } | null; diagnostics: unknown[] }>('kubernetes:import', { from: { kind: 'files', paths: [join(shop, 'networkpolicies.yaml')] } });
    expect(imported.policy?.name).toBe('networkpolicies');
    expect(imported.diagnostics).toEqual([]);

    const inventory = (await api<{ inventory: unknown }>('inventory:load', { sourceId: `static:${join(shop, 'inventory.yaml')}` })).inventory;
    // The import's selectors (namespaceLabels, exclude) and named ports must pass the payload check.
    const compiled = await api<{ compileId: string; hosts: { host: string; flowCount: number }[] }>('policy:compile', { policy: imported.policy, inventory });
    expect(compiled.hosts.map((h) => h.host)).toEqual(['node-1', 'node-2']);
    // A host's table and a trace come on request, as JSON like everything else.
    const table = await api<{ text: string }>('policy:hostTable', { compileId: compiled.compileId, host: 'node-1' });
    expect(table.text.split('\n').filter((l) => l.startsWith('cookie=')).length).toBe(compiled.hosts[0]!.flowCount);
    const trace = await api<{ verdict: string; hops: { host: string; trace: string }[]; decisions: unknown[] }>('trace:simulate', {
      compileId: compiled.compileId,
      from: { address: '10.244.1.11', host: 'node-1' },
      to: { address: '10.244.2.12', host: 'node-2' },
      packet: { protocol: 'tcp', dstPort: 80 },
      state: 'new',
    });
    expect(trace.hops[0]?.trace).toContain('── host node-1 ──');
    expect(trace.decisions.length).toBeGreaterThan(0);

    const folder = join(home, 'exported');
    const exported = await api<{ files: string[] }>('kubernetes:export', { policy: imported.policy, inventory, folder });
    expect(exported.files).toEqual([join(folder, 'monitoring.yaml'), join(folder, 'shop.yaml')]);
  });

  it('writes files atomically and reads them back', async () => {
    const path = join(home, 'policy.yaml');
    const write = JSON.parse((await call('/api/file:write', { headers: auth(), body: { args: { path, text: 'x: 1\n' } } })).body) as { ok: boolean };
    expect(write.ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('x: 1\n');
    const missing = JSON.parse((await call('/api/file:read', { headers: auth(), body: { args: { path: join(home, 'none.yaml') } } })).body) as { error: { code: string; message: string } };
    expect(missing.error).toMatchObject({ code: 'not-found' });
    expect(missing.error.message).toContain('none.yaml');
  });

  it('refuses to write a relative path, which would land wherever the host was started', async () => {
    const write = JSON.parse((await call('/api/file:write', { headers: auth(), body: { args: { path: 'ui9-relative.yaml', text: 'x: 1\n' } } })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(write).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(write.error.message).toContain('not a full path');
    const home = JSON.parse((await call('/api/file:write', { headers: auth(), body: { args: { path: '~/ui9.yaml', text: 'x: 1\n' } } })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(home).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(home.error.message).toContain(`"~" is not expanded to a home folder here (no shell reads the path), so it would name a folder called "~" wherever the Microseg service happens to run. Type the full path, e.g. ${homedir()}/ui9.yaml.`);
  });

  it('keeps the targets two tabs save at once, and answers a save from a stale target with conflict', async () => {
    const post = async (args: unknown): Promise<{ ok: boolean; value?: { targets: { host: string }[] }; error?: { code: string; message: string } }> =>
      JSON.parse((await call('/api/hosts:save', { headers: auth(), body: { args } })).body) as { ok: boolean };
    // Each host on a switch of its own, as a save requires.
    const tab = (host: string): Record<string, unknown> => ({ host, address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: `br-${host}` });

    const both = await Promise.all([post({ target: tab('two-tabs-a'), base: null }), post({ target: tab('two-tabs-b'), base: null })]);
    expect(both.map((r) => r.ok)).toEqual([true, true]);
    const listed = JSON.parse((await call('/api/hosts:list', { headers: auth(), body: { args: null } })).body) as { value: { targets: { host: string }[] } };
    expect(listed.value.targets.map((t) => t.host)).toEqual(expect.arrayContaining(['two-tabs-a', 'two-tabs-b']));

    const stale = await post({ target: { ...tab('two-tabs-a'), port: 2222 }, base: null });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(stale.error?.message).toContain('Host "two-tabs-a" was given an SSH target elsewhere');
    // A base that breaks the target rules (a hand edit) is only compared: the form can correct it.
    const damaged = await post({ target: { ...tab('two-tabs-b'), port: 2222 }, base: { ...tab('two-tabs-b'), bridge: 'br0;x' } });
    expect(damaged).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it("stops an impact's read of the hosts whose stop arrived first: the page's two requests may overtake each other", async () => {
    const silent = await silentServers.start();
    const { target } = loopbackTarget(silent.port, 'stop-first');
    const post = async (channel: string, args: unknown): Promise<unknown> => JSON.parse((await call(`/api/${channel}`, { headers: auth(), body: { args } })).body);
    expect(await post('hosts:save', { target, base: null })).toMatchObject({ ok: true });
    const inventory = { readAt: 'x', workloads: [{ id: 's/w', name: 'w', host: 'stop-first', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };

    expect(await post('work:stop', { stopId: 'read-1' })).toEqual({ ok: true });
    const impact = await post('analysis:impact', { policy: emptyPolicy('t'), inventory, against: { kind: 'deployed', hosts: ['stop-first'], stopId: 'read-1' } });

    expect(impact).toMatchObject({ ok: true, value: { unread: [{ host: 'stop-first', reason: 'the read was stopped before this host answered' }] } });
    expect(silent.accepted()).toBe(0);
  });
});
