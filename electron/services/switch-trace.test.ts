import { describe, expect, it } from 'vitest';
import { FakeHosts, type Answer } from '../testing/fake-hosts';
import { ContainerPortService } from './container-ports';
import { SSH_LIMITS, SshLimiter } from './host-fanout';
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
