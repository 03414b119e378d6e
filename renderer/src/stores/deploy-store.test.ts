import type { ApiResponse } from '@shared/api/contract';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useDeployStore } from './deploy-store';

// Rollback is offered only where there is something to roll back to.

const answers: ApiResponse<unknown>[] = [];
vi.mock('../api/request', () => ({ request: vi.fn(async () => Promise.resolve(answers.shift())) }));

describe('backups to roll back to', () => {
  beforeEach(() => useDeployStore.setState({ backups: [], deployId: 'd1', statuses: {} }));

  it('come from the service after a reload', async () => {
    answers.push({ ok: true, value: { running: [], outcomes: [], backups: ['host-a'] } });
    await useDeployStore.getState().restore();
    expect(useDeployStore.getState().backups).toEqual(['host-a']);
  });

  it('are added by a deploy that took effect, not by one that failed', () => {
    useDeployStore.getState().onFinished('d1', [
      { host: 'host-a', status: 'applied', message: 'ok', flowCount: 3, durationMs: 1 },
      { host: 'host-b', status: 'failed', message: 'ssh', flowCount: 0, durationMs: 1 },
    ]);
    expect(useDeployStore.getState().backups).toEqual(['host-a']);
  });
});
