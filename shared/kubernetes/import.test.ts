import { describe, expect, it } from 'vitest';
import { importNetworkPolicies } from './import';
import { parseNetworkPolicies } from './network-policy-file';

// The Ingress∧Egress expansion must not grow with the square of the number of policies when
// the rules of different policies cannot meet (contradicting pod labels, other namespaces).

function ordinaryPolicies(n: number): string {
  return Array.from({ length: n }, (_, i) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: app${i}, namespace: ns${i % 20} }
spec:
  podSelector: { matchLabels: { app: app${i} } }
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: ops } }, podSelector: { matchLabels: { app: prometheus } } }]
      ports: [{ port: metrics }]
    - from: [{ podSelector: { matchLabels: { app: app${i + 1} } } }]
      ports: [{ port: 8080 }]
  egress:
    - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
      ports: [{ protocol: UDP, port: 53 }]
    - to: [{ namespaceSelector: {}, podSelector: { matchLabels: { tier: db } } }]
      ports: [{ port: 5432 }]
`).join('');
}

describe('importNetworkPolicies size', () => {
  it('gives edges in proportion to the policies, and one edge per pair of groups', () => {
    const parsed = parseNetworkPolicies(ordinaryPolicies(120), 'np.yaml');
    expect(parsed.diagnostics).toEqual([]);
    const { policy } = importNetworkPolicies(parsed.policies, 'scale');
    expect(policy.edges.length).toBeLessThanOrEqual(4 * 120 + 1);
    expect(new Set(policy.edges.map((e) => `${e.from}>${e.to}`)).size).toBe(policy.edges.length);
    // Isolated pods of other namespaces are not carved out of a peer in one namespace.
    const inOneNamespace = policy.groups.filter((g) => g.selector.namespace?.startsWith('ns'));
    expect(inOneNamespace.flatMap((g) => (g.selector.exclude ?? []).filter((e) => e.namespace !== g.selector.namespace))).toEqual([]);
  });

  it('merges the rules of one policy that reach the same peer, as the union of their ports', () => {
    const parsed = parseNetworkPolicies(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: lb } } }]
      ports: [{ port: 80 }]
    - from: [{ podSelector: { matchLabels: { app: lb } } }]
      ports: [{ port: 443 }, { port: 80 }]
`, 'np.yaml');
    const { policy } = importNetworkPolicies(parsed.policies, 'merge');
    const fromLb = policy.edges.filter((e) => e.id !== 'not-isolated');
    expect(fromLb).toHaveLength(1);
    expect(fromLb[0]!.services).toEqual([{ protocol: 'tcp', ports: { from: 80, to: 80 } }, { protocol: 'tcp', ports: { from: 443, to: 443 } }]);
    expect(fromLb[0]!.description).toMatch(/ingress rule 1[\s\S]*ingress rule 2/);
  });
});
