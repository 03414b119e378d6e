import { emptyPolicy } from '@shared/policy/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from '@shared/api/contract';
import { useAnalysisStore, type AnalysisTask } from './analysis-store';

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

/** Starts `task` with its request left unanswered; `answer` ends it. */
async function startHeld(task: AnalysisTask): Promise<{ stopId: string; answer: (response: ApiResponse<unknown>) => Promise<void> }> {
  let answer: (response: ApiResponse<unknown>) => void = () => undefined;
  const { request } = await import('../api/request');
  vi.mocked(request).mockImplementationOnce(() => new Promise((resolve) => (answer = resolve as typeof answer)));
  const store = useAnalysisStore.getState();
  const running = task === 'matrix' ? store.computeMatrix(input) : task === 'impact' ? store.computeImpact(input, { kind: 'file', path: '/tmp/p.yaml' }) : store.replayLog(input, '/tmp/c.csv');
  const [, asked] = vi.mocked(request).mock.calls.at(-1)!;
  return {
    stopId: (asked as { stopId: string }).stopId,
    answer: async (response) => {
      answer(response);
      await running;
    },
  };
}

const STOPPED: ApiResponse<unknown> = { ok: false, error: { code: 'stopped', message: 'stopped' } };

describe('progress reports', () => {
  it.each(['matrix', 'impact', 'replay'] as const)("%s: shows its own run's progress, not another window's run of the same analysis", async (task) => {
    const { stopId: ours, answer } = await startHeld(task);

    useAnalysisStore.getState().setProgress({ task, runId: 'another-window', done: 90, total: 100, unit: 'hosts' });
    expect(useAnalysisStore.getState().progress[task]).toBeUndefined();
    useAnalysisStore.getState().setProgress({ task, runId: ours, done: 3, total: 100, unit: 'hosts' });
    expect(useAnalysisStore.getState().progress[task]).toEqual({ done: 3, total: 100, unit: 'hosts' });

    await answer(STOPPED);
    expect(useAnalysisStore.getState().progress[task]).toBeUndefined();
  });

  // The deploy dialog's impact, say, running beside the Impact tab's: its bar must not take the dialog's reports.
  it.each(['matrix', 'impact', 'replay'] as const)('%s: shows no report that names no run, as it cannot be of the run this window asked for', async (task) => {
    const { answer } = await startHeld(task);

    useAnalysisStore.getState().setProgress({ task, done: 90, total: 100, unit: 'pairs' });
    expect(useAnalysisStore.getState().progress[task]).toBeUndefined();

    await answer(STOPPED);
  });
});

describe('Stop', () => {
  it.each(['matrix', 'impact', 'replay'] as const)('%s: asks work:stop for the id its running request carries', async (task) => {
    const { stopId, answer } = await startHeld(task);
    const { request } = await import('../api/request');

    useAnalysisStore.getState().stop(task);

    expect(vi.mocked(request)).toHaveBeenLastCalledWith('work:stop', { stopId });
    await answer(STOPPED);
  });

  it('a stopped comparison shows nothing of it, is no failure, and says what it compared with, to compare again', async () => {
    useAnalysisStore.setState({ impact: null, impactFailure: null, impactStopped: null });
    const { answer } = await startHeld('impact');

    await answer(STOPPED);

    expect(useAnalysisStore.getState()).toMatchObject({ impact: null, impactFailure: null, impactStopped: { kind: 'file', path: '/tmp/p.yaml' }, impactRunning: false });
  });

  it('a stopped matrix says so and keeps the last complete matrix, of the drawing it was computed on', async () => {
    const older = { ...input, policy: { ...input.policy, revision: 7 } };
    answers.push({ ok: true, value: { matrix: { groups: [] }, durationMs: 1 } });
    await useAnalysisStore.getState().computeMatrix(older);
    const { answer } = await startHeld('matrix');

    await answer(STOPPED);

    expect(useAnalysisStore.getState()).toMatchObject({ matrixStopped: true, matrixRunning: false });
    expect(useAnalysisStore.getState().matrix?.input).toBe(older);
  });

  it('a matrix that starts again clears the stopped one, and one that fails is no stop', async () => {
    useAnalysisStore.setState({ matrixStopped: true });
    const { answer } = await startHeld('matrix');
    expect(useAnalysisStore.getState().matrixStopped).toBe(false);

    await answer({ ok: false, error: { code: 'bad-request', message: 'the drawing has errors' } });
    expect(useAnalysisStore.getState().matrixStopped).toBe(false);
  });

  it('a stopped replay shows nothing of it and says which log it replayed, to replay again', async () => {
    answers.push({ ok: true, value: { replay: { entries: [] }, problems: 0, log: '/tmp/c.csv', durationMs: 1 } });
    await useAnalysisStore.getState().replayLog(input, '/tmp/c.csv');
    const { answer } = await startHeld('replay');

    await answer(STOPPED);

    expect(useAnalysisStore.getState()).toMatchObject({ replay: null, replayStopped: '/tmp/c.csv', replayRunning: false });
  });

  it('a replay that starts again clears the stopped one', () => {
    useAnalysisStore.setState({ replayStopped: '/tmp/c.csv' });
    answers.push({ ok: true, value: { replay: { entries: [] }, problems: 0, log: '/tmp/d.csv', durationMs: 1 } });
    const done = useAnalysisStore.getState().replayLog(input, '/tmp/d.csv');
    expect(useAnalysisStore.getState().replayStopped).toBeNull();
    return done;
  });

  it('a comparison that starts again clears the stopped one', async () => {
    useAnalysisStore.setState({ impactStopped: { kind: 'file', path: '/tmp/p.yaml' } });
    answers.push({ ok: true, value: impact });
    await useAnalysisStore.getState().computeImpact(input, { kind: 'file', path: '/tmp/p.yaml' });
    expect(useAnalysisStore.getState().impactStopped).toBeNull();
  });
});

// A path typed in the browser's dialog that cannot be read is asked for again there: the
// analysis that refused it shows nothing of it, in the panel or as a banner.
describe('a file the caller refuses', () => {
  const noSuchFile = { code: 'not-found', message: 'Could not read /tmp/x: it does not exist.' } as const;
  const isMissing = (error: { code: string }): boolean => error.code === 'not-found';

  it('a comparison gives it back and the panel shows again what it showed before', async () => {
    answers.push({ ok: true, value: impact });
    await useAnalysisStore.getState().computeImpact(input, { kind: 'file', path: '/tmp/p.yaml' });
    const before = useAnalysisStore.getState().impact;

    answers.push({ ok: false, error: noSuchFile });
    expect(await useAnalysisStore.getState().computeImpact(input, { kind: 'file', path: '/tmp/x' }, isMissing)).toEqual(noSuchFile);
    expect(useAnalysisStore.getState()).toMatchObject({ impact: before, impactFailure: null, impactStopped: null, impactRunning: false });
  });

  it('a replay gives it back, makes no notice of it, and keeps the last replay', async () => {
    const { request } = await import('../api/request');
    answers.push({ ok: true, value: { replay: { entries: [] }, problems: 0, log: '/tmp/c.csv', durationMs: 1 } });
    await useAnalysisStore.getState().replayLog(input, '/tmp/c.csv');

    answers.push({ ok: false, error: noSuchFile });
    expect(await useAnalysisStore.getState().replayLog(input, '/tmp/x', isMissing)).toEqual(noSuchFile);
    const [, , options] = vi.mocked(request).mock.calls.at(-1)!;
    expect(options?.handles?.(noSuchFile)).toBe(true);
    expect(useAnalysisStore.getState()).toMatchObject({ replay: { log: '/tmp/c.csv' }, replayStopped: null, replayRunning: false });
  });

  it('a failure it does not name is shown as before, and is a notice for a replay', async () => {
    const { request } = await import('../api/request');
    const drawingErrors = { code: 'bad-request', message: 'The drawing has errors.', detail: 'MS101' } as const;
    answers.push({ ok: false, error: drawingErrors });
    expect(await useAnalysisStore.getState().computeImpact(input, { kind: 'file', path: '/tmp/p.yaml' }, isMissing)).toBeUndefined();
    expect(useAnalysisStore.getState().impactFailure).toEqual({ against: { kind: 'file', path: '/tmp/p.yaml' }, error: drawingErrors });

    answers.push({ ok: false, error: drawingErrors });
    expect(await useAnalysisStore.getState().replayLog(input, '/tmp/c.csv', isMissing)).toBeUndefined();
    const [, , options] = vi.mocked(request).mock.calls.at(-1)!;
    expect(options?.handles?.(drawingErrors)).toBe(false);
    expect(useAnalysisStore.getState().replay).toBeNull();
  });
});
