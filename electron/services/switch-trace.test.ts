import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeHosts, type Answer } from '../testing/fake-hosts';
import { ContainerPortService } from './container-ports';
import { SSH_LIMITS, SshLimiter } from './host-fanout';
import type { HostTargetStore } from './host-targets';
import { createLogger } from './logger';
import { SwitchTraceService } from './switch-trace';

/** Switches that drop the traced packet and have no container ports; h02's has no bridge br0. */
const answer: Answer = (host, command) => {
  if (host === 'h02') return { code: 2, stdout: '', stderr: 'ovs-appctl: no bridge named br0' };
  if (command.startsWith('ovs-appctl ofproto/trace')) return { code: 0, stdout: 'Flow: ...\nDatapath actions: drop\n', stderr: '' };
  if (command.includes('list-ports')) return { code: 0, stdout: '', stderr: '' };
  return { code: 0, stdout: JSON.stringify({ headings: ['name', 'external_ids'], data: [] }), stderr: '' };
};

const packet = { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', dstPort: 443 } as const;

describe('SwitchTraceService', () => {
  it("shares the process's sessions with the port reads, each trace with its own answer", async () => {
    const fleet = new FakeHosts(12, answer);
    const { targets, configDir } = await fleet.targets();
    const log = createLogger({ level: 'error' });
    const sessions = new SshLimiter();
    const traces = new SwitchTraceService(targets, configDir, log, sessions, fleet.openSession);
    const ports = new ContainerPortService(targets, configDir, log, sessions, fleet.openSession);

    // Every hop's switch asked at once, while the ports of every host are read again.
    const [traced] = await Promise.all([
      Promise.all(fleet.hosts.map((host) => traces.trace(host, packet, 'new').then((t) => `${t.host} ${t.verdict}`, (e: Error) => e.message))),
      Promise.all(fleet.hosts.filter((h) => h !== 'h02').map((host) => ports.read(host))),
    ]);

    expect(traced).toEqual(fleet.hosts.map((h) => (h === 'h02' ? 'ofproto/trace failed on h02 (bridge br0): ovs-appctl: no bridge named br0.' : `${h} dropped`)));
    // Each an operation of its own, each within its own limit, as one host's trace and port read
    // can be together. How many were open at once at the peak depends on how fast the fake hosts
    // answer (14 on a loaded machine): only the limits are certain; host-fanout.test.ts holds
    // the sharing itself to exact counts.
    expect(fleet.mostOpen).toBeLessThanOrEqual(2 * SSH_LIMITS.perOperation);
    expect(fleet.mostOpenOnOneHost).toBeLessThanOrEqual(SSH_LIMITS.perServer);
    expect(fleet.asked).toHaveLength(23);
    expect(fleet.open).toBe(0);
  });
});

describe('SwitchTraceService, asked about an ICMP message', () => {
  it('asks the switch about its type and code, code 0 when none is given', async () => {
    const traced: string[] = [];
    const fleet = new FakeHosts(1, (host, command) => {
      if (command.startsWith('ovs-appctl ofproto/trace')) traced.push(command);
      return answer(host, command);
    });
    const { targets, configDir } = await fleet.targets();
    const traces = new SwitchTraceService(targets, configDir, createLogger({ level: 'error' }), new SshLimiter(), fleet.openSession);

    await traces.trace('h00', { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'icmp', icmpType: 3, icmpCode: 4 }, 'new');
    await traces.trace('h00', { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'icmp', icmpType: 8 }, 'new');

    expect(traced).toHaveLength(2);
    expect(traced[0]).toContain('icmp_type=3,icmp_code=4');
    expect(traced[1]).toContain('icmp_type=8,icmp_code=0');
  });
});

/** A limiter of one session per operation, which notes the hosts whose work is put in its queue. */
function oneAtATime(): { sessions: SshLimiter; queued: string[] } {
  const sessions = new SshLimiter({ perServer: 2, perOperation: 1, total: 16 });
  const queued: string[] = [];
  const operation = sessions.operation.bind(sessions);
  vi.spyOn(sessions, 'operation').mockImplementation((signal) => {
    const inner = operation(signal);
    return { run: (target, work, options) => (queued.push(target.host), inner.run(target, work, options)) };
  });
  return { sessions, queued };
}

type Ask = (host: string, stop?: AbortSignal) => Promise<unknown>;

describe('a switch trace or port read stopped while it waits for its turn', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [
      'trace',
      (targets: HostTargetStore, configDir: string, sessions: SshLimiter, fleet: FakeHosts): Ask => {
        const traces = new SwitchTraceService(targets, configDir, createLogger({ level: 'info', scope: 'trace' }), sessions, fleet.openSession);
        return (host, stop) => traces.trace(host, packet, 'new', stop);
      },
      'The trace on the switch of h01 was stopped before the switch answered.',
      ' info trace switch trace stopped host=h01 while="waiting for an SSH session"\n',
    ],
    [
      'port read',
      (targets: HostTargetStore, configDir: string, sessions: SshLimiter, fleet: FakeHosts): Ask => {
        const ports = new ContainerPortService(targets, configDir, createLogger({ level: 'info', scope: 'ports' }), sessions, fleet.openSession);
        return (host, stop) => ports.read(host, stop);
      },
      'The read of the switch ports on h01 was stopped before the switch answered.',
      ' info ports container ports read stopped host=h01 while="waiting for an SSH session"\n',
    ],
  ])('%s: leaves the queue at once, says it was stopped, logs it, and its host is never asked', async (_, service, message, logLine) => {
    const logged: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => logged.push(String(line)) > 0);
    const fleet = new FakeHosts(2, answer, (host) => host === 'h00');
    const { targets, configDir } = await fleet.targets();
    const { sessions, queued } = oneAtATime();
    const ask = service(targets, configDir, sessions, fleet);
    const first = ask('h00');
    await vi.waitFor(() => expect(fleet.waiting).toEqual(['h00']));
    const stop = new AbortController();
    const stopped = ask('h01', stop.signal).catch((e: Error) => e.message);
    await vi.waitFor(() => expect(queued).toEqual(['h00', 'h01']));

    stop.abort();
    // Answered without waiting for its turn, which comes only when h00's switch answers.
    expect(await Promise.race([stopped, new Promise((resolve) => setTimeout(() => resolve('still queued'), 0))])).toBe(message);
    fleet.release('h00');
    await first;

    expect(fleet.asked).toEqual(['h00']);
    // As a stopped deploy or rollback is: the process's log says what was stopped, and at which step.
    expect(logged.filter((line) => line.includes('stopped')).map((line) => line.replace(/^\S+/, ''))).toEqual([logLine]);
  });
});
