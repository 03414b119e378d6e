// Test support only: a small cluster (pods in three namespaces, a VM, outside addresses) and
// the verdict of a connection through compiled tables and through the reference semantics.
import { compilePolicy } from '../../compiler/compile';
import type { Inventory, Workload, WorkloadPort } from '../../inventory/model';
import type { Policy } from '../../policy/model';
import { mayConnect, type Party } from '../../policy/reference-evaluator';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables, type PathEnd } from '../../simulator/path';

const NAMESPACES: Record<string, Record<string, string>> = {
  default: { 'kubernetes.io/metadata.name': 'default' },
  prod: { 'kubernetes.io/metadata.name': 'prod', env: 'prod', user: 'alice' },
  dev: { 'kubernetes.io/metadata.name': 'dev', env: 'dev', project: 'myproject' },
};

function pod(namespace: string, name: string, host: string, address: string, labels: Record<string, string>, ports: WorkloadPort[] = []): Workload {
  return {
    id: `kubernetes:test/${namespace}/${name}`,
    name,
    host,
    addresses: [address],
    labels,
    namespace,
    namespaceLabels: NAMESPACES[namespace],
    ...(ports.length > 0 ? { ports } : {}),
    origin: { kind: 'kubernetes', source: 'test' },
  };
}

/** Pods on two nodes; http is port 80 on web-1 and 8080 on web-2. */
export const CLUSTER: Inventory = {
  readAt: 'test',
  workloads: [
    pod('default', 'web-1', 'node-1', '10.1.0.1', { app: 'web', role: 'frontend' }, [{ name: 'http', port: 80, protocol: 'tcp' }]),
    pod('default', 'web-2', 'node-2', '10.1.0.2', { app: 'web' }, [{ name: 'http', port: 8080, protocol: 'tcp' }]),
    pod('default', 'db', 'node-2', '10.1.0.3', { app: 'db', role: 'db' }, [{ name: 'redis', port: 6379, protocol: 'tcp' }]),
    pod('default', 'client', 'node-1', '10.1.0.4', { app: 'client', role: 'client' }),
    pod('prod', 'api', 'node-1', '10.2.0.1', { app: 'api', role: 'client' }, [{ name: 'http', port: 9000, protocol: 'tcp' }]),
    pod('prod', 'signal', 'node-2', '10.2.0.2', { app: 'signal' }, [{ name: 'diameter', port: 3868, protocol: 'sctp' }]),
    pod('dev', 'tester', 'node-2', '10.3.0.1', { role: 'frontend' }),
    { id: 'static:test/backup', name: 'backup', host: 'node-1', addresses: ['10.9.0.1'], labels: { role: 'backup' }, origin: { kind: 'static', source: 'test' } },
  ],
};

/** A workload as `namespace/name` (or a VM's name), or an outside address. */
export type EndName = string;

function end(inventory: Inventory, name: EndName): PathEnd & { party: Party } {
  const [namespace, podName] = name.includes('/') ? name.split('/') : [undefined, name];
  const w = inventory.workloads.find((x) => x.name === podName && x.namespace === namespace);
  if (w) return { address: w.addresses[0]!, host: w.host, party: { workload: w.id, address: w.addresses[0]! } };
  return { address: name, party: { address: name } };
}

export interface Connection {
  from: EndName;
  to: EndName;
  protocol: 'tcp' | 'udp' | 'sctp';
  port: number;
}

/** What the compiled tables (simulated host by host) and the reference semantics say of one connection. */
export function verdicts(policy: Policy, inventory: Inventory, c: Connection): { tables: boolean; reference: boolean } {
  const from = end(inventory, c.from);
  const to = end(inventory, c.to);
  const path = simulatePath(tablesOf(policy, inventory), from, to, { protocol: c.protocol, srcPort: 40000, dstPort: c.port }, 'new', { hostOf: addressHosts(inventory.workloads) });
  const answer = mayConnect(policy, inventory, { from: from.party, to: to.party, protocol: c.protocol, port: c.port, family: 4 });
  return { tables: path.verdict === 'permitted', reference: answer.allowed };
}

const compiled = new WeakMap<Policy, HostFlowTables>();

/** The policy's tables, compiled once per policy object. */
function tablesOf(policy: Policy, inventory: Inventory): HostFlowTables {
  let tables = compiled.get(policy);
  if (!tables) {
    const result = compilePolicy(policy, inventory);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`the policy does not compile: ${errors.map((d) => d.message).join('; ')}`);
    compiled.set(policy, (tables = loadHostTables(result.hosts)));
  }
  return tables;
}

/** `tcp default/web-1 -> prod/api:9000` style connection text, for readable case tables. */
export function connection(text: string): Connection {
  const m = /^(tcp|udp|sctp) (\S+) -> (\S+):(\d+)$/.exec(text);
  if (!m) throw new Error(`bad connection "${text}"`);
  return { protocol: m[1] as Connection['protocol'], from: m[2]!, to: m[3]!, port: Number(m[4]) };
}
