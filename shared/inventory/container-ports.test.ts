import { describe, expect, it } from 'vitest';
import type { Workload } from './model';
import { containerPortsOf, withContainerPorts } from './container-ports';

// What `ovs-vsctl --format=json --columns=name,external_ids list Interface` prints.
const listed = JSON.stringify({
  headings: ['name', 'external_ids'],
  data: [
    ['veth1', ['map', [['container_id', 'web1'], ['container_iface', 'eth0']]]],
    ['veth2', ['map', [['container_id', 'app1']]]],
    ['br-lab', ['map', []]],
    ['vethother', ['map', [['container_id', 'db1']]]],
    ['veth3', ['map', [['container_id', 'twin']]]],
    ['veth4', ['map', [['container_id', 'twin']]]],
    ['7', ['map', [['container_id', 'numbered']]]],
  ],
});
const bridgePorts = new Set(['veth1', 'veth2', 'br-lab', 'veth3', 'veth4', '7']);

const workload = (name: string, host: string, kind: Workload['origin']['kind'] = 'docker', switchPort?: string): Workload => ({
  id: `${kind}:c/${name}`,
  name,
  host,
  addresses: ['10.0.0.1'],
  labels: {},
  ...(switchPort ? { switchPort } : {}),
  origin: { kind, source: 'c' },
});

describe('container ports read from a host switch', () => {
  it('takes the ports of the bridge that name a container, and says what it left out', () => {
    const read = containerPortsOf(listed, bridgePorts);
    expect(read.ports).toEqual([
      { port: 'veth1', container: 'web1' },
      { port: 'veth2', container: 'app1' },
    ]);
    expect(read.skipped).toEqual([expect.stringContaining('switch port "7" is a number'), 'container twin sits behind 2 ports (veth3, veth4); a guard binds one, so none is bound']);
  });

  it('refuses output that is no interface table', () => {
    expect(() => containerPortsOf('{"error":"no table"}', bridgePorts)).toThrow('ovs-vsctl printed no interface table');
  });

  it('binds Docker workloads by name on the host read, and leaves the rest alone', () => {
    const byHost = new Map([['vm', [{ port: 'veth1', container: 'web1' }]]]);
    const [docker, elsewhere, fromFile, given] = withContainerPorts(
      [workload('web1', 'vm'), workload('web1', 'other'), workload('web1', 'vm', 'static'), workload('web1', 'vm', 'docker', 'tap0')],
      byHost,
    );
    expect(docker?.switchPort).toBe('veth1');
    expect(elsewhere?.switchPort).toBeUndefined();
    expect(fromFile?.switchPort).toBeUndefined();
    expect(given?.switchPort).toBe('tap0');
  });
});
