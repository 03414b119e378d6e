import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '@shared/inventory/model';
import { emptyPolicy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import { afterEach, describe, expect, it } from 'vitest';
import { closed, loopbackTarget, SilentServers, type SilentServer } from '../testing/silent-ssh';
import { resolveAppPaths } from '../services/app-paths';
import { hostFileName } from '../services/host-file-name';
import { createLogger } from '../services/logger';
import { createServices } from '../services/services';
import { createHandlers, dispatch, type Handlers } from './handlers';

// Each request that talks to a host over SSH, stopped by `work:stop` while its host's server
// accepts and never speaks: the real services and openSshSession, through the handlers both doors
// call. Unstopped, each would wait for ssh2's 10 s ready timeout, past this test's own timeout.
// Then the long analyses (matrix, impact, replay), which a stop ends at their next slice.

const servers = new SilentServers();
afterEach(() => servers.closeAll());

/** The handlers of a fresh app home whose one host, h1, sits behind a silent server and has a backup to roll back to. */
async function silentHost(): Promise<{ handlers: Handlers; silent: SilentServer }> {
  const silent = await servers.start();
  const { target, dir } = loopbackTarget(silent.port);
  const services = createServices(resolveAppPaths(dir, dir), createLogger({ level: 'error' }), () => undefined);
  await services.hosts.save(target);
  mkdirSync(join(dir, 'data', 'backups'), { recursive: true });
  writeFileSync(join(dir, 'data', 'backups', hostFileName('h1', '.flows')), 'cookie=0x4d53000000000000, table=0, priority=0 actions=NORMAL\n');
  const handlers = createHandlers(services, { name: 'test', version: '0', transport: 'web', nativeDialogs: false, homeDir: dir });
  return { handlers, silent };
}

const inventory: Inventory = { readAt: 'x', workloads: [{ id: 's/w', name: 'w', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };

describe('work:stop', () => {
  it.each([
    ['deploy:rollbackPreview', { host: 'h1' }, { ok: false, error: { code: 'stopped', message: 'Stopped before the switch on h1 answered: nothing was rolled back, so it keeps its current flows.' } }],
    ['deploy:rollback', { host: 'h1' }, { ok: true, value: { host: 'h1', status: 'cancelled', message: 'Rollback stopped while connecting: nothing was sent, so the switch keeps its current flows.', flowCount: 0, durationMs: 0 } }],
    ['hosts:containerPorts', { host: 'h1' }, { ok: false, error: { code: 'stopped', message: 'The read of the switch ports on h1 was stopped before the switch answered.' } }],
    [
      'trace:switch',
      { host: 'h1', packet: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', dstPort: 80 }, state: 'new' },
      { ok: false, error: { code: 'stopped', message: 'The trace on the switch of h1 was stopped before the switch answered.' } },
    ],
  ])('ends %s at once: its connection to a silent server closes, and it says it was stopped', async (channel, args, stopped) => {
    const { handlers, silent } = await silentHost();
    const answer = dispatch(handlers, channel, { ...args, stopId: 'stop-1' });
    // An answer before the connection (a request refused) would leave nothing to stop: said at once, not at the test's timeout.
    const socket = await Promise.race([silent.first, answer.then((a) => Promise.reject(new Error(`answered before it connected: ${JSON.stringify(a)}`)))]);

    expect(await dispatch(handlers, 'work:stop', { stopId: 'stop-1' })).toEqual({ ok: true });
    expect(await answer).toEqual(stopped);
    await closed(socket);
  });

  it('stops a read whose stop came before it: it asks no host and lists the host unread', async () => {
    const { handlers, silent } = await silentHost();

    await dispatch(handlers, 'work:stop', { stopId: 'read-1' });
    const answer = await dispatch(handlers, 'analysis:impact', { policy: emptyPolicy('t'), inventory, against: { kind: 'deployed', hosts: ['h1'], stopId: 'read-1' } });

    expect(answer).toMatchObject({ ok: true, value: { unread: [{ host: 'h1', reason: 'the read was stopped before this host answered' }] } });
    expect(silent.accepted()).toBe(0);
  });

  it.each([
    ['analysis:matrix', () => ({}), () => 'The matrix was stopped before it was complete; nothing of it is shown.'],
    ['analysis:impact', (folder: string) => ({ against: { kind: 'file', path: join(folder, 'saved.yaml') } }), () => 'The impact was stopped before it was complete; nothing of it is shown.'],
    ['analysis:replay', (folder: string) => ({ path: join(folder, 'connections.csv') }), (folder: string) => `The replay of ${join(folder, 'connections.csv')} was stopped before it was complete; nothing of it is shown.`],
  ])('stops %s, and says that nothing of it is shown', async (channel, args, message) => {
    const { handlers } = await silentHost();
    const folder = mkdtempSync(join(tmpdir(), 'microseg-stop-'));
    writeFileSync(join(folder, 'connections.csv'), 'from,to,protocol,port\n10.0.0.1,10.0.0.2,tcp,80\n');
    writeFileSync(join(folder, 'saved.yaml'), serializePolicy(emptyPolicy('t')));
    const ask = { policy: emptyPolicy('t'), inventory, ...args(folder), stopId: `${channel}-1` };
    expect(await dispatch(handlers, channel, { ...ask, stopId: undefined })).toMatchObject({ ok: true });

    // Stopped first: the two doors' requests may overtake each other, and the analysis must start stopped.
    await dispatch(handlers, 'work:stop', { stopId: `${channel}-1` });
    expect(await dispatch(handlers, channel, ask)).toEqual({ ok: false, error: { code: 'stopped', message: message(folder) } });
  });
});
