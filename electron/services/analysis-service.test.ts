import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatServices } from '@shared/analysis/service-set';
import { compilePolicy } from '@shared/compiler/compile';
import { formatFlow } from '@shared/compiler/flow';
import type { Inventory } from '@shared/inventory/model';
import { emptyPolicy } from '@shared/policy/model';
import { serializePolicy } from '@shared/policy/policy-file';
import { describe, expect, it, vi } from 'vitest';
import { FakeHosts } from '../testing/fake-hosts';
import { AnalysisService } from './analysis-service';
import { CompileService } from './compile-service';
import { SSH_LIMITS, SshLimiter } from './host-fanout';
import type { HostTargetStore } from './host-targets';
import { createLogger } from './logger';

/** The service behind the fake hosts (whose switches hold none of our flows), and one workload on each host. */
async function analysis(fleet: FakeHosts, withTargets = fleet.hosts): Promise<{ service: AnalysisService; inventory: Inventory; compiles: CompileService; targets: HostTargetStore }> {
  const { targets, configDir } = await fleet.targets(withTargets);
  const log = createLogger({ level: 'error' });
  const compiles = new CompileService(log);
  const service = new AnalysisService(targets, configDir, log, () => undefined, compiles, new SshLimiter(), fleet.openSession);
  const inventory: Inventory = {
    readAt: 'x',
    workloads: fleet.hosts.map((host, i) => ({ id: `s/w${i}`, name: `w${i}`, host, addresses: [`10.0.${i}.1`], labels: {}, origin: { kind: 'static', source: 's' } })),
  };
  return { service, inventory, compiles, targets };
}

describe('AnalysisService.impact against the deployed flows', () => {
  it(`reads the hosts' switches at most ${SSH_LIMITS.perOperation} at a time, and closes every session`, async () => {
    const fleet = new FakeHosts(20);
    const { service, inventory } = await analysis(fleet);

    const outcome = await service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts });

    expect(outcome.baseline).toBe(`the flows on ${fleet.hosts.join(', ')} now`);
    expect(fleet.mostOpen).toBe(SSH_LIMITS.perOperation);
    expect(fleet.asked).toEqual(fleet.hosts);
    expect(fleet.open).toBe(0);
  });

  it('reads hosts.json once, whatever the number of hosts', async () => {
    const fleet = new FakeHosts(5);
    const { service, inventory, targets } = await analysis(fleet);
    const reads = vi.spyOn(targets, 'list');

    await service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts });
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('lists a host that fails, with its server and why, and still reads the others', async () => {
    const refused = { code: 1, stdout: '', stderr: 'ovs-ofctl: br0 is not a bridge or a socket' };
    const fleet = new FakeHosts(3, (host) => (host === 'h01' ? refused : { code: 0, stdout: '', stderr: '' }));
    const { service, inventory } = await analysis(fleet);

    const outcome = await service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts });

    expect(outcome.unread).toEqual([{ host: 'h01', server: 'root@127.0.0.1:22001', reason:
          "Could not read the current flows on h01 (bridge br0): ovs-ofctl: br0 is not a bridge or a socket. The host's Open vSwitch has no bridge br0, or ovs-vswitchd is not running there: " +
          'check `ovs-vsctl list-br` on the host, and the bridge under Edit target.' }]);
    expect(fleet.asked).toEqual(fleet.hosts);
    expect(fleet.open).toBe(0);
  });

  it('its read stopped, answers with the hosts read so far: the others are unread, none further is asked, and every session closes', async () => {
    const fleet = new FakeHosts(20, undefined, () => true);
    const { service, inventory } = await analysis(fleet);
    const stop = new AbortController();
    const impact = service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts }, undefined, undefined, stop.signal);
    await vi.waitFor(() => expect(fleet.waiting).toHaveLength(SSH_LIMITS.perOperation));
    fleet.release('h00');
    await vi.waitFor(() => expect(fleet.waiting).toEqual(fleet.hosts.slice(1, SSH_LIMITS.perOperation + 1)));

    stop.abort();
    const outcome = await impact;

    expect(outcome.unread.map((u) => u.host)).toEqual(fleet.hosts.slice(1));
    expect(outcome.unread[0]).toEqual({ host: 'h01', server: 'root@127.0.0.1:22001', reason: 'the read was stopped before this host answered' });
    expect(fleet.asked).toEqual(fleet.hosts.slice(0, SSH_LIMITS.perOperation + 1));
    expect(fleet.open).toBe(0);
    // The stop reaches the sessions' connections too, so one still opening is dropped (see ssh-session.test.ts).
    for (const host of fleet.asked) expect(fleet.signals.get(host)?.aborted).toBe(true);
  });

  it('its read stopped right after it was asked, while the drawing is still compiled, asks no host and lists every one unread', async () => {
    const fleet = new FakeHosts(3);
    const { service, inventory } = await analysis(fleet);
    const stop = new AbortController();
    const impact = service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts }, undefined, undefined, stop.signal);

    stop.abort();
    const outcome = await impact;

    expect(outcome.unread.map((u) => [u.host, u.reason])).toEqual(fleet.hosts.map((h) => [h, 'the read was stopped before this host answered']));
    expect(fleet.asked).toEqual([]);
  });

  it('stopped itself while the hosts are read, ends saying so, with nothing of it answered, and every session closes', async () => {
    const fleet = new FakeHosts(20, undefined, () => true);
    const { service, inventory } = await analysis(fleet);
    const stop = new AbortController();
    const impact = service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts }, stop.signal).then(() => 'answered', (error: unknown) => error);
    await vi.waitFor(() => expect(fleet.waiting).toHaveLength(SSH_LIMITS.perOperation));

    stop.abort();

    expect(await impact).toMatchObject({ code: 'stopped', message: 'The impact was stopped before it was complete; nothing of it is shown.' });
    expect(fleet.asked).toEqual(fleet.hosts.slice(0, SSH_LIMITS.perOperation));
    expect(fleet.open).toBe(0);
  });

  it('answers, naming where it is, when a switch holds a flow under our cookie that passes traffic and that no policy writes', async () => {
    // What the switches run: the drawing's tables as compiled, and on h01 a flow made by hand.
    const hand = 'cookie=0x4d53000000000000, table=0, priority=150,tcp,tp_dst=22 actions=NORMAL';
    let compiled: ReadonlyMap<string, string[]> = new Map();
    const fleet = new FakeHosts(2, (host, command) => ({ code: 0, stdout: command.includes('dump-flows') ? [...(compiled.get(host) ?? []), ...(host === 'h01' ? [hand] : [])].join('\n') : '', stderr: '' }));
    const { service, inventory } = await analysis(fleet);
    const policy = emptyPolicy('t');
    compiled = new Map(compilePolicy(policy, inventory).hosts.map((h) => [h.host, h.flows.map(formatFlow)]));

    const { impact } = await service.impact(policy, inventory, { kind: 'deployed', hosts: fleet.hosts });

    expect(impact.unknownPasses).toEqual([{ host: 'h01', table: 0, priority: 150, match: 'tcp,tp_dst=22', cookie: '0x4d53000000000000' }]);
    // w1 is alone on h01: what the flow passes for it is to and from outside addresses.
    expect(impact.entries.map((e) => `${e.from} → ${e.to}: -${formatServices(e.newlyBlocked)}`)).toEqual(['(no group) w1 → (outside): -tcp/22', '(outside) → (no group) w1: -tcp/22']);
  });

  it('fails for a host without an SSH target before any session opens', async () => {
    const fleet = new FakeHosts(12);
    const { service, inventory } = await analysis(fleet, fleet.hosts.filter((h) => h !== 'h10'));

    await expect(service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts })).rejects.toThrow('Host "h10" has no SSH target');
    expect(fleet.asked).toEqual([]);
  });
});

describe('AnalysisService.matrix, impact and replay, stopped while they wait for the compile of the drawing', () => {
  const folder = mkdtempSync(join(tmpdir(), 'microseg-analysis-'));
  const log = join(folder, 'connections.csv');
  writeFileSync(log, 'from,to,protocol,port\n10.0.0.1,10.0.1.1,tcp,80\n');
  const saved = join(folder, 'saved.yaml');
  writeFileSync(saved, serializePolicy(emptyPolicy('t')));

  it.each([
    ['matrix', (service: AnalysisService, inventory: Inventory, stop?: AbortSignal) => service.matrix(emptyPolicy('t'), inventory, stop), 'The matrix was stopped before it was complete; nothing of it is shown.'],
    ['impact', (service: AnalysisService, inventory: Inventory, stop?: AbortSignal) => service.impact(emptyPolicy('t'), inventory, { kind: 'file', path: saved }, stop), 'The impact was stopped before it was complete; nothing of it is shown.'],
    ['replay', (service: AnalysisService, inventory: Inventory, stop?: AbortSignal) => service.replay(emptyPolicy('t'), inventory, log, stop), `The replay of ${log} was stopped before it was complete; nothing of it is shown.`],
  ])('%s: ends at once, saying it was stopped, while the compile goes on for another asker', async (_, analyse, message) => {
    const { service, inventory, compiles } = await analysis(new FakeHosts(2));
    // The preview compiled this drawing; loading its tables for the simulator is under way until the test finishes it.
    compiles.compile(emptyPolicy('t'), inventory);
    const load = compiles.loadedTables.bind(compiles);
    let finishLoad = (): void => undefined;
    const underWay = new Promise<void>((resolve) => (finishLoad = resolve));
    const waits = vi.spyOn(compiles, 'loadedTables').mockImplementation(async (...args) => {
      await underWay;
      return load(...args);
    });
    const stop = new AbortController();
    const stopped = analyse(service, inventory, stop.signal).then(() => 'finished', (error: unknown) => error);
    const other = analyse(service, inventory);
    await vi.waitFor(() => expect(waits).toHaveBeenCalledTimes(2));

    stop.abort();
    // Answered before anything else the process waits for runs, the load included.
    const first = await Promise.race([stopped, new Promise((resolve) => setImmediate(() => resolve('still waiting for the compile')))]);
    finishLoad();

    expect(first).toMatchObject({ code: 'stopped', message });
    expect(await other).toMatchObject({ durationMs: expect.any(Number) });
  });
});

describe('AnalysisService.replay of a log without a connection', () => {
  it('says which file, in its role, why, and what to give instead, as the command line does', async () => {
    const { service, inventory } = await analysis(new FakeHosts(1));
    const empty = join(mkdtempSync(join(tmpdir(), 'microseg-analysis-')), 'connections.csv');
    writeFileSync(empty, 'from,to,protocol,port\n');
    await expect(service.replay(emptyPolicy('t'), inventory, empty)).rejects.toMatchObject({
      code: 'bad-request',
      message: `The connection log ${empty} holds no connection (it is empty, or holds only a header row or comments): give a log with the header row from,to,protocol,port and a line per connection.`,
    });
  });
});

describe('AnalysisService.impact against a saved version', () => {
  it('places the errors of a saved version that does not compile in its file, rather than in Problems, which lists the drawing', async () => {
    const { service, inventory } = await analysis(new FakeHosts(1));
    const saved = join(mkdtempSync(join(tmpdir(), 'microseg-analysis-saved-')), 'older.yaml');
    const older = { ...emptyPolicy('older'), defaults: { withinGroup: 'allow' as const, betweenGroups: 'redirect' as const, redirectTo: 'no-such-honeypot' } };
    writeFileSync(saved, serializePolicy(older));

    await expect(service.impact(emptyPolicy('t'), inventory, { kind: 'file', path: saved })).rejects.toMatchObject({
      code: 'bad-request',
      message: `${saved} has errors for this inventory; fix them in that file, or compare with another version.`,
      detail: expect.stringMatching(new RegExp(`^${saved.replace(/[.]/g, '\\.')}:\\d+:\\d+: error MS133: `)),
    });
  });
});
