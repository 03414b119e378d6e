import { randomUUID } from 'node:crypto';
import type { CompileOutcome, SimulatedPacket, TraceOutcome } from '@shared/api/contract';
import { compilePolicy, type CompileResult, type HostTable } from '@shared/compiler/compile';
import { CompileSession, type InventoryChange } from '@shared/compiler/compile-session';
import type { Flow } from '@shared/compiler/flow';
import { formatHostTable } from '@shared/compiler/table-text';
import { hasErrors } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import type { Policy } from '@shared/policy/model';
import { loadHostTablesSteps, type AnalysisProgress } from '@shared/analysis/steps';
import { decisionsOf } from '@shared/simulator/decision';
import { CompiledFlowReader } from '@shared/simulator/compiled-flows';
import { addressHosts, simulatePath, tablesOnDemand, type HostFlowTables, type HostTableLookup, type PathEnd, type PathProbe } from '@shared/simulator/path';
import { echoRequestType } from '@shared/simulator/packet';
import { formatTrace } from '@shared/simulator/trace-format';
import type { EmitEvent } from './deploy-service';
import type { Logger } from './logger';
import { ServiceError } from './service-error';
import { runInSlices } from './time-slices';

/** Above this many changed workloads a change is compiled anew rather than patched: a redeploy or a new source, not a live update. */
const PATCH_LIMIT = 64;

/** The latest compile: what the next one patches, and what the UI reads from (tables printed and parsed only when asked for). */
interface LatestCompile {
  id: string;
  policy: Policy;
  policyKey: string;
  inventory: Inventory;
  /** Each workload's JSON by id, to see what the next inventory changed. */
  workloads: Map<string, string>;
  result: CompileResult;
  /** Started at the first change that can be patched: starting costs a few compiles, so one-off compiles never pay it. */
  session?: CompileSession;
  hosts: Map<string, HostTable>;
  /** The compile found errors and made no tables. */
  failed: boolean;
  /** Made at the first trace: address → host (where a redirected packet goes next), and the tables, each host's parsed when a trace first reaches it. */
  simulation?: { hostOf: Map<string, string>; tables: HostTableLookup };
  /** Every host's tables, parsed at the first analysis of this compile (matrix, impact, replay) and kept for the next. */
  loaded?: LoadedTables;
  /** The loading under way, which an analysis asking meanwhile waits for rather than loading them twice. */
  loading?: Promise<LoadedTables>;
}

/** A compile's tables as the simulator reads them, and the reader that read them (shared with the other side of an impact). */
export interface LoadedTables {
  tables: HostFlowTables;
  reader: CompiledFlowReader;
}

/** An ephemeral source port for simulated connections. */
const SOURCE_PORT = 49152;

/**
 * Compiles for the app's doors. A watched inventory (Kubernetes) changes a few workloads at a
 * time and the preview compiles again after each change: for the same policy, those compiles
 * patch the last one through a CompileSession (equal to a full compile, proven by its property
 * test). The UI gets counts per host; the table it shows is printed, and the tables a trace
 * crosses are parsed, when asked for: at 10,000 workloads on 100 hosts, printing and sending
 * every table made each compile a quarter of a gigabyte of JSON.
 */
export class CompileService {
  private latest: LatestCompile | null = null;
  /** Printed tables by their flows, which a session keeps for the hosts a change leaves alone. */
  private readonly texts = new WeakMap<readonly Flow[], string>();

  /** `emit` tells every window which compile is the latest, so one holding an older compile says so before it is asked for a table. */
  constructor(
    private readonly log: Logger,
    private readonly emit: EmitEvent = () => {},
  ) {}

  compile(policy: Policy, inventory: Inventory): CompileOutcome {
    const started = performance.now();
    const policyKey = JSON.stringify(policy);
    const workloads = new Map(inventory.workloads.map((w) => [w.id, JSON.stringify(w)]));
    // A session follows workloads by id: an inventory that repeats one is compiled as it is.
    const last = this.latest;
    const patchable = workloads.size === inventory.workloads.length && last?.policyKey === policyKey;
    const change = patchable && last ? changeBetween(last.workloads, workloads, inventory) : null;
    const size = change ? (change.put?.length ?? 0) + (change.remove?.length ?? 0) : 0;
    // The same input again: the last compile, kept whole.
    const kept = last && change && size === 0 ? last : undefined;

    let result: CompileResult;
    let session: CompileSession | undefined;
    if (kept) {
      ({ result, session } = kept);
    } else if (last && change && size <= PATCH_LIMIT) {
      session = last.session ?? new CompileSession(policy, last.inventory);
      session.apply(change);
      result = session.result();
    } else {
      result = compilePolicy(policy, inventory);
    }
    // Random, not counted: a window that outlived a restarted node side must not read another compile's tables.
    const compileId = randomUUID();
    const hostTables = new Map(result.hosts.map((h) => [h.host, h]));
    this.latest = { id: compileId, policy, policyKey, inventory, workloads, result, ...(session ? { session } : {}), hosts: hostTables, failed: hasErrors(result.diagnostics) };
    // The same input again keeps the tables already parsed for traces and analyses.
    if (kept)
      Object.assign(this.latest, { ...(kept.simulation ? { simulation: kept.simulation } : {}), ...(kept.loaded ? { loaded: kept.loaded } : {}), ...(kept.loading ? { loading: kept.loading } : {}) });
    this.emit('compile:replaced', { latestCompileId: compileId });
    const durationMs = roundMs(performance.now() - started);
    // A session that had to compile anew (a change it cannot patch: a spoof guard, IPv6 appearing) says so.
    const patched = session !== undefined && size > 0 && session.lastApplyPatched;
    this.log.info('compiled', { policy: policy.name, ms: durationMs, flows: result.flowCount, hosts: result.hosts.length, ...(patched ? { patchedWorkloads: size } : {}) });
    const hosts = result.hosts.map(({ host, flowCount, workloadCount }) => ({ host, flowCount, workloadCount }));
    return { ...result, compileId, hosts, durationMs, ...(patched ? { patchedWorkloads: size } : {}), ...(kept ? { unchanged: true as const } : {}) };
  }

  /** One host's table of compile `compileId`, printed with comments naming the rules. */
  hostTable(compileId: string, host: string): { host: string; text: string } {
    const latest = this.compiled(compileId);
    const table = latest.hosts.get(host);
    if (!table) throw new ServiceError('not-found', `The compile made no table for host "${host}".`);
    let text = this.texts.get(table.flows);
    if (text === undefined) this.texts.set(table.flows, (text = formatHostTable(host, latest.policy, table.flows)));
    return { host, text };
  }

  /** `simulatePath` through the tables of compile `compileId`, parsing only the hosts the packet reaches. */
  trace(compileId: string, from: PathEnd, to: PathEnd, packet: SimulatedPacket, state: 'new' | 'established'): TraceOutcome {
    const latest = this.compiled(compileId);
    if (latest.failed) throw new ServiceError('bad-request', 'The last compile has errors, so it made no tables to trace: fix what Problems lists, then compile again.');
    const probe: PathProbe = packet.protocol === 'icmp' ? { protocol: 'icmp', icmpType: packet.icmpType ?? echoRequestType(to.address), icmpCode: packet.icmpCode ?? 0 } : { protocol: packet.protocol, srcPort: SOURCE_PORT, dstPort: packet.dstPort ?? 0 };
    const simulation = (latest.simulation ??= { hostOf: addressHosts(latest.inventory.workloads), tables: tablesOnDemand([...latest.hosts.values()]) });
    // An analysis may have parsed every host already.
    const tables = latest.loaded?.tables ?? simulation.tables;
    const { hostOf } = simulation;
    let path;
    try {
      path = simulatePath(tables, from, to, probe, state, { hostOf });
    } catch (failure) {
      throw new ServiceError('bad-request', `Cannot trace ${from.address} → ${to.address}: ${(failure as Error).message}`);
    }
    // Printed here: the matched flows hold 128-bit addresses as BigInts, which JSON cannot carry.
    const hops = path.hops.map(({ host, result, ctMark }) => ({
      host,
      verdict: result.verdict,
      ...(result.ethDst !== undefined ? { ethDst: result.ethDst } : {}),
      ...(ctMark !== undefined ? { ctMark } : {}),
      trace: formatTrace(result, `── host ${host} ──`),
    }));
    const { verdict, redirectedTo, enforced, reason } = path;
    return { verdict, ...(redirectedTo !== undefined ? { redirectedTo } : {}), enforced, reason, hops, decisions: decisionsOf(path, latest.result.rules) };
  }

  /**
   * The latest compile's tables, loaded for the simulator once, when `policy` and `inventory`
   * are exactly what it compiled (and without errors); null otherwise. At 10,000 workloads
   * compiling and loading take seconds, which each analysis of the drawing paid again; they are
   * loaded in slices, a host at a time, reporting `onProgress`.
   */
  async loadedTables(policy: Policy, inventory: Inventory, onProgress: (progress: AnalysisProgress) => void): Promise<LoadedTables | null> {
    const { latest } = this;
    if (!latest || latest.failed || latest.policyKey !== JSON.stringify(policy) || !sameWorkloads(latest.workloads, inventory)) return null;
    if (latest.loaded) return latest.loaded;
    if (!latest.loading) {
      const reader = new CompiledFlowReader();
      latest.loading = runInSlices(loadHostTablesSteps([...latest.hosts.values()], reader), onProgress).then((tables) => ({ reader, tables }));
    }
    // Kept on the compile asking, which may be a later one of the same input that took the load over.
    try {
      return (latest.loaded = await latest.loading);
    } catch (error) {
      // A failed load is not kept: the next analysis tries again rather than meeting the same failure.
      latest.loading = undefined;
      throw error;
    }
  }

  private compiled(compileId: string): LatestCompile {
    if (this.latest?.id !== compileId) throw new ServiceError('not-found', 'That compile is no longer the latest (another window compiled, or the app restarted): compile again.');
    return this.latest;
  }
}


/** Whether an inventory holds exactly the workloads (by id, as JSON) of a compiled one. */
function sameWorkloads(compiled: ReadonlyMap<string, string>, inventory: Inventory): boolean {
  return inventory.workloads.length === compiled.size && inventory.workloads.every((w) => compiled.get(w.id) === JSON.stringify(w));
}

/** The workloads added or changed (put) and those gone (remove) between two pictures. */
function changeBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, inventory: Inventory): InventoryChange {
  const put = inventory.workloads.filter((w) => before.get(w.id) !== after.get(w.id));
  const remove = [...before.keys()].filter((id) => !after.has(id));
  return { put, remove };
}

function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
