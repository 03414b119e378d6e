import { randomUUID } from 'node:crypto';

// Objects shaped as `kubectl get -o json` shows them, with the fields a real API server fills
// in (uid, creationTimestamp, managed defaults), so the client parses what it would in a cluster.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion?: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generateName?: string;
    ownerReferences?: OwnerReference[];
    generation?: number;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface PodSpecInput {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  node?: string;
  /** Pod addresses; omitted for a pod still pending (no IP yet). */
  ips?: string[];
  owner?: { kind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job'; name: string };
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  image?: string;
}

/** A NetworkPolicy spec as written in YAML: selectors, rules and ports (the API server fills in the rest). */
export interface NetworkPolicySpecInput {
  podSelector: Record<string, unknown>;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: { from?: Record<string, unknown>[]; ports?: NetworkPolicyPortInput[] }[];
  egress?: { to?: Record<string, unknown>[]; ports?: NetworkPolicyPortInput[] }[];
}

export interface NetworkPolicyPortInput {
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  port?: number | string;
  endPort?: number;
}

const APP_VERSIONS: Record<string, string> = { ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', Job: 'batch/v1', Deployment: 'apps/v1', CronJob: 'batch/v1' };

function metadata(name: string, namespace: string | undefined, labels: Record<string, string> | undefined): KubeObject['metadata'] {
  return { name, ...(namespace ? { namespace } : {}), uid: randomUUID(), creationTimestamp: new Date().toISOString(), ...(labels ? { labels } : {}) };
}

function ownerReference(kind: string, name: string): OwnerReference {
  return { apiVersion: APP_VERSIONS[kind] ?? 'v1', kind, name, uid: randomUUID(), controller: true, blockOwnerDeletion: true };
}

export function namespaceObject(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: metadata(name, undefined, { 'kubernetes.io/metadata.name': name, ...labels }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function nodeObject(name: string, internalIp: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: metadata(name, undefined, { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' }),
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    status: {
      addresses: [
        { type: 'InternalIP', address: internalIp },
        { type: 'Hostname', address: name },
      ],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: 'v1.30.0', containerRuntimeVersion: 'containerd://1.7.13', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

export function replicaSetObject(namespace: string, name: string, deployment: string): KubeObject {
  const object: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { ...metadata(name, namespace, { 'pod-template-hash': name.split('-').pop() ?? 'abc' }), annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas: 1, selector: { matchLabels: { 'pod-template-hash': name.split('-').pop() ?? 'abc' } } },
    status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
  };
  object.metadata.ownerReferences = [ownerReference('Deployment', deployment)];
  return object;
}

export function jobObject(namespace: string, name: string, cronJob?: string): KubeObject {
  const object: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(name, namespace, { 'job-name': name }),
    spec: { backoffLimit: 6, completions: 1, parallelism: 1 },
    status: { active: 1, startTime: new Date().toISOString() },
  };
  if (cronJob) object.metadata.ownerReferences = [ownerReference('CronJob', cronJob)];
  return object;
}

export function podObject(input: PodSpecInput): KubeObject {
  const ips = input.ips ?? [];
  const containerName = input.labels?.app ?? 'main';
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: metadata(input.name, input.namespace, input.labels ?? {}),
    spec: {
      containers: [
        {
          name: containerName,
          image: input.image ?? 'registry.example/app:1.0',
          imagePullPolicy: 'IfNotPresent',
          ports: (input.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      ...(input.node ? { nodeName: input.node } : {}),
      restartPolicy: input.owner?.kind === 'Job' ? 'Never' : 'Always',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    },
    status:
      ips.length > 0
        ? {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'True' }],
            hostIP: '192.0.2.10',
            podIP: ips[0],
            podIPs: ips.map((ip) => ({ ip })),
            startTime: new Date().toISOString(),
            qosClass: 'BestEffort',
            containerStatuses: [{ name: containerName, ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString() } } }],
          }
        : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: input.node ? 'True' : 'False' }], qosClass: 'BestEffort' },
  };
  if (input.owner) {
    object.metadata.generateName = `${input.owner.name}-`;
    object.metadata.ownerReferences = [ownerReference(input.owner.kind, input.owner.name)];
  }
  return object;
}

/**
 * A NetworkPolicy as the API server stores it: policyTypes defaulted (Ingress, plus Egress when
 * there are egress rules) and every port's protocol defaulted to TCP, as `kubectl get -o json` shows.
 */
export function networkPolicyObject(namespace: string, name: string, spec: NetworkPolicySpecInput): KubeObject {
  const withProtocol = (ports: NetworkPolicyPortInput[] | undefined): NetworkPolicyPortInput[] | undefined => ports?.map((p) => ({ protocol: 'TCP', ...p }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { ...metadata(name, namespace, undefined), generation: 1 },
    spec: {
      podSelector: spec.podSelector,
      ...(spec.ingress ? { ingress: spec.ingress.map((r) => ({ ...r, ...(r.ports ? { ports: withProtocol(r.ports) } : {}) })) } : {}),
      ...(spec.egress ? { egress: spec.egress.map((r) => ({ ...r, ...(r.ports ? { ports: withProtocol(r.ports) } : {}) })) } : {}),
      policyTypes: spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']),
    },
  };
}
