import { z } from 'zod';

// networking.k8s.io/v1 NetworkPolicy, as far as its meaning goes: the shape a file must have
// (unknown fields in spec are refused, as `kubectl apply` with strict field validation does);
// what the API server checks beyond the shape is in network-policy-validate.ts.

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).nullish(),
  matchExpressions: z
    .array(z.strictObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() }))
    .nullish(),
});

const peer = z.strictObject({
  podSelector: labelSelector.nullish(),
  namespaceSelector: labelSelector.nullish(),
  ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).nullish() }).nullish(),
});

const port = z.strictObject({
  protocol: z.string().nullish(),
  // Whole numbers are checked with the other port rules (network-policy-validate.ts), so a bad one is one error among the rest.
  port: z.union([z.number(), z.string()]).nullish(),
  endPort: z.number().nullish(),
});

export const networkPolicySchema = z.object({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('NetworkPolicy'),
  // Objects read back from a cluster carry uid, resourceVersion, annotations…: not our concern.
  metadata: z.looseObject({ name: z.string(), namespace: z.string().nullish() }),
  spec: z.strictObject({
    podSelector: labelSelector.nullish(),
    policyTypes: z.array(z.string()).nullish(),
    ingress: z.array(z.strictObject({ from: z.array(peer).nullish(), ports: z.array(port).nullish() })).nullish(),
    egress: z.array(z.strictObject({ to: z.array(peer).nullish(), ports: z.array(port).nullish() })).nullish(),
  }),
});

export type NetworkPolicyObject = z.infer<typeof networkPolicySchema>;
export type LabelSelectorObject = z.infer<typeof labelSelector>;
export type PeerObject = z.infer<typeof peer>;
export type PortObject = z.infer<typeof port>;

/** A policy the API server would accept, with what `kubectl apply` fills in: the namespace and policyTypes. */
export interface NetworkPolicy {
  namespace: string;
  name: string;
  /** kubectl selector text of spec.podSelector; `''` selects every pod of the namespace. */
  podSelector: string;
  ingress: boolean;
  egress: boolean;
  ingressRules: NetworkPolicyRule[];
  egressRules: NetworkPolicyRule[];
  /** Where it was read: `file` and the document's path prefix (`items.2.` in a List). */
  source: { file: string; line?: number };
}

/** One ingress or egress rule: peers (none means every source or destination) and ports (none means all). */
export interface NetworkPolicyRule {
  peers: NetworkPolicyPeer[] | 'everyone';
  ports: NetworkPolicyPort[] | 'all';
}

/**
 * A peer: pods (namespace by name, or by a namespace selector; `''` is every namespace; pod
 * selector `''` is every pod) or a block of addresses outside the cluster.
 */
export type NetworkPolicyPeer =
  | { kind: 'pods'; namespace: string; podSelector: string }
  | { kind: 'namespaces'; namespaceSelector: string; podSelector: string }
  | { kind: 'block'; cidr: string; except: string[] };

export interface NetworkPolicyPort {
  protocol: 'tcp' | 'udp' | 'sctp';
  /** A number, a range (endPort), a named container port, or every port of the protocol. */
  port?: { from: number; to: number } | string;
}

/** The label every namespace carries with its own name (Kubernetes 1.21 and later). */
export { NAMESPACE_NAME_LABEL } from '../policy/namespace-name';
