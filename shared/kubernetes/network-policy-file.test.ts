import { describe, expect, it } from 'vitest';
import { parseNetworkPolicies } from './network-policy-file';

const np = (spec: string, name = 'p'): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec:
${spec.replace(/^/gm, '  ')}
`;

describe('reading NetworkPolicy YAML', () => {
  it('reads single documents, streams and Lists, fills in namespace and policyTypes, skips other kinds', () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: in-list }
    spec: { podSelector: {}, egress: [{}] }
`;
    const stream = [np('podSelector: { matchLabels: { app: web } }'), list, 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n'].join('---\n');
    const { policies, diagnostics } = parseNetworkPolicies(stream, 'all.yaml');
    expect(policies.map((p) => [p.namespace, p.name, p.podSelector, p.ingress, p.egress])).toEqual([
      ['shop', 'p', 'app=web', true, false],
      ['default', 'in-list', '', true, true],
    ]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'MS608', severity: 'warning', message: 'skipped: its kind is "Service", not NetworkPolicy', location: expect.objectContaining({ line: 16 }) })]);
  });

  it('says what kind a skipped document is without "a Inventory", and that a NetworkPolicy spelt in another case is not one', () => {
    const messages = (kind: string): string[] => parseNetworkPolicies(`apiVersion: v1\nkind: ${kind}\nmetadata: { name: x }\n`, 'k.yaml').diagnostics.map((d) => d.message);
    expect(messages('Inventory')).toEqual(['skipped: its kind is "Inventory", not NetworkPolicy']);
    expect(messages('networkpolicy')).toEqual(['skipped: its kind is "networkpolicy"; write kind: NetworkPolicy, capitals as here, for it to be read as one']);
    expect(parseNetworkPolicies('apiVersion: v1\nmetadata: { name: x }\n', 'k.yaml').diagnostics.map((d) => d.message)).toEqual(['skipped: a document without a kind, not a NetworkPolicy']);
  });

  it.each([
    ['endPort without port', 'podSelector: {}\ningress: [{ ports: [{ endPort: 90 }] }]', 'MS604', 'endPort needs a port', 6],
    ['endPort below port', 'podSelector: {}\ningress: [{ ports: [{ port: 90, endPort: 80 }] }]', 'MS604', 'endPort must be a whole number from port (90) to 65535 (found 80)', 6],
    ['a fractional port', 'podSelector: {}\ningress: [{ ports: [{ port: 80.5 }] }]', 'MS604', 'port must be a whole number from 1 to 65535 (found 80.5)', 6],
    ['a named port with endPort', 'podSelector: {}\ningress: [{ ports: [{ port: http, endPort: 80 }] }]', 'MS604', 'endPort may not follow a named port', 6],
    ['a bad protocol', 'podSelector: {}\ningress: [{ ports: [{ protocol: ICMP }] }]', 'MS604', 'protocol must be one of TCP, UDP, SCTP (found "ICMP")', 6],
    ['a bad port name', 'podSelector: {}\ningress: [{ ports: [{ port: HTTP_2 }] }]', 'MS604', 'port must be a port number or a port name (1 to 15 lowercase letters, digits and "-", with a letter) (found "HTTP_2")', 6],
    ['a bad label selector', 'podSelector: { matchExpressions: [{ key: app, operator: In }] }', 'MS603', 'operator In needs at least one value', 5],
    ['a bad operator', 'podSelector: { matchExpressions: [{ key: app, operator: Like, values: [a] }] }', 'MS603', 'operator must be one of In, NotIn, Exists, DoesNotExist (found "Like")', 5],
    ['a bad label value', 'podSelector: { matchLabels: { app: "-web" } }', 'MS603', 'label value must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (found "-web")', 5],
    ['except outside the cidr', 'podSelector: {}\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24] } }] }]', 'MS606', 'must lie strictly inside the cidr 10.0.0.0/16', 6],
    ['a bad cidr', 'podSelector: {}\negress: [{ to: [{ ipBlock: { cidr: 10.0.0.0 } }] }]', 'MS606', 'is not a CIDR', 6],
    ['ipBlock with namespaceSelector', 'podSelector: {}\ningress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 }, namespaceSelector: {} }] }]', 'MS605', 'may not give ipBlock together', 6],
    ['an empty peer', 'podSelector: {}\ningress: [{ from: [{}] }]', 'MS605', 'a peer must give podSelector', 6],
    ['no podSelector', 'ingress: [{}]', 'MS603', 'spec.podSelector is required', 5],
    ['a bad label key', 'podSelector: { matchLabels: { "bad key": web } }', 'MS603', 'label key must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, optionally after a DNS subdomain prefix and "/" (found "bad key")', 5],
    ['a bad label key prefix', 'podSelector: { matchLabels: { "Example_com/app": web } }', 'MS603', 'label key prefix must be a DNS subdomain such as example.com (found "Example_com/app")', 5],
    ['a bad policy type', 'podSelector: {}\npolicyTypes: [Inbound]', 'MS607', 'policyTypes must be one of Ingress, Egress (found "Inbound")', 6],
    ['three policy types', 'podSelector: {}\npolicyTypes: [Ingress, Egress, Ingress]', 'MS607', 'policyTypes may list at most two types, Ingress and Egress (found 3)', 6],
  ])('refuses %s with the reason, at its line', (_, spec, code, reason, line) => {
    const { policies, diagnostics } = parseNetworkPolicies(np(spec), 'np.yaml');
    expect(policies).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ code, severity: 'error', message: expect.stringContaining(reason), location: expect.objectContaining({ file: 'np.yaml', line }) })]);
  });

  it('says what it found in a name or namespace it refuses', () => {
    const { diagnostics } = parseNetworkPolicies(np('podSelector: {}', 'Bad_Name').replace('namespace: shop', 'namespace: Shop'), 'np.yaml');
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['MS607', 'NetworkPolicy Shop/Bad_Name: name must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 (found "Bad_Name")'],
      ['MS607', 'NetworkPolicy Shop/Bad_Name: namespace must be a DNS label: lowercase letters, digits and "-", at most 63 (found "Shop")'],
    ]);
  });

  it('refuses unknown fields and bad YAML with line and column', () => {
    expect(parseNetworkPolicies(np('podSelector: {}\ningres: []'), 'np.yaml').diagnostics).toEqual([expect.objectContaining({ code: 'MS602', location: expect.objectContaining({ line: 6 }) })]);
    expect(parseNetworkPolicies('kind: [', 'np.yaml').diagnostics[0]).toMatchObject({ code: 'MS601', location: { file: 'np.yaml', line: 1 } });
  });

  it('reports a fractional port beside the other errors of the policy', () => {
    const { diagnostics } = parseNetworkPolicies(np('podSelector: {}\ningress: [{ ports: [{ port: 80.5 }, { protocol: ICMP }] }]\npolicyTypes: [Inbound]'), 'np.yaml');
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('(found "Inbound")'), expect.stringContaining('port must be a whole number from 1 to 65535 (found 80.5)'), expect.stringContaining('(found "ICMP")')]);
  });
});

