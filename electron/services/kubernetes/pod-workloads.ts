import type { V1Job, V1Namespace, V1Node, V1OwnerReference, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { SourceHost } from '@shared/api/contract';
import type { Workload, WorkloadPort } from '@shared/inventory/model';

/** Lookups into the watched caches that a pod's workload depends on besides the pod itself. */
export interface PodContext {
  namespace(name: string): V1Namespace | undefined;
  replicaSet(namespace: string, name: string): V1ReplicaSet | undefined;
  job(namespace: string, name: string): V1Job | undefined;
}

/** `kubernetes:CONTEXT/NAMESPACE/NAME`: unique across sources, contexts and namespaces. */
export function podWorkloadId(context: string, namespace: string, name: string): string {
  return `kubernetes:${context}/${namespace}/${name}`;
}

/**
 * A pod as a workload. The node is its enforcement host; a pod that has no IP yet (pending)
 * is kept, with no addresses, so the user still sees it.
 */
export function podToWorkload(context: string, pod: V1Pod, lookups: PodContext): Workload {
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const owner = podOwner(pod, namespace, lookups);
  const ports = containerPorts(pod);
  const image = pod.spec?.containers[0]?.image;
  return {
    id: podWorkloadId(context, namespace, name),
    name,
    host: pod.spec?.nodeName ?? '',
    addresses: podAddresses(pod),
    labels: { ...pod.metadata?.labels },
    ...(image ? { image } : {}),
    namespace,
    namespaceLabels: { ...lookups.namespace(namespace)?.metadata?.labels },
    ...(ports.length > 0 ? { ports } : {}),
    ...(owner ? { owner } : {}),
    ...(pod.status?.phase ? { state: pod.status.phase.toLowerCase() } : {}),
    origin: { kind: 'kubernetes', source: context },
  };
}

/**
 * Every pod IP (both families on a dual-stack cluster), from podIPs, else the older podIP. None
 * for a pod that has finished (Succeeded, Failed: its IP may already be another pod's) or that
 * uses the host's network (its IP is the node's, shared with every other such pod there, so no
 * rule on that address could tell them apart): such pods take no part in the policy.
 */
export function podAddresses(pod: V1Pod): string[] {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed' || pod.spec?.hostNetwork) return [];
  const listed = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => Boolean(ip));
  const addresses = listed.length > 0 ? listed : pod.status?.podIP ? [pod.status.podIP] : [];
  return [...new Set(addresses)];
}

function containerPorts(pod: V1Pod): WorkloadPort[] {
  return (pod.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p): WorkloadPort => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.containerPort,
      protocol: p.protocol === 'UDP' ? 'udp' : p.protocol === 'SCTP' ? 'sctp' : 'tcp',
    })),
  );
}

/**
 * The controller a person manages: a Deployment through its ReplicaSet, a CronJob through its
 * Job, as the owner references say (names are never guessed). While the intermediate object is
 * not known yet, the direct owner is reported.
 */
function podOwner(pod: V1Pod, namespace: string, lookups: PodContext): { kind: string; name: string } | undefined {
  const direct = controllerOf(pod.metadata?.ownerReferences);
  if (!direct) return undefined;
  const parent =
    direct.kind === 'ReplicaSet'
      ? controllerOf(lookups.replicaSet(namespace, direct.name)?.metadata?.ownerReferences)
      : direct.kind === 'Job'
        ? controllerOf(lookups.job(namespace, direct.name)?.metadata?.ownerReferences)
        : undefined;
  const owner = parent ?? direct;
  return { kind: owner.kind, name: owner.name };
}

function controllerOf(references: V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return references?.find((r) => r.controller) ?? references?.[0];
}

/** A node as an enforcement host; its InternalIP is the default SSH address the user is offered. */
export function nodeToHost(node: V1Node): SourceHost {
  const addresses = (node.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address }));
  const internal = addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'ExternalIP');
  return { name: node.metadata?.name ?? '', addresses, ...(internal ? { suggestedAddress: internal.address } : {}) };
}

/**
 * A namespace as far as it is known without reading it: its `kubernetes.io/metadata.name`
 * label, which the API server sets on every namespace and never lets change.
 */
export function namespaceKnownByName(name: string): V1Namespace {
  return { metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
}

/** The nodes the pods name, without addresses: the hosts when the nodes themselves cannot be read. Sorted by name. */
export function hostsOfPods(workloads: Iterable<Workload>): SourceHost[] {
  const names = new Set<string>();
  for (const w of workloads) if (w.host) names.add(w.host);
  return [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, addresses: [] }));
}
