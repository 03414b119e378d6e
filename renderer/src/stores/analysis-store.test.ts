import { emptyPolicy } from '@shared/policy/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from '@shared/api/contract';
import { useAnalysisStore } from './analysis-store';

// A comparison's answer on screen must be the answer to the last comparison asked for.

const answers: ApiResponse<unknown>[] = [];
vi.mock('../api/request', () => ({ request: vi.fn(async () => Promise.resolve(answers.shift())) }));

const input = { policy: emptyPolicy('t'), inventory: { workloads: [], readAt: '2026-01-01T00:00:00Z' } };
const impact = { impact: { entries: [], stats: { pairsCompared: 2 } }, baseline: 'revision 3 of /tmp/p.yaml', durationMs: 4 };

describe('impact comparisons', () => {
  beforeEach(() => useAnalysisStore.setState({ impact: null, impactFailure: null }));

  it('a failed comparison replaces the result of the one before, and says which comparison failed', async () => {
    answers.push({ ok: true, value: impact });
    await useAnalysisStore.getState().computeImpact(input, { kind: 'file', path: '/tmp/p.yaml' });
    expect(useAnalysisStore.getState().impact?.baseline).toBe('revision 3 of /tmp/p.yaml');

    answers.push({ ok: false, error: { code: 'ssh-failed', message: 'Timed out while waiting for handshake' } });
    await useAnalysisStore.getState().computeImpact(input, { kind: 'deployed', hosts: ['host-a'] });
    expect(useAnalysisStore.getState().impact).toBeNull();
    expect(useAnalysisStore.getState().impactFailure).toEqual({
      against: { kind: 'deployed', hosts: ['host-a'] },
      error: { code: 'ssh-failed', message: 'Timed out while waiting for handshake' },
    });
  });

  it('a comparison that starts clears the last failure and result at once', () => {
    useAnalysisStore.setState({ impactFailure: { against: { kind: 'deployed', hosts: [] }, error: { code: 'ssh-failed', message: 'y' } } });
    answers.push({ ok: true, value: impact });
    const done = useAnalysisStore.getState().computeImpact(input, { kind: 'file', path: '/tmp/p.yaml' });
    expect(useAnalysisStore.getState()).toMatchObject({ impact: null, impactFailure: null, impactRunning: true });
    return done;
  });
});

describe('progress reports', () => {
  it("shows its own run's progress, not another window's run of the same analysis", async () => {
    let answer: (response: ApiResponse<unknown>) => void = () => undefined;
    const { request } = await import('../api/request');
    vi.mocked(request).mockImplementationOnce(() => new Promise((resolve) => (answer = resolve as typeof answer)));
    const running = useAnalysisStore.getState().computeMatrix(input);
    const [, asked] = vi.mocked(request).mock.calls.at(-1)!;
    const ours = (asked as { stopId: string }).stopId;

    useAnalysisStore.getState().setProgress({ task: 'matrix', runId: 'another-window', done: 90, total: 100, unit: 'hosts' });
    expect(useAnalysisStore.getState().progress.matrix).toBeUndefined();
    useAnalysisStore.getState().setProgress({ task: 'matrix', runId: ours, done: 3, total: 100, unit: 'hosts' });
    expect(useAnalysisStore.getState().progress.matrix).toEqual({ done: 3, total: 100, unit: 'hosts' });

    answer({ ok: false, error: { code: 'stopped', message: 'stopped' } });
    await running;
    expect(useAnalysisStore.getState().progress.matrix).toBeUndefined();
  });
});
