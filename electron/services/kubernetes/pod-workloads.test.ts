import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podToWorkload } from './pod-workloads';

const lookups = { namespace: () => undefined, replicaSet: () => undefined, job: () => undefined };

function pod(phase: string, extra: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod {
  return {
    metadata: { name: 'p', namespace: 'shop' },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }], ...extra },
    status: { phase, podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }, { ip: 'fd00::7' }] },
  };
}

describe('podToWorkload addresses', () => {
  it('keeps the addresses of a running pod', () => {
    expect(podToWorkload('ctx', pod('Running'), lookups).addresses).toEqual(['10.1.0.7', 'fd00::7']);
  });

  it('gives a finished pod no address: its IP may already be another pod’s', () => {
    expect(podToWorkload('ctx', pod('Succeeded'), lookups)).toMatchObject({ addresses: [], state: 'succeeded' });
    expect(podToWorkload('ctx', pod('Failed'), lookups)).toMatchObject({ addresses: [], state: 'failed' });
  });

  it('gives a host-network pod no address: the node’s IP cannot single it out', () => {
    expect(podToWorkload('ctx', pod('Running', { hostNetwork: true }), lookups).addresses).toEqual([]);
  });
});
