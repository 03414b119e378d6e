import { z } from 'zod';
import type { RequestChannel } from '@shared/api/contract';
import { MAX_REQUEST_TEXT } from '@shared/api/request-limits';
import { parseCidr } from '@shared/net/address';
import { DEFAULT_ACTIONS, EDGE_ACTIONS, POLICY_API_VERSION } from '@shared/policy/model';
import { switchPortProblem } from '@shared/inventory/switch-port';
import { BASE_TARGET_SCHEMA, HOST_TARGET_SCHEMA } from '../services/host-targets';

// Payloads arrive from a renderer we must not trust blindly (a compromised page, a stray
// local process in browser mode), so every request is checked before a service sees it.

const text = z.string().max(MAX_REQUEST_TEXT);
const path = z.string().min(1).max(4096);

const compileId = z.string().min(1).max(64);
/** Names a request's SSH work to `work:stop`: the asker's random UUID. */
const stopId = z.string().min(1).max(100);
const ipAddress = z.string().refine((a) => parseCidr(a)?.prefix === (a.includes(':') ? 128 : 32), 'an IP address');
// As long as a DNS name: Docker engines and Kubernetes nodes name hosts.
const hostName = z.string().min(1).max(253);
const switchPort = z.string().superRefine((port, ctx) => {
  const problem = switchPortProblem(port);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const pathEnd = z.strictObject({ address: ipAddress, host: hostName.optional(), port: switchPort.optional() });

const numbers = (min: number, max: number) => z.strictObject({ from: z.number().int().min(min).max(max), to: z.number().int().min(min).max(max) });
const service = z
  .strictObject({
    protocol: z.enum(['tcp', 'udp', 'sctp', 'icmp', 'any']),
    // Ports or, for icmp, ICMP types, whose bounds differ (type 0 is the echo reply): checked below.
    ports: numbers(0, 65535).optional(),
    portName: text.optional(),
    icmpCodes: numbers(0, 255).optional(),
  })
  .superRefine(({ protocol, ports }, ctx) => {
    const [min, max, what] = protocol === 'icmp' ? [0, 255, 'ICMP types'] : [1, 65535, 'ports'];
    if (ports && (ports.from < min || ports.to > max)) ctx.addIssue({ code: 'custom', path: ['ports'], message: `${what} are ${min} to ${max}` });
  });

// Workload criteria of a selector, also the shape of each `exclude` entry.
const workloadCriteria = {
  labels: text.optional(),
  namespaceLabels: text.optional(),
  image: text.optional(),
  namespace: text.optional(),
  host: text.optional(),
};

const policy = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION),
  name: text,
  revision: z.number().int().nonnegative(),
  defaults: z.strictObject({ withinGroup: z.enum(['allow', 'drop']), betweenGroups: z.enum(DEFAULT_ACTIONS), redirectTo: text.optional() }),
  infrastructure: z.strictObject({ dhcp: z.boolean(), dnsResolvers: z.array(text) }).optional(),
  groups: z.array(
    z.strictObject({
      name: text,
      description: text.optional(),
      selector: z.strictObject({
        ...workloadCriteria,
        cidrs: z.array(text).optional(),
        except: z.array(text).optional(),
        exclude: z.array(z.strictObject(workloadCriteria)).optional(),
      }),
      isolated: z.boolean().optional(),
      position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
    }),
  ),
  edges: z.array(
    z.strictObject({
      id: text,
      from: text,
      to: text,
      services: z.array(service),
      action: z.enum(EDGE_ACTIONS),
      redirectTo: text.optional(),
      description: text.optional(),
    }),
  ),
});

const inventory = z.strictObject({
  readAt: text,
  workloads: z.array(
    z.strictObject({
      id: text,
      name: text,
      host: text,
      addresses: z.array(text),
      mac: text.optional(),
      switchPort: switchPort.optional(),
      labels: z.record(z.string(), z.string()),
      image: text.optional(),
      namespace: text.optional(),
      namespaceLabels: z.record(z.string(), z.string()).optional(),
      ports: z.array(z.strictObject({ name: text.optional(), port: z.number().int().min(1).max(65535), protocol: z.enum(['tcp', 'udp', 'sctp']) })).optional(),
      owner: z.strictObject({ kind: text, name: text }).optional(),
      composeService: text.optional(),
      state: text.optional(),
      origin: z.strictObject({
        kind: z.enum(['docker', 'kubernetes', 'static']),
        source: text,
        entry: z.strictObject({ line: z.number().int().min(1), column: z.number().int().min(1).optional(), path: text.optional() }).optional(),
      }),
    }),
  ),
});

const none = z.union([z.null(), z.undefined()]).transform(() => undefined);

export const REQUEST_SCHEMAS: Record<RequestChannel, z.ZodType> = {
  'app:info': none,
  'examples:list': none,
  'file:read': z.strictObject({ path }),
  'file:write': z.strictObject({ path, text: z.string().max(50_000_000) }),
  'dialog:open': z.strictObject({ title: text, extensions: z.array(text), folder: z.boolean().optional() }),
  'dialog:save': z.strictObject({ title: text, defaultPath: path.optional(), extensions: z.array(text) }),
  'inventory:sources': none,
  'inventory:load': z.strictObject({ sourceId: z.string().min(1).max(4200) }),
  'inventory:close': z.strictObject({ sourceId: z.string().min(1).max(4200) }),
  'inventory:check': z.strictObject({ path, text: z.string().max(50_000_000) }),
  'policy:compile': z.strictObject({ policy, inventory }),
  'hosts:list': none,
  'deploy:status': none,
  'hosts:save': z.strictObject({ target: HOST_TARGET_SCHEMA, base: BASE_TARGET_SCHEMA.nullable() }),
  'hosts:remove': z.strictObject({ host: z.string().min(1), base: BASE_TARGET_SCHEMA }),
  'deploy:start': z.strictObject({
    policy,
    inventory,
    hosts: z.array(z.string().min(1)),
    removePortGuards: z.array(z.strictObject({ host: z.string().min(1), ports: z.array(z.string().min(1).max(64)).max(100_000) })).optional(),
  }),
  'deploy:cancel': z.strictObject({ deployId: z.string().min(1).max(100) }),
  'deploy:rollbackPreview': z.strictObject({ host: z.string().min(1), stopId: stopId.optional() }),
  'deploy:rollback': z.strictObject({ host: z.string().min(1), removePortGuards: z.array(z.string().min(1).max(64)).max(100_000).optional(), stopId: stopId.optional() }),
  'analysis:matrix': z.strictObject({ policy, inventory, stopId: stopId.optional() }),
  'analysis:impact': z.strictObject({
    policy,
    inventory,
    against: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('file'), path }), z.strictObject({ kind: z.literal('deployed'), hosts: z.array(z.string().min(1)), stopId: stopId.optional() })]),
    stopId: stopId.optional(),
  }),
  'work:stop': z.strictObject({ stopId }),
  'analysis:replay': z.strictObject({ policy, inventory, path, stopId: stopId.optional() }),
  'kubernetes:import': z.strictObject({
    from: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('files'), paths: z.array(path).min(1).max(1000) }),
      z.strictObject({ kind: z.literal('cluster'), context: z.string().min(1).max(4096) }),
    ]),
  }),
  'kubernetes:export': z.strictObject({ policy, inventory: inventory.optional(), folder: path }),
  'policy:hostTable': z.strictObject({ compileId, host: hostName }),
  'trace:simulate': z.strictObject({
    compileId,
    from: pathEnd,
    to: pathEnd,
    packet: z.strictObject({
      protocol: z.enum(['tcp', 'udp', 'sctp', 'icmp']),
      dstPort: z.number().int().min(0).max(65535).optional(),
      icmpType: z.number().int().min(0).max(255).optional(),
      icmpCode: z.number().int().min(0).max(255).optional(),
    }),
    state: z.enum(['new', 'established']),
  }),
  'hosts:containerPorts': z.strictObject({ host: z.string().min(1), stopId: stopId.optional() }),
  'trace:switch': z.strictObject({
    host: z.string().min(1),
    packet: z.strictObject({
      src: ipAddress,
      dst: ipAddress,
      protocol: z.enum(['tcp', 'udp', 'sctp', 'icmp']),
      dstPort: z.number().int().min(1).max(65535).optional(),
      icmpType: z.number().int().min(0).max(255).optional(),
      icmpCode: z.number().int().min(0).max(255).optional(),
      ctMark: z.number().int().min(0).max(0xffffffff).optional(),
      inPort: switchPort.optional(),
    }),
    state: z.enum(['new', 'established']),
    stopId: stopId.optional(),
  }),
};
