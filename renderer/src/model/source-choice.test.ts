import { describe, expect, it } from 'vitest';
import type { InventorySourceInfo } from '@shared/api/contract';
import { opensInNewWindow, sourceLabel } from './source-choice';

const context = (name: string, current: boolean): InventorySourceInfo => ({ id: `kubernetes:${name}`, kind: 'kubernetes', name: `Kubernetes: ${name}`, endpoint: 'https://127.0.0.1:6443', current });
const unreadable: InventorySourceInfo = { id: 'kubeconfig:/home/u/.kube/broken', kind: 'kubernetes', name: 'Kubernetes: kubeconfig broken', endpoint: '/home/u/.kube/broken', current: false, unreadable: 'it is a folder, not a file; name the kubeconfig file itself' };

describe('a source in the picker', () => {
  it('marks as current only the context kubectl or the docker CLI would use now', () => {
    expect(sourceLabel(context('prod', true))).toBe('Kubernetes: prod (current)');
    expect(sourceLabel(context('stage', false))).toBe('Kubernetes: stage');
  });

  it('says of a kubeconfig file that cannot be read what it is and why, never that it is current', () => {
    expect(sourceLabel(unreadable)).toBe('Kubernetes: kubeconfig broken (cannot be read: it is a folder, not a file; name the kubeconfig file itself)');
  });

  it('is opened by a new window when current, or when it cannot be read, so that the reason shows', () => {
    expect([context('prod', true), context('stage', false), unreadable].filter(opensInNewWindow).map((s) => s.id)).toEqual(['kubernetes:prod', 'kubeconfig:/home/u/.kube/broken']);
  });
});
