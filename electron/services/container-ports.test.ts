import { describe, expect, it } from 'vitest';
import { FakeHosts, type Answer } from '../testing/fake-hosts';
import { ContainerPortService } from './container-ports';
import { SSH_LIMITS, SshLimiter } from './host-fanout';
import { createLogger } from './logger';

/** Each host's bridge has one port, veth-HOST, that ovs-docker recorded container c-HOST behind; h05's OVS is not running. */
const ovsDocker: Answer = (host, command) => {
  if (host === 'h05') return { code: 1, stdout: '', stderr: 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed' };
  if (command.includes('list-ports')) return { code: 0, stdout: `veth-${host}\n`, stderr: '' };
  const table = { headings: ['name', 'external_ids'], data: [[`veth-${host}`, ['map', [['container_id', `c-${host}`]]]]] };
  return { code: 0, stdout: JSON.stringify(table), stderr: '' };
};

describe('ContainerPortService', () => {
  it(`reads at most ${SSH_LIMITS.perOperation} hosts at once when asked for many together, each read with its own answer`, async () => {
    const fleet = new FakeHosts(20, ovsDocker);
    const { targets, configDir } = await fleet.targets();
    const service = new ContainerPortService(targets, configDir, createLogger({ level: 'error' }), new SshLimiter(), fleet.openSession);

    // As the inventory store does after a Docker read: every remembered host at once, each its own request.
    const reads = await Promise.all(fleet.hosts.map((host) => service.read(host).catch((e: Error) => e.message)));

    expect(reads).toEqual(
      fleet.hosts.map((host) =>
        host === 'h05'
          ? "Could not list the bridge's ports on h05 (bridge br0): ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed."
          : { host, ports: [{ port: `veth-${host}`, container: `c-${host}` }], skipped: [] },
      ),
    );
    expect(fleet.mostOpen).toBe(SSH_LIMITS.perOperation);
    // Requests reach the queue as their targets are read, in no set order.
    expect([...fleet.asked].sort()).toEqual(fleet.hosts);
    expect(fleet.open).toBe(0);
  });
});
