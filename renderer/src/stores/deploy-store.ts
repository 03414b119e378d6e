import type { BackupElsewhere, DeployCancel, DeployHostResult, DeployProgress, DeployStep, HostTarget, HostTargets, SharedSwitch, SshWait } from '@shared/api/contract';
import type { PortGuardLoss } from '@shared/compiler/port-guard-loss';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { create } from 'zustand';
import { request } from '../api/request';
import { without } from '../model/records';
import { StopIds, wasStopped } from '../api/stop-ids';
import { useModalStore, type ConfirmRequest } from './modal-store';
import { useNoticeStore } from './notice-store';

/** What a host row shows: the last step a deploy reported, or its final result. */
export interface HostStatus {
  status: DeployStep | DeployHostResult['status'];
  message: string;
  /** A queued host whose turn has not come: the bound on SSH sessions that holds it. */
  waiting?: SshWait;
}

/** Where a host's rollback is: reading its switch, asking the user, or rolling back. */
export type RollbackStep = 'reading' | 'asking' | 'applying';

interface DeployState {
  targets: HostTarget[];
  /** Hosts whose switch another saved target reaches too, as the service tells with the targets: deploys and rollbacks there are refused. */
  sharedSwitches: SharedSwitch[];
  /** The deploy this window started; progress of any other deploy is not ours to show. */
  deployId: string | null;
  /** Hosts of the deploy being started, before its id is known. */
  pendingHosts: string[];
  running: boolean;
  /** The hosts of the deploy this window follows, for its count of hosts ended, in flight and queued. */
  deployHosts: string[];
  /** A cancel of that deploy was asked for, from this window or another; hosts applying their table still finish. */
  cancelling: boolean;
  /** What this window's cancel did at once, in words; null when another window cancelled. */
  cancelNote: string | null;
  statuses: Record<string, HostStatus>;
  /** The hosts whose rollback is under way, with its step. */
  rollbacks: Record<string, RollbackStep>;
  /** Hosts with flows to roll back to: a deploy from this machine took effect there. */
  backups: string[];
  /** Hosts whose backup was read from another switch than their target reaches now: the service refuses their rollback. */
  backupsElsewhere: BackupElsewhere[];
  confirming: boolean;
  /**
   * Deploys this window saw end. Their end may come while the window asks what runs (after a
   * reload): the answer then still lists them, and must not be taken up as running.
   */
  ended: string[];
  loadTargets: () => Promise<void>;
  /**
   * True once saved. `base`: the target the form started from (null: none). Refused when another
   * window changed it since; the targets are then read again, so a second save starts from theirs.
   */
  saveTarget: (target: HostTarget, base: HostTarget | null) => Promise<boolean>;
  /**
   * True once the target is gone. `base`: the target the form showed. Refused when another window
   * changed it since; the targets are then read again, so a second Forget forgets theirs.
   */
  removeTarget: (host: string, base: HostTarget) => Promise<boolean>;
  setConfirming: (confirming: boolean) => void;
  /** `removePortGuards`: the spoof guards the user saw and agreed to remove; any other lost guard fails its host. */
  start: (policy: Policy, inventory: Inventory, hosts: string[], removePortGuards?: PortGuardLoss[]) => Promise<void>;
  /** Stops the hosts of the running deploy that are not applying yet (see deploy:cancel). */
  cancel: () => Promise<void>;
  rollback: (host: string) => Promise<void>;
  /** Stops the host's rollback: its SSH connection ends at once; a bundle already sent still finishes (see deploy:rollback). */
  stopRollback: (host: string) => void;
  onProgress: (progress: DeployProgress) => void;
  /** Another window's deploy ends too: each host shows how its last change ended, as after a reload. */
  onFinished: (deployId: string, results: DeployHostResult[]) => void;
  /** A rollback from this window or another. */
  onRolledBack: (result: DeployHostResult) => void;
  /** After a reload: takes up the deploy still running on the node side, and shows how each host's last change ended. */
  restore: () => Promise<void>;
}

/** Per host, the stopId of its rollback under way: its preview and the rollback itself carry it. */
const rollbackStops = new StopIds<string>();

/**
 * Saves and removes of a target started in this window. A list asked before one of them may be
 * answered after it, with the file as it was before (a re-read on focus while a Save target runs):
 * the save's own answer, the list after it, is then the one to show.
 */
let targetWrites = 0;

export const useDeployStore = create<DeployState>()((set, get) => ({
  targets: [],
  sharedSwitches: [],
  deployId: null,
  pendingHosts: [],
  running: false,
  deployHosts: [],
  cancelling: false,
  cancelNote: null,
  statuses: {},
  rollbacks: {},
  backups: [],
  backupsElsewhere: [],
  confirming: false,
  ended: [],

  loadTargets: async () => {
    const writesBefore = targetWrites;
    const response = await request('hosts:list', undefined);
    if (response.ok && targetWrites === writesBefore) set(targetsOf(response.value));
  },

  saveTarget: async (target, base) => {
    targetWrites++;
    const response = await request('hosts:save', { target, base });
    if (!response.ok) {
      // The notice says what the other window changed; the form then shows that target as its base.
      if (response.error.code === 'conflict') await get().loadTargets();
      return false;
    }
    // How the host's last change ended is asked again: the service leaves it out once the target
    // leads to another switch, where a row still saying "applied" would claim what never ran there.
    set((s) => ({ ...targetsOf(response.value), statuses: without(s.statuses, target.host) }));
    // A refused deploy or rollback of the host spoke of the target as it was.
    useNoticeStore.getState().settleHost(target.host);
    // A host configured again may have a backup from an earlier session.
    await get().restore();
    return true;
  },

  removeTarget: async (host, base) => {
    targetWrites++;
    const response = await request('hosts:remove', { host, base });
    if (!response.ok) {
      if (response.error.code === 'conflict') await get().loadTargets();
      return false;
    }
    set(targetsOf(response.value));
    useNoticeStore.getState().settleHost(host);
    return true;
  },

  setConfirming: (confirming) => set({ confirming }),

  start: async (policy, inventory, hosts, removePortGuards = []) => {
    const queued = statusOf(hosts, { status: 'queued', message: 'waiting to start' });
    const before = get();
    set((s) => ({
      confirming: false,
      running: true,
      deployId: null,
      pendingHosts: hosts,
      deployHosts: hosts,
      cancelling: false,
      cancelNote: null,
      statuses: { ...s.statuses, ...queued },
    }));
    const response = await request('deploy:start', { policy, inventory, hosts, ...(removePortGuards.length > 0 ? { removePortGuards } : {}) });
    if (!response.ok) {
      // Refused before any host was touched (the notice says why): each row shows again how its
      // switch was last changed, which a "failed" naming another host's problem would hide.
      set((s) => ({ running: false, pendingHosts: [], deployHosts: before.deployHosts, statuses: putBack(s.statuses, before.statuses, hosts) }));
      return;
    }
    // Events may have arrived first and already told us the id; either way it is this one.
    set({ deployId: response.value.deployId, pendingHosts: [] });
  },

  cancel: async () => {
    const { deployId, cancelling } = get();
    if (deployId === null || cancelling) return;
    set({ cancelling: true });
    // A deploy that ended as Cancel was pressed needs no notice: its hosts show how each ended.
    const response = await request('deploy:cancel', { deployId }, { handles: (e) => e.code === 'not-found' && !get().running });
    if (!response.ok) {
      set({ cancelling: false });
      return;
    }
    if (get().deployId === deployId && get().running) set({ cancelNote: cancelNote(response.value) });
  },

  rollback: async (host) => {
    // Read first what the rollback would take away: a backup from before a spoof guard was
    // deployed would leave its ports unguarded, which the question must say.
    const stopId = rollbackStops.start(host);
    set((s) => ({ rollbacks: { ...s.rollbacks, [host]: 'reading' } }));
    // A stopped preview is said on the host's row, where the rollback would have said how it went.
    const preview = await request('deploy:rollbackPreview', { host, stopId }, { handles: wasStopped });
    if (!preview.ok && wasStopped(preview.error)) {
      rollbackStops.end(host, stopId);
      set((s) => ({ rollbacks: without(s.rollbacks, host), statuses: { ...s.statuses, [host]: { status: 'cancelled', message: preview.error.message } } }));
      return;
    }
    const lost = preview.ok ? preview.value.portGuardsLost : [];
    // Nothing runs while the user decides: the row offers no Stop.
    if (preview.ok) set((s) => ({ rollbacks: { ...s.rollbacks, [host]: 'asking' } }));
    const sure =
      preview.ok &&
      (await useModalStore.getState().confirm({
        title: `Roll back ${host}?`,
        message: `The switch on ${host} gets back the ${preview.value.flowCount} flows it had before the last successful deploy from this machine; the policy deployed now stops being enforced there.`,
        confirmLabel: 'Roll back',
        ...(lost.length > 0 ? { loss: guardLoss(host, lost) } : {}),
      }));
    if (!sure) {
      rollbackStops.end(host, stopId);
      set((s) => ({ rollbacks: without(s.rollbacks, host) }));
      return;
    }
    set((s) => ({ rollbacks: { ...s.rollbacks, [host]: 'applying' } }));
    const response = await request('deploy:rollback', { host, ...(lost.length > 0 ? { removePortGuards: lost } : {}), stopId });
    rollbackStops.end(host, stopId);
    set((s) => ({
      rollbacks: without(s.rollbacks, host),
      // A failed rollback says why on the host's row too, where the last deploy's result would mislead.
      statuses: { ...s.statuses, [host]: response.ok ? { status: response.value.status, message: response.value.message } : { status: 'failed', message: `Rollback failed: ${response.error.message}` } },
    }));
  },

  stopRollback: (host) => {
    rollbackStops.stop(host);
  },

  onProgress: (progress) => {
    if (!isOurs(get(), progress.deployId, progress.host)) return;
    set((s) => ({
      deployId: s.deployId ?? progress.deployId,
      // Only a cancel ends a host as cancelled: from whichever window it came, it holds for the whole deploy.
      cancelling: s.cancelling || progress.step === 'cancelled',
      statuses: { ...s.statuses, [progress.host]: statusOfStep(progress) },
    }));
  },

  onFinished: (deployId, results) => {
    const finals: Record<string, HostStatus> = {};
    for (const r of results) finals[r.host] = { status: r.status, message: r.message };
    // A deploy that took effect, or may have, left a backup of what the host had before it.
    const backedUp = results.filter((r) => r.backedUp === true).map((r) => r.host);
    // Such a backup was read from the switch the host reaches now.
    const elsewhere = (s: DeployState): BackupElsewhere[] => s.backupsElsewhere.filter((b) => !backedUp.includes(b.host));
    // A few are enough: only an answer already on its way can still name one.
    const ended = (s: DeployState): string[] => [...s.ended.slice(-7), deployId];
    if (!isOurs(get(), deployId, results[0]?.host)) {
      set((s) => ({ statuses: { ...s.statuses, ...finals }, backups: [...new Set([...s.backups, ...backedUp])], backupsElsewhere: elsewhere(s), ended: ended(s) }));
      return;
    }
    set((s) => ({
      ended: ended(s),
      running: false,
      deployId,
      pendingHosts: [],
      cancelling: false,
      cancelNote: null,
      statuses: { ...s.statuses, ...finals },
      backups: [...new Set([...s.backups, ...backedUp])],
      backupsElsewhere: elsewhere(s),
    }));
  },

  onRolledBack: (result) => set((s) => ({ statuses: { ...s.statuses, [result.host]: { status: result.status, message: result.message } } })),

  restore: async () => {
    const response = await request('deploy:status', undefined);
    if (!response.ok) return;
    const { running, outcomes, backups, backupsElsewhere } = response.value;
    const statuses: Record<string, HostStatus> = {};
    for (const r of outcomes) statuses[r.host] = { status: r.status, message: r.message };
    // A deploy that ended while the answer was on its way is not taken up: nothing would end it again.
    const latest = running.filter((r) => !get().ended.includes(r.deployId)).at(-1);
    for (const p of latest?.progress ?? []) statuses[p.host] = statusOfStep(p);
    // Anything this window already knows is newer than what it asked for.
    set((s) => ({
      ...(latest && s.deployId === null
        ? { deployId: latest.deployId, running: true, deployHosts: latest.progress.map((p) => p.host), cancelling: latest.cancelling }
        : {}),
      statuses: { ...statuses, ...s.statuses },
      backups: [...new Set([...backups, ...s.backups])],
      backupsElsewhere,
    }));
  },
}));

/** How many of a deploy's hosts have ended, are in flight, and wait their turn. */
export function deployCounts(hosts: readonly string[], statuses: Record<string, HostStatus>): { ended: number; inFlight: number; queued: number } {
  const counts = { ended: 0, inFlight: 0, queued: 0 };
  for (const host of hosts) {
    const status = statuses[host]?.status;
    if (status === 'queued' || status === undefined) counts.queued++;
    else if (status === 'connect' || status === 'backup' || status === 'apply' || status === 'verify') counts.inFlight++;
    else counts.ended++;
  }
  return counts;
}

/** What a cancel did at once, as the Hosts panel says it until the deploy ends. */
function cancelNote({ notStarted, stopping, finishing }: DeployCancel): string {
  const hosts = (n: number): string => `${n} ${n === 1 ? 'host' : 'hosts'}`;
  const parts = [
    notStarted.length > 0 ? `${hosts(notStarted.length)} not started` : '',
    stopping.length > 0 ? `${hosts(stopping.length)} stopped before sending anything` : '',
  ].filter((p) => p !== '');
  const cancelled = parts.length > 0 ? `Cancelled: ${parts.join(', ')}; ${notStarted.length + stopping.length === 1 ? 'it keeps its' : 'they keep their'} flows` : 'Cancelled';
  return finishing.length > 0 ? `${cancelled}. Applying already, so finishing with its real result: ${finishing.join(', ')}` : cancelled;
}

/** The spoof guards a rollback would take away, as the question before it lists them. */
function guardLoss(host: string, ports: readonly string[]): NonNullable<ConfirmRequest['loss']> {
  const one = ports.length === 1;
  return {
    summary: `Removes the spoof guard of ${ports.length} switch ${one ? 'port' : 'ports'} on ${host}`,
    items: [...ports],
    explanation:
      `The switch binds ${one ? 'this port' : 'these ports'} to ${one ? "its workload's addresses" : "their workloads' addresses"} now; the flows from before the last deploy ` +
      `do not, so after the rollback ${one ? 'it' : 'they'} may send from any address. To keep the guard, deploy again instead of rolling back.`,
    accept: one ? 'Remove this spoof guard' : 'Remove these spoof guards',
  };
}

function isOurs(state: DeployState, deployId: string, host: string | undefined): boolean {
  if (state.deployId !== null) return state.deployId === deployId;
  return host !== undefined && state.pendingHosts.includes(host);
}

function statusOfStep({ step, message, waiting }: DeployProgress): HostStatus {
  return { status: step, message, ...(waiting ? { waiting } : {}) };
}

function statusOf(hosts: readonly string[], status: HostStatus): Record<string, HostStatus> {
  return Object.fromEntries(hosts.map((h) => [h, status]));
}

/** Whether `host`'s row offers Stop: while its rollback reads the switch or rolls back, not while the user is asked, when nothing runs. */
export function rollbackStoppable({ rollbacks }: { rollbacks: Record<string, RollbackStep> }, host: string): boolean {
  return rollbacks[host] === 'reading' || rollbacks[host] === 'applying';
}

/** The store's part of the service's answer about the saved targets. */
function targetsOf({ targets, sharedSwitches }: HostTargets): Pick<DeployState, 'targets' | 'sharedSwitches'> {
  return { targets, sharedSwitches };
}

/** `now` with the entries of `keys` as `before` held them: taken out where it had none. */
function putBack<T>(now: Record<string, T>, before: Record<string, T>, keys: readonly string[]): Record<string, T> {
  const back = Object.fromEntries(Object.entries(now).filter(([k]) => !keys.includes(k)));
  for (const k of keys) if (k in before) back[k] = before[k]!;
  return back;
}
