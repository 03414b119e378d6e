import { describe, expect, it } from 'vitest';
import type { Workload } from '@shared/inventory/model';
import type { Policy, Service } from '@shared/policy/model';
import type { PathEnd } from '@shared/simulator/path';
import { REQUEST_SCHEMAS } from './request-schemas';

// Every field the model has, set: a field added to Workload or PathEnd fails to type-check here
// until the request schemas, which refuse keys they do not know, are taught it too.
const workload: Required<Workload> = {
  id: 'static:servers.yaml/web1',
  name: 'web1',
  host: 'h1',
  addresses: ['10.0.0.1'],
  mac: '02:42:0a:00:00:01',
  switchPort: 'veth-web1',
  labels: { tier: 'web' },
  image: 'nginx:1',
  namespace: 'shop',
  namespaceLabels: { env: 'prod' },
  ports: [{ name: 'http', port: 80, protocol: 'tcp' }],
  owner: { kind: 'Deployment', name: 'web' },
  composeService: 'web',
  state: 'running',
  origin: { kind: 'static', source: 'servers.yaml', entry: { line: 4, column: 5, path: 'workloads.0' } },
};
const policy: Policy = { apiVersion: 'microseg.dev/v1', name: 'p', revision: 1, defaults: { withinGroup: 'allow', betweenGroups: 'drop' }, groups: [], edges: [] };
const end: Required<PathEnd> = { address: '10.0.0.1', host: 'h1', port: 'veth-web1' };

describe('the request schemas', () => {
  it('take a workload with every field the model has', () => {
    const parsed = REQUEST_SCHEMAS['policy:compile'].safeParse({ policy, inventory: { readAt: 'now', workloads: [workload] } });
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('take the services an edge may name, each number within its own bounds', () => {
    const compile = (services: Service[]) =>
      REQUEST_SCHEMAS['policy:compile'].safeParse({ policy: { ...policy, edges: [{ id: 'e', from: 'a', to: 'b', services, action: 'allow' }] }, inventory: { readAt: 'now', workloads: [] } });
    // Every field the model has: one added to Service fails to type-check here until the schema is taught it.
    const everyField: Required<Service> = { protocol: 'tcp', ports: { from: 8000, to: 8100 }, portName: 'http', icmpCodes: { from: 0, to: 4 } };
    expect(compile([everyField]).error?.issues ?? []).toEqual([]);
    expect(compile([{ protocol: 'icmp', ports: { from: 0, to: 8 } }, { protocol: 'icmp', ports: { from: 3, to: 3 }, icmpCodes: { from: 4, to: 4 } }]).error?.issues ?? []).toEqual([]);
    expect(compile([{ protocol: 'icmp', ports: { from: 3, to: 3 }, icmpCodes: { from: 0, to: 256 } }]).success).toBe(false);
    expect(compile([{ protocol: 'icmp', ports: { from: 0, to: 256 } }]).error?.issues[0]?.message).toBe('ICMP types are 0 to 255');
    expect(compile([{ protocol: 'tcp', ports: { from: 0, to: 80 } }]).error?.issues[0]?.message).toBe('ports are 1 to 65535');
  });

  it("take a trace's ends with every field, and refuse a switch port the flows could not bind", () => {
    const trace = (from: PathEnd) => REQUEST_SCHEMAS['trace:simulate'].safeParse({ compileId: 'c1', from, to: end, packet: { protocol: 'tcp', dstPort: 80 }, state: 'new' });
    expect(trace(end).error?.issues ?? []).toEqual([]);
    expect(trace({ ...end, port: 'LOCAL' }).error?.issues[0]?.message).toMatch(/reserved port names/);
  });

  it('take the ICMP type and code of a simulated or switch trace, each 0 to 255', () => {
    const simulate = (packet: object) => REQUEST_SCHEMAS['trace:simulate'].safeParse({ compileId: 'c1', from: end, to: end, packet, state: 'new' }).success;
    const onSwitch = (packet: object) => REQUEST_SCHEMAS['trace:switch'].safeParse({ host: 'h1', packet: { src: '10.0.0.1', dst: '10.0.0.2', ...packet }, state: 'new' }).success;
    for (const ask of [simulate, onSwitch]) {
      expect(ask({ protocol: 'icmp', icmpType: 3, icmpCode: 4 })).toBe(true);
      expect(ask({ protocol: 'icmp', icmpType: 3, icmpCode: 255 })).toBe(true);
      expect(ask({ protocol: 'icmp', icmpType: 3, icmpCode: 256 })).toBe(false);
      expect(ask({ protocol: 'icmp', icmpType: 3, icmpCode: -1 })).toBe(false);
      expect(ask({ protocol: 'icmp', icmpType: 3, icmpCode: 1.5 })).toBe(false);
    }
  });

  it('take the spoof guards a deploy may remove, per host, and refuse them in any other shape', () => {
    const start = (removePortGuards: unknown) => REQUEST_SCHEMAS['deploy:start'].safeParse({ policy, inventory: { readAt: 'now', workloads: [workload] }, hosts: ['h1'], removePortGuards });
    expect(start(undefined).error?.issues ?? []).toEqual([]);
    expect(start([{ host: 'h1', ports: ['veth-web1'] }]).error?.issues ?? []).toEqual([]);
    expect(start([{ host: 'h1', ports: [''] }]).success).toBe(false);
    expect(start([{ ports: ['veth-web1'] }]).success).toBe(false);
    expect(start(['h1']).success).toBe(false);
  });

  it('take the id of the deploy to cancel, and nothing else', () => {
    const cancel = REQUEST_SCHEMAS['deploy:cancel'];
    expect(cancel.safeParse({ deployId: 'd1' }).success).toBe(true);
    expect(cancel.safeParse({ deployId: '' }).success).toBe(false);
    expect(cancel.safeParse({ deployId: 'd1', hosts: ['h1'] }).success).toBe(false);
    expect(cancel.safeParse(null).success).toBe(false);
  });

  it('take a stopId on each request whose SSH work or long analysis may be stopped, and the stop of one id, of at most 100 characters', () => {
    const stopId = 'b9f1c7de-0000-4000-8000-000000000000';
    const drawing = { policy, inventory: { readAt: 'now', workloads: [workload] } };
    for (const [channel, args] of [
      ['analysis:matrix', drawing],
      ['analysis:impact', { ...drawing, against: { kind: 'file', path: '/tmp/p.yaml' } }],
      ['analysis:replay', { ...drawing, path: '/tmp/connections.csv' }],
      ['deploy:rollbackPreview', { host: 'h1' }],
      ['deploy:rollback', { host: 'h1' }],
      ['hosts:containerPorts', { host: 'h1' }],
      ['trace:switch', { host: 'h1', packet: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', dstPort: 80 }, state: 'new' }],
      ['work:stop', {}],
    ] as const) {
      expect(REQUEST_SCHEMAS[channel].safeParse({ ...args, stopId }).success, channel).toBe(true);
      expect(REQUEST_SCHEMAS[channel].safeParse({ ...args, stopId: 'x'.repeat(101) }).success, channel).toBe(false);
    }
    expect(REQUEST_SCHEMAS['work:stop'].safeParse({}).success).toBe(false);
  });
});
