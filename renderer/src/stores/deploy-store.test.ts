import type { ApiResponse } from '@shared/api/contract';
import { emptyPolicy } from '@shared/policy/model';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from '../api/request';
import { deployCounts, rollbackStoppable, useDeployStore } from './deploy-store';
import { useModalStore } from './modal-store';
import { useNoticeStore } from './notice-store';

// Rollback is offered only where there is something to roll back to.

const answers: ApiResponse<unknown>[] = [];
vi.mock('../api/request', () => ({ request: vi.fn(async () => Promise.resolve(answers.shift())) }));

describe('backups to roll back to', () => {
  beforeEach(() => useDeployStore.setState({ backups: [], deployId: 'd1', statuses: {} }));

  it('come from the service after a reload', async () => {
    answers.push({ ok: true, value: { running: [], outcomes: [], backups: ['host-a'], backupsElsewhere: [] } });
    await useDeployStore.getState().restore();
    expect(useDeployStore.getState().backups).toEqual(['host-a']);
  });

  it('are added by a deploy that took effect or may have, not by one that failed before the switch took anything', () => {
    useDeployStore.getState().onFinished('d1', [
      { host: 'host-a', status: 'applied', message: 'ok', flowCount: 3, durationMs: 1, backedUp: true },
      { host: 'host-b', status: 'failed', message: 'ssh', flowCount: 0, durationMs: 1 },
      { host: 'host-c', status: 'failed', message: 'no answer to the bundle', flowCount: 0, durationMs: 1, backedUp: true },
    ]);
    expect(useDeployStore.getState().backups).toEqual(['host-a', 'host-c']);
  });
});

describe('backups read from another switch', () => {
  const elsewhere = { host: 'h1', readFrom: 'root@127.0.0.1:22, bridge br0', now: 'root@127.0.0.1:22, bridge br1' };
  beforeEach(() => useDeployStore.setState({ backups: [], backupsElsewhere: [], deployId: 'd1', statuses: {} }));

  it('come from the service, and go when it no longer names them (the target set back)', async () => {
    answers.push({ ok: true, value: { running: [], outcomes: [], backups: ['h1'], backupsElsewhere: [elsewhere] } });
    await useDeployStore.getState().restore();
    expect(useDeployStore.getState().backupsElsewhere).toEqual([elsewhere]);

    answers.push({ ok: true, value: { running: [], outcomes: [], backups: ['h1'], backupsElsewhere: [] } });
    await useDeployStore.getState().restore();
    expect(useDeployStore.getState().backupsElsewhere).toEqual([]);
  });

  it('go when a deploy to the switch the host reaches now leaves a backup of it', () => {
    useDeployStore.setState({ backups: ['h1'], backupsElsewhere: [elsewhere] });
    useDeployStore.getState().onFinished('d1', [{ host: 'h1', status: 'applied', message: 'ok', flowCount: 3, durationMs: 1, backedUp: true }]);
    expect(useDeployStore.getState().backupsElsewhere).toEqual([]);
  });
});

describe('targets that share a switch', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };
  const sharing = [
    { host: 'h1', sharer: 'h2' },
    { host: 'h2', sharer: 'h1' },
  ];

  it('are taken as the service tells them with the targets, and go when a change leaves each host its own switch', async () => {
    answers.push({ ok: true, value: { targets: [target, { ...target, host: 'h2' }], sharedSwitches: sharing } });
    await useDeployStore.getState().loadTargets();
    expect(useDeployStore.getState().sharedSwitches).toEqual(sharing);

    answers.push({ ok: true, value: { targets: [target], sharedSwitches: [] } });
    expect(await useDeployStore.getState().removeTarget('h2', { ...target, host: 'h2' })).toBe(true);
    expect(useDeployStore.getState().sharedSwitches).toEqual([]);
  });
});

describe('saving a target', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  it('sends the target the form started from, and reads the targets again when another window changed it since', async () => {
    const theirs = { ...target, bridge: 'br1' };
    useDeployStore.setState({ targets: [target] });
    answers.push({ ok: false, error: { code: 'conflict', message: 'changed elsewhere' } }, { ok: true, value: { targets: [theirs], sharedSwitches: [] } });

    expect(await useDeployStore.getState().saveTarget({ ...target, port: 2222 }, target)).toBe(false);

    const calls = vi.mocked(request).mock.calls.filter(([channel]) => channel === 'hosts:save');
    expect(calls.at(-1)?.[1]).toEqual({ target: { ...target, port: 2222 }, base: target });
    // The form's next save starts from their target.
    expect(useDeployStore.getState().targets).toEqual([theirs]);
  });
});

describe('a target saved anew', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  it("shows the host's last outcome only as the service still gives it, which it does not once the target reaches another switch", async () => {
    useDeployStore.setState({ targets: [target], statuses: { h1: { status: 'applied', message: '65 flows applied' } }, deployId: null, running: false });
    const moved = { ...target, bridge: 'br1' };
    answers.push({ ok: true, value: { targets: [moved], sharedSwitches: [] } }, { ok: true, value: { running: [], outcomes: [], backups: [], backupsElsewhere: [] } });

    expect(await useDeployStore.getState().saveTarget(moved, target)).toBe(true);

    expect(useDeployStore.getState().statuses).toEqual({});
  });
});

describe('notices about a host target', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  it('go once the target is saved, as they spoke of it as it was', async () => {
    useDeployStore.setState({ targets: [{ ...target, bridge: 'br1' }], statuses: {}, deployId: null, running: false });
    useNoticeStore.setState({ notices: [] });
    useNoticeStore.getState().push({ title: 'Rolling back', code: 'bad-request', message: 'backup of another switch', hosts: ['h1'] });
    useNoticeStore.getState().push({ title: 'Rolling back', code: 'ssh-failed', message: 'no answer', hosts: ['h2'] });
    answers.push({ ok: true, value: { targets: [target], sharedSwitches: [] } }, { ok: true, value: { running: [], outcomes: [], backups: [], backupsElsewhere: [] } });

    expect(await useDeployStore.getState().saveTarget(target, { ...target, bridge: 'br1' })).toBe(true);

    expect(useNoticeStore.getState().notices.map((n) => n.message)).toEqual(['no answer']);
  });
});

describe('forgetting a target', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  it('sends the target the form showed, and reads the targets again when another window changed it since', async () => {
    const theirs = { ...target, bridge: 'br1' };
    useDeployStore.setState({ targets: [target] });
    answers.push({ ok: false, error: { code: 'conflict', message: 'changed elsewhere' } }, { ok: true, value: { targets: [theirs], sharedSwitches: [] } });

    expect(await useDeployStore.getState().removeTarget('h1', target)).toBe(false);

    const calls = vi.mocked(request).mock.calls.filter(([channel]) => channel === 'hosts:remove');
    expect(calls.at(-1)?.[1]).toEqual({ host: 'h1', base: target });
    // The next Forget forgets their target.
    expect(useDeployStore.getState().targets).toEqual([theirs]);
  });
});

describe('starting a deploy', () => {
  it('names the spoof guards the user agreed to remove, and only when there are some', async () => {
    const inventory = { readAt: 'x', workloads: [] };
    answers.push({ ok: true, value: { deployId: 'd2' } }, { ok: true, value: { deployId: 'd3' } });
    await useDeployStore.getState().start(emptyPolicy('t'), inventory, ['h1'], [{ host: 'h1', ports: ['veth-web1'] }]);
    await useDeployStore.getState().start(emptyPolicy('t'), inventory, ['h1']);
    const calls = vi.mocked(request).mock.calls.filter(([channel]) => channel === 'deploy:start');
    expect(calls.map(([, args]) => (args as { removePortGuards?: unknown }).removePortGuards)).toEqual([[{ host: 'h1', ports: ['veth-web1'] }], undefined]);
  });
});

describe('a deploy refused before any host was touched', () => {
  it('leaves each host row as its last deploy or rollback ended, not failed with the reason for the refusal', async () => {
    const inventory = { readAt: 'x', workloads: [] };
    const applied = { status: 'applied' as const, message: '65 flows applied in 1492 ms' };
    useDeployStore.setState({ statuses: { h1: applied }, deployHosts: ['h1'], running: false });
    answers.push({ ok: false, error: { code: 'bad-request', message: 'Hosts "h2" and "h3" both reach one switch' } });

    await useDeployStore.getState().start(emptyPolicy('t'), inventory, ['h1', 'h2', 'h3']);

    const state = useDeployStore.getState();
    expect(state.statuses).toEqual({ h1: applied });
    expect(state.running).toBe(false);
    expect(state.deployHosts).toEqual(['h1']);
  });
});

describe('rolling back', () => {
  it('asks with the spoof guards the rollback would take away, and sends them only once agreed', async () => {
    answers.push({ ok: true, value: { host: 'h1', flowCount: 12, portGuardsLost: ['veth-a', 'veth-b'] } });
    const done = useDeployStore.getState().rollback('h1');
    await vi.waitFor(() => expect(useModalStore.getState().modal?.kind).toBe('confirm'));
    const modal = useModalStore.getState().modal as Extract<ReturnType<typeof useModalStore.getState>['modal'], { kind: 'confirm' }>;
    expect(modal.message).toContain('12 flows');
    expect(modal.loss?.summary).toBe('Removes the spoof guard of 2 switch ports on h1');
    expect(modal.loss?.items).toEqual(['veth-a', 'veth-b']);
    answers.push({ ok: true, value: { host: 'h1', status: 'rolled-back', message: 'Restored', flowCount: 12, durationMs: 1 } });
    modal.resolve(true);
    await done;
    const calls = vi.mocked(request).mock.calls.filter(([channel]) => channel === 'deploy:rollback');
    expect(calls.at(-1)?.[1]).toEqual({ host: 'h1', removePortGuards: ['veth-a', 'veth-b'], stopId: expect.any(String) });
    expect(useDeployStore.getState().rollbacks).toEqual({});
  });

  it("is stopped by its row's Stop, which names the rollback's own id; a stopped read of the switch is said on the row, and nothing is asked", async () => {
    useModalStore.setState({ modal: null });
    answers.push({ ok: false, error: { code: 'stopped', message: 'Stopped before the switch on h1 answered: nothing was rolled back, so it keeps its current flows.' } });
    const done = useDeployStore.getState().rollback('h1');

    useDeployStore.getState().stopRollback('h1');
    await done;

    const calls = vi.mocked(request).mock.calls.slice(-2);
    expect(calls.map(([channel]) => channel)).toEqual(['deploy:rollbackPreview', 'work:stop']);
    const [[, preview, options], [, stop]] = calls as [[string, { stopId: string }, { handles: (e: { code: string }) => boolean }], [string, { stopId: string }]];
    expect(stop.stopId).toBe(preview.stopId);
    // Said on the row, not as a notice as well.
    expect(options.handles({ code: 'stopped' })).toBe(true);
    expect(useDeployStore.getState().statuses['h1']).toEqual({ status: 'cancelled', message: 'Stopped before the switch on h1 answered: nothing was rolled back, so it keeps its current flows.' });
    expect(useDeployStore.getState().rollbacks).toEqual({});
    expect(useModalStore.getState().modal).toBeNull();
  });

  it("offers its row's Stop while the switch is read and while it rolls back, not while the user is asked, when nothing runs", async () => {
    useModalStore.setState({ modal: null });
    const stoppable = (): boolean => rollbackStoppable(useDeployStore.getState(), 'h1');
    answers.push({ ok: true, value: { host: 'h1', flowCount: 3, portGuardsLost: [] } });
    const done = useDeployStore.getState().rollback('h1');
    expect(stoppable()).toBe(true);

    await vi.waitFor(() => expect(useModalStore.getState().modal?.kind).toBe('confirm'));
    expect(stoppable()).toBe(false);

    // The rollback's answer waits until the test releases it.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    vi.mocked(request).mockImplementationOnce(async () => {
      await held;
      return { ok: true, value: { host: 'h1', status: 'rolled-back', message: 'Restored', flowCount: 3, durationMs: 1 } };
    });
    (useModalStore.getState().modal as { resolve: (yes: boolean) => void }).resolve(true);
    await vi.waitFor(() => expect(vi.mocked(request).mock.calls.at(-1)?.[0]).toBe('deploy:rollback'));
    expect(stoppable()).toBe(true);

    release();
    await done;
    expect(stoppable()).toBe(false);
  });

  it('asks nothing and changes nothing when the switch cannot be read first', async () => {
    answers.push({ ok: false, error: { code: 'ssh-failed', message: 'refused' } });
    const before = vi.mocked(request).mock.calls.length;
    await useDeployStore.getState().rollback('h1');
    expect(vi.mocked(request).mock.calls.slice(before).map(([channel]) => channel)).toEqual(['deploy:rollbackPreview']);
    expect(useDeployStore.getState().rollbacks).toEqual({});
  });

  it("says on the host's row why a rollback failed", async () => {
    useModalStore.setState({ modal: null });
    answers.push({ ok: true, value: { host: 'h1', flowCount: 3, portGuardsLost: [] } });
    const done = useDeployStore.getState().rollback('h1');
    await vi.waitFor(() => expect(useModalStore.getState().modal?.kind).toBe('confirm'));
    answers.push({ ok: false, error: { code: 'ssh-failed', message: 'Could not apply the flow table on h1.' } });
    (useModalStore.getState().modal as { resolve: (yes: boolean) => void }).resolve(true);
    await done;
    expect(useDeployStore.getState().statuses['h1']).toEqual({ status: 'failed', message: 'Rollback failed: Could not apply the flow table on h1.' });
  });
});

describe('another window', () => {
  it("shows how another window's deploy and rollback ended on each host, as a reload would, without taking its deploy as ours", () => {
    useDeployStore.setState({ deployId: 'mine', running: true, statuses: {}, backups: [] });
    useDeployStore.getState().onFinished('theirs', [{ host: 'h2', status: 'applied', message: '9 flows applied', flowCount: 9, durationMs: 1, backedUp: true }]);
    expect(useDeployStore.getState()).toMatchObject({ deployId: 'mine', running: true, backups: ['h2'] });
    expect(useDeployStore.getState().statuses['h2']).toEqual({ status: 'applied', message: '9 flows applied' });

    useDeployStore.getState().onRolledBack({ host: 'h2', status: 'rolled-back', message: 'Restored 3 flows', flowCount: 3, durationMs: 1 });
    expect(useDeployStore.getState().statuses['h2']).toEqual({ status: 'rolled-back', message: 'Restored 3 flows' });
  });
});

describe('cancelling a deploy', () => {
  const cancelled = (host: string) => ({ deployId: 'd1', host, step: 'cancelled' as const, message: 'Cancelled before it started' });

  beforeEach(() => useDeployStore.setState({ deployId: 'd1', running: true, cancelling: false, cancelNote: null, deployHosts: ['h1', 'h2', 'h3'], statuses: {} }));

  it('asks for the running deploy, and says what the cancel did until the deploy ends', async () => {
    answers.push({ ok: true, value: { deployId: 'd1', notStarted: ['h3'], stopping: ['h2'], finishing: ['h1'] } });
    const done = useDeployStore.getState().cancel();
    expect(useDeployStore.getState().cancelling).toBe(true);
    await done;
    expect(vi.mocked(request).mock.calls.at(-1)?.slice(0, 2)).toEqual(['deploy:cancel', { deployId: 'd1' }]);
    expect(useDeployStore.getState().cancelNote).toBe('Cancelled: 1 host not started, 1 host stopped before sending anything; they keep their flows. Applying already, so finishing with its real result: h1');

    useDeployStore.getState().onFinished('d1', [{ host: 'h1', status: 'applied', message: '9 flows applied', flowCount: 9, durationMs: 1, backedUp: true }]);
    expect(useDeployStore.getState()).toMatchObject({ running: false, cancelling: false, cancelNote: null });
  });

  it('shows a cancel from another window, by the hosts it ends, and takes it up after a reload', async () => {
    useDeployStore.getState().onProgress(cancelled('h3'));
    expect(useDeployStore.getState()).toMatchObject({ cancelling: true, cancelNote: null });
    expect(useDeployStore.getState().statuses['h3']).toEqual({ status: 'cancelled', message: 'Cancelled before it started' });

    useDeployStore.setState({ deployId: null, running: false, cancelling: false, statuses: {} });
    answers.push({ ok: true, value: { running: [{ deployId: 'd9', cancelling: true, progress: [{ ...cancelled('h3'), deployId: 'd9' }] }], outcomes: [], backups: [], backupsElsewhere: [] } });
    await useDeployStore.getState().restore();
    expect(useDeployStore.getState()).toMatchObject({ deployId: 'd9', running: true, cancelling: true, deployHosts: ['h3'] });
  });

  it('does not take up after a reload a deploy whose end came while it asked what runs', async () => {
    useDeployStore.setState({ deployId: null, running: false, cancelling: false, statuses: {}, ended: [] });
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (release = resolve));
    // The service answered while d7 still ran.
    const status = { running: [{ deployId: 'd7', cancelling: false, progress: [{ deployId: 'd7', host: 'h1', step: 'done', message: '9 flows applied' }] }], outcomes: [], backups: [], backupsElsewhere: [] };
    vi.mocked(request).mockImplementationOnce(async () => {
      await answered;
      return { ok: true, value: status } as never;
    });
    const restored = useDeployStore.getState().restore();
    // Its end reaches the window before the answer.
    useDeployStore.getState().onFinished('d7', [{ host: 'h1', status: 'applied', message: '9 flows applied', flowCount: 9, durationMs: 1 }]);
    release();
    await restored;
    expect(useDeployStore.getState()).toMatchObject({ running: false, deployId: null });
    expect(useDeployStore.getState().statuses['h1']).toEqual({ status: 'applied', message: '9 flows applied' });
  });

  it('asks nothing while a cancel is under way, and may cancel again once one was refused', async () => {
    const before = vi.mocked(request).mock.calls.length;
    useDeployStore.setState({ cancelling: true });
    await useDeployStore.getState().cancel();
    expect(vi.mocked(request).mock.calls.length).toBe(before);

    useDeployStore.setState({ cancelling: false });
    answers.push({ ok: false, error: { code: 'not-found', message: 'No deploy d1 is running' } });
    await useDeployStore.getState().cancel();
    expect(useDeployStore.getState().cancelling).toBe(false);
    // The refusal needs no notice only when the deploy has ended meanwhile.
    const { handles } = vi.mocked(request).mock.calls.at(-1)?.[2] as { handles: (e: { code: string; message: string }) => boolean };
    expect(handles({ code: 'not-found', message: '' })).toBe(false);
    useDeployStore.setState({ running: false });
    expect(handles({ code: 'not-found', message: '' })).toBe(true);
  });

  it('counts the hosts ended, in flight and waiting their turn', () => {
    const statuses = { h1: { status: 'apply' as const, message: '' }, h2: { status: 'cancelled' as const, message: '' }, h3: { status: 'queued' as const, message: '' } };
    expect(deployCounts(['h1', 'h2', 'h3', 'h4'], statuses)).toEqual({ ended: 1, inFlight: 1, queued: 2 });
  });
});

describe('a host waiting its turn', () => {
  const server = { bound: 'server', server: '127.0.0.1:2222', open: 2 } as const;
  const waiting = { deployId: 'd1', host: 'h2', step: 'queued', message: '4 flows to apply; waiting: 2 SSH sessions already open to 127.0.0.1:2222', waiting: server } as const;
  beforeEach(() => useDeployStore.setState({ deployId: 'd1', running: true, statuses: {}, ended: [] }));

  it('shows which bound on SSH sessions holds it, until its turn comes', () => {
    useDeployStore.getState().onProgress(waiting);
    expect(useDeployStore.getState().statuses['h2']).toEqual({ status: 'queued', message: waiting.message, waiting: server });

    useDeployStore.getState().onProgress({ deployId: 'd1', host: 'h2', step: 'connect', message: 'connecting' });
    expect(useDeployStore.getState().statuses['h2']).toEqual({ status: 'connect', message: 'connecting' });
  });

  it('shows it after a reload too, read from the running deploy', async () => {
    useDeployStore.setState({ deployId: null, running: false });
    answers.push({ ok: true, value: { running: [{ deployId: 'd1', cancelling: false, progress: [waiting] }], outcomes: [], backups: [], backupsElsewhere: [] } });
    await useDeployStore.getState().restore();
    expect(useDeployStore.getState().statuses['h2']?.waiting).toEqual(server);
  });
});

describe('a list of targets answered after a save', () => {
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  it('does not put back the targets as they were before the save (a re-read on focus while Save target ran)', async () => {
    useDeployStore.setState({ targets: [], sharedSwitches: [] });
    // The list is asked first and answered last, with the file as it was before the save.
    let answerList: (value: Awaited<ReturnType<typeof request>>) => void = () => undefined;
    vi.mocked(request).mockImplementationOnce(async () => new Promise((resolve) => (answerList = resolve)));
    const listing = useDeployStore.getState().loadTargets();
    answers.push({ ok: true, value: { targets: [target], sharedSwitches: [] } }, { ok: true, value: { running: [], outcomes: [], backups: [], backupsElsewhere: [] } });
    expect(await useDeployStore.getState().saveTarget(target, null)).toBe(true);
    answerList({ ok: true, value: { targets: [], sharedSwitches: [] } });
    await listing;
    expect(useDeployStore.getState().targets).toEqual([target]);
  });
});
