import { describe, expect, it } from 'vitest';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';
import { CLUSTER, connection, verdicts } from './testing/cluster';

// The meaning of NetworkPolicy, case by case from the Kubernetes documentation ("Network
// Policies" concept page and the NetworkPolicy API reference): each case imports the YAML,
// compiles it for CLUSTER (testing/cluster.ts), and runs connections through the simulated
// tables and the reference semantics, which must both give the expected verdict.

function design(yaml: string): ReturnType<typeof importNetworkPolicies>['policy'] {
  const parsed = parseNetworkPolicies(yaml, 'case.yaml');
  expect(parsed.diagnostics).toEqual([]);
  return importNetworkPolicies(parsed.policies, 'case').policy;
}

function expectConnections(yaml: string, pass: string[], fail: string[]): void {
  const policy = design(yaml);
  for (const text of pass) expect(verdicts(policy, CLUSTER, connection(text)), `${text} passes`).toEqual({ tables: true, reference: true });
  for (const text of fail) expect(verdicts(policy, CLUSTER, connection(text)), `${text} fails`).toEqual({ tables: false, reference: false });
}

const policy = (namespace: string, name: string, spec: string): string => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec.replace(/^/gm, '  ')}
`;

describe('NetworkPolicy meaning: compiled tables and reference agree with Kubernetes', () => {
  it('without policies, every pod accepts and sends everything (pods in no policy are not isolated)', () => {
    expectConnections('', ['tcp default/web-1 -> default/db:6379', 'tcp 203.0.113.9 -> prod/api:22', 'udp prod/api -> 198.51.100.1:53', 'sctp dev/tester -> prod/signal:3868'], []);
  });

  it('default deny ingress: no pod of the namespace accepts anything, their egress and other namespaces stay open', () => {
    const yaml = policy('default', 'default-deny-ingress', 'podSelector: {}\npolicyTypes: [Ingress]');
    expectConnections(
      yaml,
      ['tcp default/web-1 -> prod/api:9000', 'tcp default/db -> 203.0.113.9:443', 'tcp prod/api -> dev/tester:22', 'tcp 203.0.113.9 -> prod/api:443'],
      ['tcp default/web-1 -> default/db:6379', 'tcp prod/api -> default/web-1:80', 'tcp 203.0.113.9 -> default/web-2:8080', 'tcp backup -> default/db:6379'],
    );
  });

  it('allow all ingress: an empty rule admits every source', () => {
    const yaml = policy('default', 'allow-all-ingress', 'podSelector: {}\ningress: [{}]\npolicyTypes: [Ingress]');
    expectConnections(yaml, ['tcp prod/api -> default/db:6379', 'tcp 203.0.113.9 -> default/web-1:1', 'udp backup -> default/client:53'], []);
  });

  it('default deny egress: pods of the namespace send nothing, but still accept', () => {
    const yaml = policy('default', 'default-deny-egress', 'podSelector: {}\npolicyTypes: [Egress]');
    expectConnections(
      yaml,
      ['tcp prod/api -> default/db:6379', 'tcp 203.0.113.9 -> default/web-1:80', 'tcp prod/api -> dev/tester:22'],
      ['tcp default/web-1 -> default/db:6379', 'tcp default/db -> 203.0.113.9:443', 'udp default/client -> prod/api:53'],
    );
  });

  it('allow all egress next to default deny all: ingress stays closed', () => {
    const yaml = policy('default', 'default-deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]') + policy('default', 'allow-all-egress', 'podSelector: {}\negress: [{}]\npolicyTypes: [Egress]');
    expectConnections(yaml, ['tcp default/web-1 -> prod/api:9000', 'tcp default/db -> 203.0.113.9:443'], ['tcp default/web-1 -> default/db:6379', 'tcp prod/api -> default/web-2:8080']);
  });

  it('the documentation example: ipBlock with except, namespaceSelector, podSelector, ports, and egress to a block', () => {
    const yaml = policy(
      'default',
      'test-network-policy',
      `podSelector: { matchLabels: { role: db } }
policyTypes: [Ingress, Egress]
ingress:
  - from:
      - ipBlock: { cidr: 172.17.0.0/16, except: [172.17.1.0/24] }
      - namespaceSelector: { matchLabels: { project: myproject } }
      - podSelector: { matchLabels: { role: frontend } }
    ports: [{ protocol: TCP, port: 6379 }]
egress:
  - to: [{ ipBlock: { cidr: 10.0.0.0/24 } }]
    ports: [{ protocol: TCP, port: 5978 }]`,
    );
    expectConnections(
      yaml,
      ['tcp 172.17.2.9 -> default/db:6379', 'tcp dev/tester -> default/db:6379', 'tcp default/web-1 -> default/db:6379', 'tcp default/db -> 10.0.0.7:5978'],
      ['tcp 172.17.1.9 -> default/db:6379', 'tcp default/web-2 -> default/db:6379', 'tcp prod/api -> default/db:6379', 'tcp default/web-1 -> default/db:22', 'tcp default/db -> 10.0.0.7:5979', 'tcp default/db -> default/web-1:80'],
    );
  });

  it('namespaceSelector and podSelector in one entry select pods matching both; in two entries, either', () => {
    const and = policy('default', 'and', `podSelector: { matchLabels: { app: db } }
ingress:
  - from:
      - namespaceSelector: { matchLabels: { user: alice } }
        podSelector: { matchLabels: { role: client } }`);
    expectConnections(and, ['tcp prod/api -> default/db:6379'], ['tcp default/client -> default/db:6379', 'tcp prod/signal -> default/db:6379']);
    const or = policy('default', 'or', `podSelector: { matchLabels: { app: db } }
ingress:
  - from:
      - namespaceSelector: { matchLabels: { user: alice } }
      - podSelector: { matchLabels: { role: client } }`);
    expectConnections(or, ['tcp prod/api -> default/db:6379', 'tcp default/client -> default/db:6379', 'tcp prod/signal -> default/db:6379'], ['tcp dev/tester -> default/db:6379', 'tcp default/web-1 -> default/db:6379']);
  });

  it('a named port resolves on each destination pod: http is 80 on web-1 and 8080 on web-2', () => {
    const yaml = policy('default', 'web-http', `podSelector: { matchLabels: { app: web } }
ingress:
  - ports: [{ port: http }]`);
    expectConnections(
      yaml,
      ['tcp default/client -> default/web-1:80', 'tcp default/client -> default/web-2:8080', 'tcp 203.0.113.9 -> default/web-2:8080'],
      ['tcp default/client -> default/web-1:8080', 'tcp default/client -> default/web-2:80', 'udp default/client -> default/web-1:80'],
    );
  });

  it('a named port in an egress rule resolves on the destination; a destination without it is not covered', () => {
    const yaml = policy('default', 'client-egress', `podSelector: { matchLabels: { app: client } }
policyTypes: [Egress]
egress:
  - ports: [{ protocol: TCP, port: http }]`);
    expectConnections(yaml, ['tcp default/client -> default/web-1:80', 'tcp default/client -> prod/api:9000'], ['tcp default/client -> default/web-1:9000', 'tcp default/client -> default/db:6379', 'tcp default/client -> 203.0.113.9:80']);
  });

  it('endPort opens the range from port to endPort, both included', () => {
    const yaml = policy('default', 'db-range', `podSelector: { matchLabels: { app: db } }
policyTypes: [Egress]
egress:
  - to: [{ ipBlock: { cidr: 10.0.0.0/24 } }]
    ports: [{ protocol: TCP, port: 32000, endPort: 32768 }]`);
    expectConnections(yaml, ['tcp default/db -> 10.0.0.9:32000', 'tcp default/db -> 10.0.0.9:32768', 'tcp default/db -> 10.0.0.9:32400'], ['tcp default/db -> 10.0.0.9:31999', 'tcp default/db -> 10.0.0.9:32769', 'udp default/db -> 10.0.0.9:32000']);
  });

  it('policyTypes defaults: Ingress always, Egress only when the policy has egress rules', () => {
    const egressOnly = policy('default', 'egress-rules', `podSelector: { matchLabels: { app: client } }
egress:
  - to: [{ podSelector: { matchLabels: { app: db } } }]`);
    // Both directions isolated: egress rules given, and Ingress is always a default type.
    expectConnections(egressOnly, ['tcp default/client -> default/db:6379'], ['tcp default/client -> default/web-1:80', 'tcp default/web-1 -> default/client:80']);
    const ingressOnly = policy('default', 'ingress-rules', `podSelector: { matchLabels: { app: client } }
ingress:
  - from: [{ podSelector: { matchLabels: { app: db } } }]`);
    expectConnections(ingressOnly, ['tcp default/db -> default/client:80', 'tcp default/client -> default/web-1:80'], ['tcp default/web-1 -> default/client:80']);
  });

  it('SCTP ports are their own protocol', () => {
    const yaml = policy('prod', 'signal', `podSelector: { matchLabels: { app: signal } }
ingress:
  - ports: [{ protocol: SCTP, port: 3868 }]`);
    expectConnections(yaml, ['sctp default/client -> prod/signal:3868', 'sctp default/client -> prod/signal:3868'], ['tcp default/client -> prod/signal:3868', 'sctp default/client -> prod/signal:3869']);
  });

  it('both ends isolated: a connection needs the egress rule of the source and the ingress rule of the destination', () => {
    const yaml =
      policy('default', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]') +
      policy('default', 'web-to-db', `podSelector: { matchLabels: { app: web } }
policyTypes: [Egress]
egress:
  - to: [{ podSelector: { matchLabels: { app: db } } }]
    ports: [{ port: 6000, endPort: 7000 }]`) +
      policy('default', 'db-from-frontend', `podSelector: { matchLabels: { app: db } }
ingress:
  - from: [{ podSelector: { matchLabels: { role: frontend } } }]
    ports: [{ port: redis }]`);
    expectConnections(yaml, ['tcp default/web-1 -> default/db:6379'], ['tcp default/web-2 -> default/db:6379', 'tcp default/web-1 -> default/db:6000', 'tcp default/client -> default/db:6379', 'tcp dev/tester -> default/db:6379']);
  });

  it('an empty label value in matchExpressions is a value: the design compiles and means what Kubernetes means', () => {
    const yaml = policy('default', 'db-from-some', `podSelector: { matchExpressions: [{ key: app, operator: In, values: [db, ""] }] }
ingress:
  - from: [{ podSelector: { matchExpressions: [{ key: role, operator: NotIn, values: ["", client] }] } }]`);
    expectConnections(yaml, ['tcp default/web-1 -> default/db:6379', 'tcp default/web-2 -> default/db:6379'], ['tcp default/client -> default/db:6379', 'tcp prod/api -> default/db:6379']);
  });
});

