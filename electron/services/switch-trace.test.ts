import { describe, expect, it } from 'vitest';
import { FakeHosts, type Answer } from '../testing/fake-hosts';
import { ContainerPortService } from './container-ports';
import { SSH_CONCURRENCY, SshSlots } from './host-fanout';
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
  it(`shares its ${SSH_CONCURRENCY} sessions at once with the port reads, each trace with its own answer`, async () => {
    const fleet = new FakeHosts(12, answer);
    const { targets, configDir } = await fleet.targets();
    const log = createLogger({ level: 'error' });
    const slots = new SshSlots();
    const traces = new SwitchTraceService(targets, configDir, log, slots, fleet.openSession);
    const ports = new ContainerPortService(targets, configDir, log, slots, fleet.openSession);

    // Every hop's switch asked at once, while the ports of every host are read again.
    const [traced] = await Promise.all([
      Promise.all(fleet.hosts.map((host) => traces.trace(host, packet, 'new').then((t) => `${t.host} ${t.verdict}`, (e: Error) => e.message))),
      Promise.all(fleet.hosts.filter((h) => h !== 'h02').map((host) => ports.read(host))),
    ]);

    expect(traced).toEqual(fleet.hosts.map((h) => (h === 'h02' ? 'ofproto/trace failed on h02 (bridge br0): ovs-appctl: no bridge named br0.' : `${h} dropped`)));
    expect(fleet.mostOpen).toBe(SSH_CONCURRENCY);
    expect(fleet.asked).toHaveLength(23);
    expect(fleet.open).toBe(0);
  });
});
