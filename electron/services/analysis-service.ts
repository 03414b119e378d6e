import type { ApiEvents, HostTarget, ImpactBaseline, ImpactOutcome, MatrixOutcome, ReplayOutcome, UnreadHost } from '@shared/api/contract';
import { sshDestination } from '@shared/api/host-target-rules';
import { impactSteps, type ImpactSide } from '@shared/analysis/impact';
import { matrixSteps } from '@shared/analysis/matrix';
import { replaySteps } from '@shared/analysis/replay';
import { compilePolicy } from '@shared/compiler/compile';
import type { PortGuardLoss } from '@shared/compiler/port-guard-loss';
import { capped, formatDiagnostic, hasErrors, locatedIn, type SourceLocation } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { parseFlowText } from '@shared/simulator/flow-parser';
import { CompiledFlowReader } from '@shared/simulator/compiled-flows';
import type { HostFlowTables } from '@shared/simulator/path';
import { loadHostTablesSteps, type AnalysisProgress, type AnalysisSteps } from '@shared/analysis/steps';
import { groupByTable, type FlowTables } from '@shared/simulator/simulate';
import { portGuardsLostBetween } from '@shared/simulator/port-guards';
import type { HostTargetStore } from './host-targets';
import type { Logger } from './logger';
import { OvsRemote } from './ovs-remote';
import { readTextFile } from './project-files';
import { ServiceError, toErrorData } from './service-error';
import { noConnectionMessage, parseConnectionLog, withLogProblems } from './connection-log';
import type { CompileService, LoadedTables } from './compile-service';
import type { EmitEvent, OpenSession } from './deploy-service';
import { CancelledError, unlessCancelled } from './deploy-queue';
import type { SshLimiter } from './host-fanout';
import { openSshSession } from './ssh-session';
import { asStopped, inStoppableSession, NEVER_STOPPED } from './work-stops';
import { runInSlices } from './time-slices';

/** What a bridge does before any of our flows are on it: its own `priority=0 actions=NORMAL` forwards everything. */
const FRESH_BRIDGE = 'table=0,priority=0,actions=NORMAL';

/** Why a host is unread when the user stopped the read before it answered. */
const STOPPED = 'the read was stopped before this host answered';

/**
 * The reachability matrix and the impact of a change, for every door. Both can run for
 * seconds on a large estate, so they run in slices, reporting `analysis:progress`, and the
 * process stays free for other requests meanwhile.
 */
export class AnalysisService {
  constructor(
    private readonly targets: HostTargetStore,
    private readonly configDir: string,
    private readonly log: Logger,
    private readonly emit: EmitEvent,
    /** Its latest compile's tables serve an analysis of the same drawing and inventory. */
    private readonly compiles: CompileService,
    private readonly sessions: SshLimiter,
    private readonly openSession: OpenSession = openSshSession,
  ) {}

  /** `stop` ends it at its next slice, with the `stopped` error; `runId` marks its progress reports. */
  async matrix(policy: Policy, inventory: Inventory, stop: AbortSignal = NEVER_STOPPED, runId?: string): Promise<MatrixOutcome> {
    const started = performance.now();
    const progress = this.progress('matrix', runId);
    const matrix = await this.drawingTables(policy, inventory, progress, stop)
      .then(({ tables }) => runInSlices(matrixSteps(policy, inventory, tables), progress, stop))
      .catch(asStopped('The matrix was stopped before it was complete; nothing of it is shown.'));
    const durationMs = Math.round(performance.now() - started);
    this.log.info('matrix', { policy: policy.name, groups: matrix.groups.length, classes: matrix.stats.classes, ms: durationMs });
    return { matrix, durationMs };
  }

  /**
   * `stop` ends it at its next slice, with the `stopped` error; `runId` marks its progress reports.
   * Against deployed hosts, `readStop` ends only the read of their flows: the hosts not read by
   * then are unread (see ImpactOutcome), and the comparison goes on with those read.
   */
  async impact(policy: Policy, inventory: Inventory, against: ImpactBaseline, stop: AbortSignal = NEVER_STOPPED, runId?: string, readStop: AbortSignal = NEVER_STOPPED): Promise<ImpactOutcome> {
    const started = performance.now();
    const progress = this.progress('impact', runId);
    const compared = await this.compare(policy, inventory, against, progress, stop, readStop).catch(asStopped('The impact was stopped before it was complete; nothing of it is shown.'));
    const { impact, portGuardsLost, unread } = compared;
    const durationMs = Math.round(performance.now() - started);
    this.log.info('impact', { policy: policy.name, against: against.kind, entries: impact.entries.length, guardsLost: portGuardsLost.length, unread: unread.length, ms: durationMs });
    return { ...compared, durationMs };
  }

  /** The impact's outcome but its duration; a CancelledError as soon as `stop` aborts. */
  private async compare(policy: Policy, inventory: Inventory, against: ImpactBaseline, progress: (p: AnalysisProgress) => void, stop: AbortSignal, readStop: AbortSignal): Promise<Omit<ImpactOutcome, 'durationMs'>> {
    // One reader for both sides: the comparison then sees shared flows without reading their text.
    const { tables: after, reader } = await this.drawingTables(policy, inventory, progress, stop);
    let before: ImpactSide;
    let baseline: string;
    let portGuardsLost: PortGuardLoss[] = [];
    let unread: UnreadHost[] = [];
    if (against.kind === 'file') {
      const { path, text } = await unlessCancelled(stop, readTextFile(against.path));
      before = await runInSlices(savedPolicySteps(text, path, inventory, reader), progress, stop);
      baseline = `revision ${before.policy.revision} of ${path}`;
    } else {
      // Stopping the whole impact stops the read too: its sessions must not outlive the answer.
      const read = await this.readDeployed(against.hosts, AbortSignal.any([stop, readStop]));
      const deployed = read.tables;
      unread = read.unread;
      // Hosts not read keep their tables: the comparison is about the hosts named.
      before = { policy, tables: new Map([...after, ...deployed]) };
      portGuardsLost = portGuardsLostBetween(deployed, after, against.hosts);
      baseline = against.hosts.length === 0 ? 'the drawing itself (no host named)' : `the flows on ${against.hosts.join(', ')} now`;
    }
    const impact = await runInSlices(impactSteps(before, { policy, tables: after }, inventory), progress, stop);
    return { impact, baseline, portGuardsLost, unread };
  }

  /** Replays a connection log (see connection-log.ts) against the drawing's compiled tables. */
  /** `stop` ends it at its next slice, with the `stopped` error; `runId` marks its progress reports. */
  async replay(policy: Policy, inventory: Inventory, path: string, stop: AbortSignal = NEVER_STOPPED, runId?: string): Promise<ReplayOutcome> {
    const started = performance.now();
    const { text } = await readTextFile(path);
    const log = await parseConnectionLog(text, path);
    if (log.connections.length === 0)
      throw new ServiceError('bad-request', `${noConnectionMessage(path, log)}.`, capped(log.diagnostics).map(formatDiagnostic).join('\n'));
    const progress = this.progress('replay', runId);
    const replayed = await this.drawingTables(policy, inventory, progress, stop)
      .then(({ tables }) => runInSlices(replaySteps(policy, inventory, tables, log.connections, path), progress, stop))
      .catch(asStopped(`The replay of ${path} was stopped before it was complete; nothing of it is shown.`));
    const durationMs = Math.round(performance.now() - started);
    const { result: replay, problems } = withLogProblems(replayed, log);
    this.log.info('replay', { policy: policy.name, connections: replay.connections, dropped: replay.dropped, linesLeftOut: replay.linesLeftOut, ms: durationMs });
    return { replay, problems, log: path, durationMs };
  }

  /**
   * The drawing's tables: those of the latest compile when it compiled exactly this, else compiled
   * and loaded now (in slices, reporting `progress`). When `stop` aborts, this rejects with a
   * CancelledError at once: the latest compile's load, which other analyses may wait for too and
   * the next ones read, goes on without this asker; a load of its own ends at its next slice.
   */
  private async drawingTables(policy: Policy, inventory: Inventory, progress: (p: AnalysisProgress) => void, stop: AbortSignal = NEVER_STOPPED): Promise<LoadedTables> {
    const current = await unlessCancelled(stop, this.compiles.loadedTables(policy, inventory, progress));
    if (current) return current;
    const reader = new CompiledFlowReader();
    return { tables: await runInSlices(compiledTablesSteps(policy, inventory, 'the drawing', reader), progress, stop), reader };
  }

  /** Reports one task's progress to every window. */
  /** Reports to every window; `runId` lets the window that asked tell its own run from another's. */
  private progress(task: ApiEvents['analysis:progress']['task'], runId?: string): (p: AnalysisProgress) => void {
    return (p) => this.emit('analysis:progress', { task, ...p, ...(runId !== undefined ? { runId } : {}) });
  }

  /**
   * Each host's flows of ours as its switch holds them, read over SSH as one operation of the
   * process's sessions; a bridge without any gets the fresh-bridge table. A host that fails, or
   * has not answered when `stop` aborts, is unread, with why: one silent server must not
   * cost the user the other hosts' answers, nor keep the sessions after the user moved on.
   */
  private async readDeployed(hosts: readonly string[], stop: AbortSignal): Promise<{ tables: Map<string, FlowTables>; unread: UnreadHost[] }> {
    // All targets first, from one read of the file: a host without one fails the read before any session opens.
    const saved = await this.targets.list();
    const targets = hosts.map((host) => {
      const target = this.targets.targetIn(saved, host);
      if (!target) throw new ServiceError('no-target', `Host "${host}" has no SSH target, so its flows cannot be read; configure it under Hosts, or compare with a saved version.`);
      return target;
    });
    // Stopped, the hosts still waiting leave the queue and those running give up their session.
    const operation = this.sessions.operation(stop);
    const outcomes = await Promise.all(
      targets.map((target) =>
        operation.run(target, () => this.readFlows(target, stop)).then(
          (tables) => ({ host: target.host, tables }),
          (error: unknown) => ({ host: target.host, unread: unreadHost(target, error) }),
        ),
      ),
    );
    const tables = new Map(outcomes.flatMap((o) => ('tables' in o ? [[o.host, o.tables] as const] : [])));
    return { tables, unread: outcomes.flatMap((o) => ('unread' in o ? [o.unread] : [])) };
  }

  private async readFlows(target: HostTarget, stop: AbortSignal): Promise<FlowTables> {
    const { host, bridge } = target;
    const lines = await inStoppableSession(stop, (signal) => this.openSession(target, this.configDir, signal), (session) => new OvsRemote(session, bridge, host).dumpOurFlows());
    const parsed = parseFlowText(lines.length > 0 ? lines.join('\n') : FRESH_BRIDGE, `${host}:${bridge}`);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new ServiceError('ovs-failed', `The flows on ${host} could not be read as flow text.`, errors.map(formatDiagnostic).join('\n'));
    return groupByTable(parsed.flows);
  }
}

function unreadHost(target: HostTarget, error: unknown): UnreadHost {
  const reason = error instanceof CancelledError ? STOPPED : toErrorData(error).message;
  return { host: target.host, server: sshDestination(target), reason };
}

/**
 * The policy compiled, then its tables loaded a host per step: a stop between the compile and the load is heard.
 * `savedIn` places the errors of a saved version in its file: Problems lists the drawing's only.
 */
function* compiledTablesSteps(policy: Policy, inventory: Inventory, what: string, reader: CompiledFlowReader, savedIn?: (path: string) => SourceLocation): AnalysisSteps<HostFlowTables> {
  const compiled = compilePolicy(policy, inventory);
  if (hasErrors(compiled.diagnostics)) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    const message = savedIn ? `${what} has errors for this inventory; fix them in that file, or compare with another version.` : `${what} has errors; fix them first (see Problems).`;
    throw new ServiceError('bad-request', message, (savedIn ? locatedIn(errors, savedIn) : errors).map(formatDiagnostic).join('\n'));
  }
  yield { done: 0, total: compiled.hosts.length, unit: 'host tables read' };
  return yield* loadHostTablesSteps(compiled.hosts, reader);
}

/** A saved policy file's text read, compiled and loaded, as the side an impact compares with; a step between each. */
function* savedPolicySteps(text: string, path: string, inventory: Inventory, reader: CompiledFlowReader): AnalysisSteps<ImpactSide> {
  const parsed = parsePolicyFile(text, path);
  if (!parsed.policy) throw new ServiceError('bad-request', `${path} has errors; fix them to compare with it.`, parsed.diagnostics.map(formatDiagnostic).join('\n'));
  yield { done: 0, total: 1, unit: 'saved policies compiled' };
  return { policy: parsed.policy, tables: yield* compiledTablesSteps(parsed.policy, inventory, path, reader, parsed.locate ?? ((): SourceLocation => ({ file: path }))) };
}
