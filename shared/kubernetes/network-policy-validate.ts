import { parseCidr } from '../net/address';
import { canonicalCidr, cidrInside } from '../net/cidr-set';
import { isPortName } from '../policy/services';
import { mustBe, mustBeOneOf } from '../text';
import { selectorText } from './label-selectors';
import type { NetworkPolicy, NetworkPolicyObject, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule, PeerObject, PortObject } from './network-policy';

// What the API server checks in a NetworkPolicy beyond its shape (networking/validation in
// Kubernetes), and the defaults it fills in. A refused policy is reported, never imported.

/** Reports one refusal: a code (docs/diagnostics.md), the path under the object, the reason. */
export type Refusal = (code: string, path: string, message: string) => void;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PROTOCOLS = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const;
const POLICY_TYPES: readonly string[] = ['Ingress', 'Egress'];

/**
 * The policy as the API server would store it (namespace `default` when none is given,
 * policyTypes defaulted), or null after reporting every reason it would refuse it.
 */
export function validateNetworkPolicy(object: NetworkPolicyObject, source: NetworkPolicy['source'], refuse: Refusal): NetworkPolicy | null {
  let refused = false;
  const report: Refusal = (code, path, message) => {
    refused = true;
    refuse(code, path, message);
  };
  const { name } = object.metadata;
  const namespace = object.metadata.namespace ?? 'default';
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) report('MS607', 'metadata.name', mustBe('name', 'a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253', name));
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) report('MS607', 'metadata.namespace', mustBe('namespace', 'a DNS label: lowercase letters, digits and "-", at most 63', namespace));

  const spec = object.spec;
  if (spec.podSelector == null) report('MS603', 'spec.podSelector', 'spec.podSelector is required; write podSelector: {} to select every pod of the namespace');
  const podSelector = selector(spec.podSelector, 'spec.podSelector', report);
  const types = policyTypes(object, report);
  const ingressRules = (spec.ingress ?? []).map((r, i) => rule(r.from, r.ports, `spec.ingress.${i}`, 'from', namespace, report));
  const egressRules = (spec.egress ?? []).map((r, i) => rule(r.to, r.ports, `spec.egress.${i}`, 'to', namespace, report));
  if (refused) return null;
  return { namespace, name, podSelector, ...types, ingressRules, egressRules, source };
}

/** policyTypes as given, or the default: Ingress always, Egress when there are egress rules. */
function policyTypes(object: NetworkPolicyObject, report: Refusal): { ingress: boolean; egress: boolean } {
  const given = object.spec.policyTypes ?? [];
  if (given.length === 0) return { ingress: true, egress: (object.spec.egress ?? []).length > 0 };
  if (given.length > 2) report('MS607', 'spec.policyTypes', `policyTypes may list at most two types, Ingress and Egress (found ${given.length})`);
  given.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) report('MS607', `spec.policyTypes.${i}`, mustBeOneOf('policyTypes', POLICY_TYPES, t));
  });
  return { ingress: given.includes('Ingress'), egress: given.includes('Egress') };
}

function rule(peers: PeerObject[] | null | undefined, ports: PortObject[] | null | undefined, at: string, side: 'from' | 'to', namespace: string, report: Refusal): NetworkPolicyRule {
  // Empty or missing lists mean everyone and every port, not no one.
  return {
    peers: peers && peers.length > 0 ? peers.flatMap((p, i) => peer(p, `${at}.${side}.${i}`, namespace, report)) : 'everyone',
    ports: ports && ports.length > 0 ? ports.flatMap((p, i) => port(p, `${at}.ports.${i}`, report)) : 'all',
  };
}

function peer(p: PeerObject, at: string, namespace: string, report: Refusal): NetworkPolicyPeer[] {
  const given = [p.podSelector, p.namespaceSelector, p.ipBlock].filter((x) => x != null).length;
  if (given === 0) return refused(report, 'MS605', at, 'a peer must give podSelector, namespaceSelector or ipBlock');
  if (p.ipBlock != null && given > 1) return refused(report, 'MS605', at, 'a peer may not give ipBlock together with podSelector or namespaceSelector; make them two peers');
  if (p.ipBlock != null) return block(p.ipBlock, `${at}.ipBlock`, report);
  const pods = selector(p.podSelector, `${at}.podSelector`, report);
  if (p.namespaceSelector == null) return [{ kind: 'pods', namespace, podSelector: pods }];
  return [{ kind: 'namespaces', namespaceSelector: selector(p.namespaceSelector, `${at}.namespaceSelector`, report), podSelector: pods }];
}

function block(ipBlock: NonNullable<PeerObject['ipBlock']>, at: string, report: Refusal): NetworkPolicyPeer[] {
  const cidr = canonicalCidr(ipBlock.cidr);
  if (!cidr || !ipBlock.cidr.includes('/')) return refused(report, 'MS606', `${at}.cidr`, `"${ipBlock.cidr}" is not a CIDR such as 203.0.113.0/24`);
  const prefix = parseCidr(cidr)!.prefix;
  const except: string[] = [];
  (ipBlock.except ?? []).forEach((text, i) => {
    const inner = canonicalCidr(text);
    if (!inner || !text.includes('/')) report('MS606', `${at}.except.${i}`, `"${text}" is not a CIDR such as 203.0.113.0/28`);
    else if (!cidrInside(inner, [cidr]) || parseCidr(inner)!.prefix <= prefix) report('MS606', `${at}.except.${i}`, `"${text}" must lie strictly inside the cidr ${ipBlock.cidr}`);
    else except.push(inner);
  });
  return [{ kind: 'block', cidr, except }];
}

function port(p: PortObject, at: string, report: Refusal): NetworkPolicyPort[] {
  const protocolText = p.protocol ?? 'TCP';
  const protocol = PROTOCOLS[protocolText as keyof typeof PROTOCOLS];
  if (!protocol) return refused(report, 'MS604', `${at}.protocol`, mustBeOneOf('protocol', Object.keys(PROTOCOLS), protocolText));
  if (p.port == null) {
    if (p.endPort != null) return refused(report, 'MS604', `${at}.port`, 'endPort needs a port: the range is port to endPort');
    return [{ protocol }];
  }
  if (typeof p.port === 'string') {
    if (!isPortName(p.port)) return refused(report, 'MS604', `${at}.port`, mustBe('port', 'a port number or a port name (1 to 15 lowercase letters, digits and "-", with a letter)', p.port));
    if (p.endPort != null) return refused(report, 'MS604', `${at}.endPort`, `endPort may not follow a named port ("${p.port}"); give a number as port`);
    return [{ protocol, port: p.port }];
  }
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) return refused(report, 'MS604', `${at}.port`, mustBe('port', 'a whole number from 1 to 65535', p.port));
  const to = p.endPort ?? p.port;
  if (!Number.isInteger(to) || to < p.port || to > 65535) return refused(report, 'MS604', `${at}.endPort`, mustBe('endPort', `a whole number from port (${p.port}) to 65535`, to));
  return [{ protocol, port: { from: p.port, to } }];
}

/** Reports a refusal and gives nothing to import in its place. */
function refused(report: Refusal, code: string, path: string, message: string): [] {
  report(code, path, message);
  return [];
}

function selector(object: Parameters<typeof selectorText>[0], at: string, report: Refusal): string {
  const { text, problems } = selectorText(object);
  for (const p of problems) report('MS603', `${at}.${p.path}`, p.message);
  return text;
}
