import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApiEvents, BackupElsewhere, DeployCancel, DeployHostResult, DeployProgress, DeployStatus, DeployStep, HostTarget, RollbackPreview, SshWait } from '@shared/api/contract';
import { deployWaitText } from '@shared/api/ssh-wait';
import { sshDestination, sshSwitch } from '@shared/api/host-target-rules';
import { compilePolicy, type HostTable } from '@shared/compiler/compile';
import { portList, type PortGuardLoss } from '@shared/compiler/port-guard-loss';
import { portGuardsLost, portGuardsLostToDump } from '@shared/simulator/port-guards';
import { formatDeployBundle } from '@shared/compiler/table-text';
import { hasErrors } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import type { HostTargetStore } from './host-targets';
import type { Logger } from './logger';
import { CancelledError, unlessCancelled } from './deploy-queue';
import type { SshLimiter, SshOperation } from './host-fanout';
import { COMMAND_TIMEOUT_MS, OvsRemote, UnansweredError } from './ovs-remote';
import { hostFileName } from './host-file-name';
import { ServiceError, toErrorData } from './service-error';
import { readAppFile, writeAppFile, type AppFile } from './app-file';
import { openSshSession, type SshSession } from './ssh-session';
import { namesASwitch, sameSwitch, sharerOf, switchIdentity } from './switch-identity';
import { asStopped, inStoppableSession, NEVER_STOPPED } from './work-stops';

/** Marks a failure after which the switch's state is not known to be the old one. */
const STATE_UNKNOWN = 'switch state unknown';

/** A backup's first line, naming the switch its flows were read from (see sshSwitch). */
const BACKUP_SWITCH = '# switch: ';

/** Why a host without a target has nothing to roll back. */
const NO_TARGET_TO_ROLL_BACK = (host: string): string => `Host "${host}" has no SSH target; nothing to roll back.`;

/** What a host that a cancel took off the queue reports. */
const NOT_STARTED = 'Cancelled before it started: the app never connected to it, so the switch keeps its flows.';

export type EmitEvent = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

/**
 * Opens the SSH session a deploy or rollback runs over; tests put a fake switch behind it. When
 * `signal` aborts before the session is ready, the connection is dropped and it rejects with a
 * CancelledError.
 */
export type OpenSession = (target: HostTarget, configDir: string, signal?: AbortSignal) => Promise<SshSession>;

interface DeployJob {
  table: HostTable;
  target: HostTarget;
  removable: ReadonlySet<string>;
}

/** A deploy in flight: its last step per host, the hosts not begun yet, and its cancel. */
interface DeployRun {
  steps: Map<string, DeployProgress>;
  queued: Set<string>;
  cancel: AbortController;
}

/**
 * Pushes compiled tables to hosts over SSH, each deploy one operation of the process's sessions
 * (SSH_LIMITS: eight hosts at a time while the process has room). Per host:
 * connect, back up our current flows, apply the new table as one bundle (atomic), verify the
 * count. A failure leaves that host with its old flows and never stops the other hosts; a
 * cancel stops the hosts that have not sent their bundle yet (see cancel).
 */
export class DeployService {
  /**
   * Hosts with a deploy or rollback in flight or queued, each with the switch it changes (see
   * switchIdentity): one change per host and per switch at a time, as a target edited meanwhile
   * may lead another host to the switch a change is still running on.
   */
  private readonly busy = new Map<string, string>();
  /** The running deploys, and each host's last outcome: a window that reloads reads them back. */
  private readonly runs = new Map<string, DeployRun>();
  private readonly outcomes = new Map<string, DeployHostResult>();
  /** The switch (switchIdentity) each outcome happened on: once the host's target leads elsewhere, the outcome says nothing of it. */
  private readonly outcomeSwitches = new Map<string, string>();

  constructor(
    private readonly targets: HostTargetStore,
    private readonly configDir: string,
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly emit: EmitEvent,
    private readonly sessions: SshLimiter,
    private readonly openSession: OpenSession = openSshSession,
    private readonly commandTimeoutMs = COMMAND_TIMEOUT_MS,
  ) {}

  /**
   * Checks everything that can be checked before touching a host, then deploys in the background.
   * `removePortGuards`: the spoof guards the user agreed to take away, per host; a host whose
   * switch guards any other port the new table does not keeps its flows (see deployHost).
   */
  async start(policy: Policy, inventory: Inventory, hosts: string[], removePortGuards: readonly PortGuardLoss[] = []): Promise<{ deployId: string }> {
    const compiled = compilePolicy(policy, inventory);
    if (hasErrors(compiled.diagnostics)) throw new ServiceError('bad-request', 'The policy has errors; fix them (see Problems) before deploying.');
    if (hosts.length === 0) throw new ServiceError('bad-request', 'Choose at least one host to deploy to.');

    const twice = hosts.find((h, i) => hosts.indexOf(h) !== i);
    if (twice !== undefined) throw new ServiceError('bad-request', `Host "${twice}" is named twice; deploy to each host once.`);
    // Read once for every host: a hand edit while they are checked cannot give one host (or two
    // hosts on one switch) targets from different versions of the file.
    const saved = await this.targets.list();
    // From here until the hosts are taken, nothing waits: another window's deploy or rollback
    // cannot take one between its check and ours.
    const jobs: DeployJob[] = [];
    for (const host of hosts) {
      const table = compiled.hosts.find((h) => h.host === host);
      if (!table) throw new ServiceError('bad-request', `Host "${host}" has no workloads in this inventory, so there is no table to deploy to it.`);
      const target = this.ownTarget(host, saved, 'deployed', `Host "${host}" has no SSH target yet; configure its address, user, key and bridge first.`);
      this.ensureIdle(host, target);
      const removable = new Set(removePortGuards.filter((r) => r.host === host).flatMap((r) => r.ports));
      jobs.push({ table, target, removable });
    }
    for (const { table, target } of jobs) this.busy.set(table.host, switchIdentity(target));
    const taken = jobs.map((j) => j.table.host);
    const deployId = randomUUID();
    const run: DeployRun = { steps: new Map(), queued: new Set(taken), cancel: new AbortController() };
    this.runs.set(deployId, run);
    const atOnce = this.sessions.limits.perOperation;
    this.log.info('deploy started', { deployId, hosts: hosts.join(','), flows: compiled.flowCount, concurrency: atOnce });
    // A host that cannot start at once hears why from the limiter, next (see runJob).
    for (const { table } of jobs) this.progress(deployId, table.host, 'queued', `${table.flowCount} flows to apply`);
    // A cancel takes the hosts still waiting off the queue: their work never runs.
    const operation = this.sessions.operation(run.cancel.signal);
    // runJob never rejects: every host ends with a result.
    void Promise.all(jobs.map((job) => this.runJob(deployId, run, operation, job))).then((results) => {
      const count = (status: DeployHostResult['status']): number => results.filter((r) => r.status === status).length;
      this.log.info('deploy finished', { deployId, applied: count('applied'), failed: count('failed'), cancelled: count('cancelled') });
      this.runs.delete(deployId);
      for (const [i, r] of results.entries()) this.keepOutcome(r, jobs[i]!.target);
      this.emit('deploy:finished', { deployId, results });
    });
    return { deployId };
  }

  /**
   * Stops a running deploy where that is safe. Hosts still queued are never touched; a host
   * connecting to or reading its switch has its SSH session closed; both keep their flows and end
   * as `cancelled`, and are free at once. A host whose bundle is sent is not interrupted: the
   * switch applies a bundle whole or not at all, so the host finishes and reports what happened.
   */
  cancel(deployId: string): DeployCancel {
    const run = this.runs.get(deployId);
    if (!run) throw new ServiceError('not-found', `No deploy ${deployId} is running: it has ended (each host shows how), or it was never started.`);
    if (run.cancel.signal.aborted) {
      throw new ServiceError('bad-request', `Deploy ${deployId} is being cancelled already; the hosts that were applying their table finish and report their result.`);
    }

    const steps = [...run.steps.values()];
    const hostsAt = (...at: DeployStep[]): string[] => steps.filter((p) => at.includes(p.step)).map((p) => p.host);
    const result: DeployCancel = { deployId, notStarted: [...run.queued], stopping: hostsAt('connect', 'backup'), finishing: hostsAt('apply', 'verify') };
    run.cancel.abort();
    run.queued.clear();
    for (const host of result.notStarted) {
      this.busy.delete(host);
      this.progress(deployId, host, 'cancelled', NOT_STARTED);
    }
    this.log.info('deploy cancelled', { deployId, notStarted: result.notStarted.length, stopping: result.stopping.join(','), finishing: result.finishing.join(',') });
    return result;
  }

  /** The deploys running now, host by host, how each host's last deploy or rollback ended, and which hosts can roll back. */
  async status(): Promise<DeployStatus> {
    // What runs as the caller asks: a deploy may end while the backups are looked for.
    const running = [...this.runs].map(([deployId, run]) => ({ deployId, cancelling: run.cancel.signal.aborted, progress: [...run.steps.values()] }));
    const targets = await this.targets.list();
    // A host whose target was edited to reach another switch has no outcome there yet.
    const reaches = new Map(targets.filter(namesASwitch).map((t) => [t.host, switchIdentity(t)]));
    const outcomes = [...this.outcomes.values()].filter((r) => !reaches.has(r.host) || reaches.get(r.host) === this.outcomeSwitches.get(r.host));
    // Each backup read once: whether there is one, and the switch it was read from.
    const recorded = await Promise.all(targets.map((t) => this.recordedSwitch(t.host)));
    const backups = targets.filter((_, i) => recorded[i] !== undefined).map((t) => t.host);
    // A backup read from another switch than the target reaches now, which backupOf refuses to put back.
    const backupsElsewhere = targets.flatMap((target, i): BackupElsewhere[] => {
      const readFrom = recorded[i];
      if (typeof readFrom !== 'string' || !namesASwitch(target) || recordedAs(readFrom, target)) return [];
      return [{ host: target.host, readFrom, now: sshSwitch(target) }];
    });
    return { running, outcomes, backups, backupsElsewhere };
  }

  /**
   * What a rollback of the host would put back, and the spoof guards it would take away; changes
   * nothing. When `stop` aborts before the switch answers, its connection ends at once and this
   * fails with code `stopped`.
   */
  async rollbackPreview(host: string, stop: AbortSignal = NEVER_STOPPED): Promise<RollbackPreview> {
    const target = this.ownTarget(host, await this.targets.list(), 'rolled back', NO_TARGET_TO_ROLL_BACK(host));
    const lines = await this.backupOf(host, target);
    const current = await this.sessions
      .operation(stop)
      .run(target, () => inStoppableSession(stop, (signal) => this.openSession(target, this.configDir, signal), (session) => new OvsRemote(session, target.bridge, host, this.commandTimeoutMs).dumpOurFlows()))
      .catch(asStopped(`Stopped before the switch on ${host} answered: nothing was rolled back, so it keeps its current flows.`));
    return { host, flowCount: lines.length, portGuardsLost: portGuardsLostToDump(current, lines) };
  }

  /**
   * Restores the flows of ours that the host had before the last deploy (none, if it had none).
   * `removePortGuards`: the ports whose spoof guard the user agreed to take away; a guard the
   * backup lacks on any other port fails the rollback before anything is applied. When `stop`
   * aborts before the bundle is sent, the connection ends at once and the host keeps its flows
   * (status `cancelled`); once sent, the bundle is not interrupted, as a deploy's is not.
   */
  async rollback(host: string, removePortGuards: readonly string[] = [], stop: AbortSignal = NEVER_STOPPED): Promise<DeployHostResult> {
    const target = this.ownTarget(host, await this.targets.list(), 'rolled back', NO_TARGET_TO_ROLL_BACK(host));
    this.ensureIdle(host, target);
    this.busy.set(host, switchIdentity(target));
    try {
      const result = await this.restoreBackup(host, target, new Set(removePortGuards), stop);
      // A stopped rollback changed nothing: the host's last outcome still says how it is.
      if (result.status === 'cancelled') return result;
      this.keepOutcome(result, target);
      this.emit('deploy:rolledBack', { result });
      return result;
    } finally {
      this.busy.delete(host);
    }
  }

  /**
   * The host's target, for a change to its switch. Refused when another host's saved target
   * reaches that switch too (a hand edit, or saved before saves refused it): a bundle replaces all
   * of a bridge's flows of ours, so each host's deploy would undo the other's, and the backups of
   * either would describe flows the switch no longer holds.
   */
  private ownTarget(host: string, saved: readonly HostTarget[], done: 'deployed' | 'rolled back', missing: string): HostTarget {
    const target = this.targets.targetIn(saved, host);
    if (!target) throw new ServiceError('no-target', missing);
    const sharer = sharerOf(target, saved);
    if (sharer === undefined) return target;
    const [mine, theirs] = [sshSwitch(target), sshSwitch(sharer)];
    const where = mine === theirs ? `the switch at ${mine}` : `one switch (${mine} and ${theirs} name one machine, port and bridge)`;
    throw new ServiceError(
      'bad-request',
      `Hosts "${host}" and "${sharer.host}" both reach ${where}, and each deploy replaces all of a bridge's Microseg flows, undoing the other host's. ` +
        `Nothing was ${done}. Under Hosts, give one of them a switch of its own with Edit target, or Forget target on the host that no longer has that switch.`,
    );
  }

  /** The backup's flows, when they were read from the switch the target reaches now. */
  private async backupOf(host: string, target: HostTarget): Promise<string[]> {
    const backup = await this.readBackup(host);
    if (backup === undefined) throw new ServiceError('not-found', `There is no backup for host "${host}": nothing was deployed to it from this machine.`);
    const lines = backup.split('\n');
    // Backups written before switches were recorded have no such line, and are taken as the target's.
    const readFrom = lines.find((l) => l.startsWith(BACKUP_SWITCH))?.slice(BACKUP_SWITCH.length);
    if (readFrom !== undefined && !recordedAs(readFrom, target)) {
      throw new ServiceError(
        'bad-request',
        `The backup of host "${host}" holds the flows of the switch at ${readFrom}, but its target is now ${sshSwitch(target)}: ` +
          'a rollback would put one switch\'s flows on another. Set the target back to roll back there, or deploy instead.',
      );
    }
    return lines.filter((l) => l.startsWith('cookie='));
  }

  private async restoreBackup(host: string, target: HostTarget, removable: ReadonlySet<string>, stop: AbortSignal): Promise<DeployHostResult> {
    const lines = await this.backupOf(host, target);
    let doing = 'waiting for an SSH session';
    try {
      return await this.sessions.operation(stop).run(target, () => {
        doing = 'connecting';
        return this.restoreOn(host, target, lines, removable, stop, (now) => (doing = now));
      });
    } catch (error) {
      if (!(error instanceof CancelledError)) throw error;
      this.log.info('rollback stopped', { host, while: doing });
      return { host, status: 'cancelled', message: `Rollback stopped while ${doing}: nothing was sent, so the switch keeps its current flows.`, flowCount: 0, durationMs: 0 };
    }
  }

  /** `doing` hears each step that a stop can still end, for the message of a rollback stopped there. */
  private async restoreOn(host: string, target: HostTarget, lines: readonly string[], removable: ReadonlySet<string>, stop: AbortSignal, doing: (step: string) => void): Promise<DeployHostResult> {
    const started = performance.now();
    if (stop.aborted) throw new CancelledError();
    const session = await unlessCancelled(stop, this.openSession(target, this.configDir, stop), (late) => late.close());
    try {
      const ovs = new OvsRemote(session, target.bridge, host, this.commandTimeoutMs);
      doing('reading the current flows');
      const current = await unlessCancelled(stop, ovs.dumpOurFlows());
      const lost = agreedGuardLoss(host, portGuardsLostToDump(current, lines), removable, 'the backup from before the last deploy', () => 'Not rolled back: confirm removing the guard in the rollback dialog, or deploy again instead.');

      doing("reading the host's clock");
      // A host that cannot say its time (no POSIX shell, no clock it can read) is never sent the backup.
      await unlessCancelled(stop, ovs.readHostClock().catch((error: unknown) => {
        const data = toErrorData(error);
        throw new ServiceError(data.code, `${data.message} Nothing was rolled back: the host keeps its current flows.`, data.detail);
      }));

      // The last moment a stop ends the rollback: from here on it finishes and reports the truth.
      if (stop.aborted) throw new CancelledError();

      const unanswered = await ovs.applyBundle(formatRestoreBundle(lines)).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof UnansweredError) return error;
          // ovs-ofctl refusing the bundle (or a host that never ran it) changes nothing.
          const data = toErrorData(error);
          if (data.code === 'ovs-failed') throw new ServiceError(data.code, `${data.message} The host keeps its current flows.`, data.detail);
          throw error;
        },
      );
      let read: string[];
      if (unanswered) {
        session.close();
        const after = await this.afterUnanswered(unanswered, target, host, current, lines.length);
        const found = `${unanswered.message} Read again once the host had given the command up, the switch`;
        if (after.runs === 'unknown') {
          throw new ServiceError('ssh-failed', `${unanswered.message} ${after.why} The switch may have taken the flows from before the last deploy or kept its current ones: check it before going on.`, STATE_UNKNOWN);
        }
        if (after.runs === 'kept') throw new ServiceError('ovs-failed', `${found} still runs its current flows: nothing was rolled back.`);
        if (after.runs === 'neither') {
          throw new ServiceError('ssh-failed', `${found} holds ${after.read.length} of our flows, neither the ${lines.length} from before the last deploy nor the ${current.length} it had: check it by hand.`, STATE_UNKNOWN);
        }
        read = after.read;
      } else {
        read = await ovs.dumpOurFlows();
      }
      const count = read.length;
      if (lost.length > 0) this.log.warn('spoof guard removed by rollback, as confirmed', { host, ports: lost.join(',') });
      this.log.info('rollback applied', { host, flows: count, answered: !unanswered });
      const message = `Restored ${count} flows from before the last deploy${unguardedNote(lost)}${unanswered ? lateNote(this.commandTimeoutMs) : ''}.`;
      return { host, status: 'rolled-back', message, flowCount: count, durationMs: Math.round(performance.now() - started) };
    } finally {
      session.close();
    }
  }

  /** One host of a deploy, when its turn comes; the host is free again when it ends. */
  private async runJob(deployId: string, run: DeployRun, operation: SshOperation, { table, target, removable }: DeployJob): Promise<DeployHostResult> {
    const host = table.host;
    try {
      return await operation.run(
        target,
        async () => {
          run.queued.delete(host);
          try {
            return await this.deployHost(deployId, table, target, removable, run.cancel.signal);
          } finally {
            this.busy.delete(host);
          }
        },
        // Hosts behind one SSH server wait on its limit even when the deploy has room: say which bound holds each.
        { onWait: (wait) => this.progress(deployId, host, 'queued', `${table.flowCount} flows to apply; ${deployWaitText(wait)}`, wait) },
      );
    } catch (error) {
      // Taken off the queue by a cancel, which ended it and freed the host already.
      if (error instanceof CancelledError) return { host, status: 'cancelled', message: NOT_STARTED, flowCount: 0, durationMs: 0 };
      throw error;
    }
  }

  private async deployHost(deployId: string, table: HostTable, target: HostTarget, removable: ReadonlySet<string>, cancel: AbortSignal): Promise<DeployHostResult> {
    const started = performance.now();
    const host = table.host;
    const elapsed = (): number => Math.round(performance.now() - started);
    let session;
    // Where the new table stands: not sent; sent, with no answer yet; taken by the switch.
    let phase: 'before' | 'sent' | 'applied' = 'before';
    let previous: string[] = [];
    let doing = 'connecting';
    try {
      this.progress(deployId, host, 'connect', `connecting to ${sshDestination(target)}`);
      // Until the bundle is sent, a cancel stops the host at once: a connection still opening is dropped, and a
      // session that opened anyway is closed unused.
      session = await unlessCancelled(cancel, this.openSession(target, this.configDir, cancel), (late) => late.close());
      const ovs = new OvsRemote(session, target.bridge, host, this.commandTimeoutMs);
      doing = 'checking the bridge';
      await unlessCancelled(cancel, ovs.checkBridge());

      this.progress(deployId, host, 'backup', 'reading the current flows, to keep for rollback');
      doing = 'reading the current flows';
      previous = await unlessCancelled(cancel, ovs.dumpOurFlows());
      doing = "reading the host's clock";
      await unlessCancelled(cancel, ovs.readHostClock());

      // A guard lost without a word (ports read in a session since closed) is only seen here: the
      // impact shown before a deploy compares honest packets, which a guard never changes.
      const lost = agreedGuardLoss(host, portGuardsLost(previous, table.flows), removable, 'the new table', (unconfirmed) =>
        `Not deployed: give the inventory ${unconfirmed.length === 1 ? 'that port' : 'those ports'} (Read switch ports under Hosts, then compile again), or confirm removing the guard in the deploy dialog.`,
      );
      const removing = lost.length === 0 ? '' : `, removing the spoof guard of ${portList(lost)} as confirmed`;

      // The last moment a cancel stops this host: from here on it finishes and reports the truth.
      if (cancel.aborted) throw new CancelledError();
      this.progress(deployId, host, 'apply', `applying ${table.flowCount} flows in one bundle${removing}`);
      phase = 'sent';
      const unanswered = await ovs.applyBundle(formatDeployBundle(table.flows)).then(() => undefined, unansweredOnly);
      let read: string[];
      if (unanswered) {
        this.progress(deployId, host, 'verify', 'no answer to the bundle: reading the switch over a new connection once the host has given the command up');
        session.close();
        const after = await this.afterUnanswered(unanswered, target, host, previous, table.flowCount);
        const found = `${unanswered.message} Read again once the host had given the command up, the switch`;
        // Left as sent: the switch may run either table (see the catch below).
        if (after.runs === 'unknown') throw new ServiceError('ssh-failed', `${unanswered.message} ${after.why}`);
        if (after.runs === 'kept') throw new ServiceError('ovs-failed', `${found} has not taken the new table.`);
        if (after.runs === 'neither') {
          throw new ServiceError(
            'ssh-failed',
            `${found} holds ${after.read.length} of our flows, neither the new table's ${table.flowCount} nor the ${previous.length} it had: check it by hand.`,
            STATE_UNKNOWN,
          );
        }
        read = after.read;
        phase = 'applied';
      } else {
        phase = 'applied';
        this.progress(deployId, host, 'verify', 'reading the table back');
        read = await ovs.dumpOurFlows();
      }
      const installed = read.length;
      if (installed !== table.flowCount) {
        const restoreError = await ovs.applyBundle(formatRestoreBundle(previous)).then(() => null, (error: unknown) => toErrorData(error).message);
        const found = `The switch holds ${installed} of our flows after the deploy, not ${table.flowCount}`;
        phase = 'before';
        if (restoreError === null) throw new ServiceError('ovs-failed', `${found}; the previous flows were restored.`);
        throw new ServiceError('ovs-failed', `${found}, and restoring the previous flows failed too (${restoreError}). Check the switch by hand.`, STATE_UNKNOWN);
      }
      // Only a deploy that changed the switch replaces the backup: after a failed one, or the same
      // table sent again (say, for the hosts that failed the first time), rollback still leads back
      // to the flows from before that table.
      if (!(sameFlows(previous, read) && (await this.hasBackupOf(target)))) await this.saveBackup(target, previous);

      const message = `${installed} flows applied in ${elapsed()} ms${unguardedNote(lost)}${unanswered ? lateNote(this.commandTimeoutMs) : ''}`;
      if (lost.length > 0) this.log.warn('spoof guard removed, as confirmed', { deployId, host, ports: lost.join(',') });
      this.progress(deployId, host, 'done', message);
      this.log.info('host deployed', { deployId, host, flows: installed, ms: elapsed() });
      return { host, status: 'applied', message, flowCount: installed, durationMs: elapsed(), backedUp: true };
    } catch (error) {
      if (error instanceof CancelledError) {
        // Only thrown before the bundle is sent (phase 'before'): the switch has what it had.
        const closed = session ? 'the SSH session was closed before the new table was sent' : 'nothing was sent';
        const message = `Cancelled while ${doing}: ${closed}, so the switch keeps its previous flows.`;
        this.progress(deployId, host, 'cancelled', message);
        this.log.info('host deploy cancelled', { deployId, host, while: doing });
        return { host, status: 'cancelled', message, flowCount: 0, durationMs: elapsed() };
      }
      const data = toErrorData(error);
      // ovs-ofctl refusing a bundle changes nothing; a bundle without an answer may have been taken.
      const taken = phase === 'applied' ? 'yes' : phase === 'sent' && data.code !== 'ovs-failed' ? 'maybe' : 'no';
      // Once the switch may run the new table, rollback must lead back to the flows before it.
      let unsaved: string | undefined;
      if (taken !== 'no') {
        unsaved = await this.saveBackup(target, previous).then(
          () => undefined,
          (e: unknown) => {
            this.log.warn('backup not saved', { deployId, host, error: toErrorData(e).message });
            return toErrorData(e).message;
          },
        );
      }
      const backedUp = taken !== 'no' && unsaved === undefined;
      // Said only when there is a backup to put back: without one, Rollback is no way back.
      const rollback =
        backedUp ? 'Rollback puts back the flows from before this deploy.'
        : `No backup of the flows from before this deploy could be kept${unsaved === data.message ? '' : ` (${unsaved ?? ''})`}, so Rollback cannot put them back.`;
      const message =
        data.detail === STATE_UNKNOWN ? `${data.message} ${rollback}`
        : taken === 'yes' ? `The new table was applied, but the deploy could not finish: ${data.message} Check the switch. ${rollback}`
        : taken === 'maybe' ? `${data.message} The switch may have taken the new table or kept its previous flows (a bundle is applied whole or not at all): check it before going on. ${rollback}`
        : `${data.message} The host keeps its previous flows.`;
      this.progress(deployId, host, 'failed', message);
      this.log.warn('host deploy failed', { deployId, host, code: data.code, error: data.message });
      return { host, status: 'failed', message, flowCount: 0, durationMs: elapsed(), ...(backedUp ? { backedUp } : {}) };
    } finally {
      session?.close();
    }
  }

  /**
   * What the switch runs after a bundle went unanswered, for a deploy and a rollback alike. Read
   * once the host has given the command up (see OvsRemote.applyBundle), so the answer no longer
   * changes by that command, over a new session, as the old one may be what failed: the flows it
   * had (`before`, as dumped then), the bundle's (as many flows as the bundle adds, the check an
   * answered deploy makes too), neither, or unknown when the switch cannot be read.
   */
  private async afterUnanswered(
    unanswered: UnansweredError,
    target: HostTarget,
    host: string,
    before: readonly string[],
    bundleFlows: number,
  ): Promise<{ runs: 'kept' | 'taken' | 'neither'; read: string[] } | { runs: 'unknown'; why: string }> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, unanswered.settledBy - performance.now())));
    let read: string[];
    try {
      const session = await this.openSession(target, this.configDir);
      try {
        read = await new OvsRemote(session, target.bridge, host, this.commandTimeoutMs).dumpOurFlows();
      } finally {
        session.close();
      }
    } catch (error) {
      return { runs: 'unknown', why: `Reading the switch again over a new connection failed too (${toErrorData(error).message.replace(/\.$/, '')}).` };
    }
    if (sameFlows(read, before)) return { runs: 'kept', read };
    return { runs: read.length === bundleFlows ? 'taken' : 'neither', read };
  }

  private keepOutcome(result: DeployHostResult, target: HostTarget): void {
    this.outcomes.set(result.host, result);
    this.outcomeSwitches.set(result.host, switchIdentity(target));
  }

  private ensureIdle(host: string, target: HostTarget): void {
    if (this.busy.has(host)) throw new ServiceError('bad-request', `A deploy or rollback to host "${host}" is already running; wait for its result.`);
    const identity = switchIdentity(target);
    const other = [...this.busy].find(([, busySwitch]) => busySwitch === identity)?.[0];
    if (other !== undefined) {
      throw new ServiceError(
        'bad-request',
        `A deploy or rollback to host "${other}" is already running on the switch that host "${host}" reaches now (${sshSwitch(target)}); wait for its result, then check that each host has a switch of its own.`,
      );
    }
  }

  private progress(deployId: string, host: string, step: DeployStep, message: string, waiting?: SshWait): void {
    const progress: DeployProgress = { deployId, host, step, message, ...(waiting ? { waiting } : {}) };
    this.runs.get(deployId)?.steps.set(host, progress);
    this.emit('deploy:progress', progress);
  }

  /** Where the host's backup is kept, and what a message about it says. */
  private backupFile(host: string): AppFile {
    const path = join(this.dataDir, 'backups', hostFileName(encodeURIComponent(host), '.flows'));
    return { path, holds: `The backup of host "${host}"`, thenDo: 'deploy again to take a new one' };
  }

  /** Whether the target's host has a backup read from the switch the target reaches now. */
  private async hasBackupOf(target: HostTarget): Promise<boolean> {
    const readFrom = await this.recordedSwitch(target.host);
    return typeof readFrom === 'string' && recordedAs(readFrom, target);
  }

  /** The host's backup as it was saved; undefined when there is none. One that cannot be read says why, and what to do. */
  private readBackup(host: string): Promise<string | undefined> {
    return readAppFile(this.backupFile(host));
  }

  /** The switch the host's backup records on its first line; null for a backup written before switches were recorded, undefined for none. */
  private async recordedSwitch(host: string): Promise<string | null | undefined> {
    // One that cannot be read is listed as a backup, so that Rollback is offered and says why (backupOf); left out, nothing said so.
    const backup = await this.readBackup(host).catch(() => '');
    if (backup === undefined) return undefined;
    const firstLine = backup.split('\n', 1)[0]!;
    return firstLine.startsWith(BACKUP_SWITCH) ? firstLine.slice(BACKUP_SWITCH.length) : null;
  }

  /** Keeps `lines` for the target's host, with the switch they were read from: only that switch may get them back. */
  private async saveBackup(target: HostTarget, lines: string[]): Promise<void> {
    await writeAppFile(this.backupFile(target.host), [`${BACKUP_SWITCH}${sshSwitch(target)}`, ...lines].map((l) => l + '\n').join(''));
  }
}

/**
 * The spoof guards a deploy or rollback takes away (`lost`), once each was agreed to; throws,
 * before anything is applied, naming `next` (what would replace the guarded flows) and the
 * advice for the ports not agreed to, when any was not.
 */
function agreedGuardLoss(host: string, lost: string[], removable: ReadonlySet<string>, next: string, advice: (unconfirmed: readonly string[]) => string): string[] {
  const unconfirmed = lost.filter((p) => !removable.has(p));
  if (unconfirmed.length === 0) return lost;
  const one = unconfirmed.length === 1;
  throw new ServiceError(
    'bad-request',
    `The switch on ${host} guards ${one ? 'switch port' : 'switch ports'} ${portList(unconfirmed)} against spoofed sources and ${next} does not, so the ` +
      `${one ? 'workload behind it' : 'workloads behind them'} could send from any address. ${advice(unconfirmed)}`,
  );
}

/** What a result adds when guards were taken away as agreed: `; veth1 is no longer guarded …`, or nothing. */
function unguardedNote(lost: readonly string[]): string {
  return lost.length === 0 ? '' : `; ${portList(lost)} ${lost.length === 1 ? 'is' : 'are'} no longer guarded against spoofed sources`;
}

/** An UnansweredError given back to look into; any other failure thrown on. */
function unansweredOnly(error: unknown): UnansweredError {
  if (error instanceof UnansweredError) return error;
  throw error;
}

/** What a result adds when the switch took a bundle without answering in time, as a later read showed. */
function lateNote(timeoutMs: number): string {
  return ` (no answer came within ${Math.round(timeoutMs / 1000)} s; the switch was read again over a new connection once the host had given the command up)`;
}

/** A bundle that deletes our flows and re-adds dumped ones (dump-flows output is valid add syntax). */
function formatRestoreBundle(dumpedLines: readonly string[]): string {
  return formatDeployBundle([]).concat(dumpedLines.map((l) => `add ${l}\n`).join(''));
}

/**
 * Whether a backup's recorded switch (sshSwitch as it was then) is the one the target reaches now,
 * however either spells it (see switchIdentity); a line edited past reading must match exactly.
 */
function recordedAs(recorded: string, target: HostTarget): boolean {
  const read = /^[^@]*@(.+):(\d+), bridge (\S+)$/.exec(recorded);
  if (!read) return recorded === sshSwitch(target);
  return sameSwitch({ address: read[1]!, port: Number(read[2]), bridge: read[3]! }, target);
}

/** Whether two dumps of our flows hold the same flows, in whatever order the switch printed them. */
function sameFlows(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (lines: readonly string[]): string => [...lines].sort().join('\n');
  return a.length === b.length && sorted(a) === sorted(b);
}
