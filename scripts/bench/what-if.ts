import { changeImpact } from '../../shared/analysis/impact';
import { reachabilityMatrix } from '../../shared/analysis/matrix';
import { compilePolicy, type CompileResult } from '../../shared/compiler/compile';
import { formatFlow } from '../../shared/compiler/flow';
import type { Inventory } from '../../shared/inventory/model';
import type { Policy } from '../../shared/policy/model';
import { ovsCtNext, ovsTraceFlow, parseTraceOutcome } from '../../shared/simulator/ovs-trace';
import { CompiledFlowReader } from '../../shared/simulator/compiled-flows';
import { addressHosts, loadHostTables, simulatePath, type HostFlowTables, type PathEnd, type PathProbe } from '../../shared/simulator/path';
import type { Packet } from '../../shared/simulator/packet';
import { VerdictEngine } from '../../shared/simulator/verdict-engine';
import { BRIDGES, missing, OvsSandbox } from '../../electron/testing/ovs-sandbox';

// What-if figures for one synthetic estate: single-packet verdicts, one ofproto/trace on a real
// (flow-only) Open vSwitch, the full group matrix and the impact of a one-edge change.

export interface WhatIfFigures {
  /**
   * First-packet verdicts from the VerdictEngine, warm, between workloads of all hosts, asked
   * with ends and services resolved once (verdictOf), as a packet classifier holding header
   * fields would; null above VERDICT_WORKLOAD_LIMIT.
   */
  verdictsPerSec: number | null;
  /** The same traffic asked with text ends and a probe per packet (VerdictEngine.verdict, what replay and the app call). */
  textVerdictsPerSec: number | null;
  /** Whole-path simulations with their trace (simulatePath), between workloads of four hosts. */
  tracesPerSec: number;
  /** null when Open vSwitch is not installed. */
  ofprotoTraceMs: number | null;
  /** Above IN_PROCESS_MATRIX_LIMIT workloads, timed in a fresh process. */
  matrixMs: number;
  /** Median of a few runs: the first is mostly the JIT warming up. */
  impactMs: number;
  matrixClasses: number;
}

/** Above this many workloads the matrix is timed in a fresh process (scripts/bench/matrix-fresh.ts says why). */
export const IN_PROCESS_MATRIX_LIMIT = 10_000;

/**
 * Above this the verdicts are not measured either: the engine's classifiers of every host's
 * tables need more memory than a default Node heap holds at the huge size. (The impact is
 * measured at every size: both sides' loaded tables take about 2 GB at the huge one.)
 */
export const VERDICT_WORKLOAD_LIMIT = 10_000;
const IMPACT_RUNS = 5;

const PORTS = [80, 443, 5432, 6379, 8080, 8443, 9090, 3306, 53, 22];
const TRACES_TIMED = 20_000;
/** Verdicts to warm the engine (JIT, classifiers, caches), then verdicts timed: other packets of the same traffic. */
const VERDICTS_WARM = 1_000_000;
const VERDICTS_TIMED = 2_000_000;
const TRACES = 20;

export async function measureWhatIf(policy: Policy, inventory: Inventory, compiled: CompileResult, matrixInFreshProcess: () => MatrixFigures): Promise<WhatIfFigures> {
  const workloads = inventory.workloads.length;
  // Parsed once: at the large size reading a million flows back from text takes many seconds.
  // One reader for every table set, as the app's impact loads both sides with one.
  const reader = new CompiledFlowReader();
  const tables = loadHostTables(compiled.hosts, reader);
  const matrix = workloads <= IN_PROCESS_MATRIX_LIMIT ? timeMatrix(policy, inventory, tables) : matrixInFreshProcess();
  const verdicts = workloads <= VERDICT_WORKLOAD_LIMIT;
  return {
    verdictsPerSec: verdicts ? verdictsPerSecond(inventory, tables, 'resolved') : null,
    textVerdictsPerSec: verdicts ? verdictsPerSecond(inventory, tables, 'text') : null,
    tracesPerSec: tracesPerSecond(inventory, compiled),
    ofprotoTraceMs: await ofprotoTraceMs(compiled, inventory),
    matrixMs: matrix.matrixMs,
    matrixClasses: matrix.classes,
    impactMs: timeImpact(policy, inventory, tables, reader),
  };
}

/**
 * First-packet verdicts (VerdictEngine) between workloads of all hosts, TCP to ports of PORTS,
 * on one core: a warm-up pass, then other pseudo-random pairs of the same traffic, timed (every
 * pair of all hosts' workloads is as likely; the engine has seen few of them before). `resolved`
 * makes each workload's end and each port's service once, outside the timing, and asks
 * verdictOf; `text` hands the ends and the probe as text and objects to verdict every time.
 */
function verdictsPerSecond(inventory: Inventory, tables: HostFlowTables, ask: 'resolved' | 'text'): number {
  const engine = new VerdictEngine(tables, { hostOf: addressHosts(inventory.workloads) });
  const ends: PathEnd[] = inventory.workloads.flatMap((w) => (w.addresses[0] ? [{ address: w.addresses[0], host: w.host }] : []));
  const probes: PathProbe[] = PORTS.map((dstPort) => ({ protocol: 'tcp', srcPort: 40000, dstPort }));
  const resolvedEnds = ends.map((e) => engine.end(e.address, e.host));
  const services = probes.map((p) => engine.service(p));
  const run = (seed: number, count: number): number => {
    let state = seed;
    let passed = 0; // used, so no verdict is optimised away
    for (let i = 0; i < count; i++) {
      // The generator's steps written out: its state in a closure made a heap number of every
      // value above 2^31, some 30 MB of garbage per timed run charged to the engine.
      state = nextState(state);
      const from = state % ends.length;
      state = nextState(state);
      const to = state % ends.length;
      const port = (state >>> 8) % probes.length;
      const verdict =
        ask === 'resolved'
          ? engine.verdictOf(resolvedEnds[from]!, resolvedEnds[to]!, services[port]!)
          : engine.verdict(ends[from]!, ends[to]!, probes[port]!);
      if (verdict.verdict !== 'dropped') passed++;
    }
    return passed;
  };
  run(1, VERDICTS_WARM);
  const started = performance.now();
  run(2, VERDICTS_TIMED);
  return Math.round(VERDICTS_TIMED / ((performance.now() - started) / 1000));
}

/** A linear congruential generator's step, modulo 2^32. */
function nextState(state: number): number {
  return (Math.imul(state, 1664525) + 1013904223) >>> 0;
}

/** Whole-path simulations (simulatePath, with its trace) between workloads of four hosts. */
function tracesPerSecond(inventory: Inventory, compiled: CompileResult): number {
  const hosts = compiled.hosts.slice(0, 4);
  const tables = loadHostTables(hosts);
  const names = new Set(hosts.map((h) => h.host));
  const workloads = inventory.workloads.filter((w) => names.has(w.host));
  const hostOf = addressHosts(workloads);
  const pick = (i: number): (typeof workloads)[number] => workloads[(i * 7919) % workloads.length]!;
  const started = performance.now();
  for (let i = 0; i < TRACES_TIMED; i++) {
    const from = pick(i);
    const to = pick(i * 31 + 17);
    simulatePath(tables, { address: from.addresses[0]!, host: from.host }, { address: to.addresses[0]!, host: to.host }, { protocol: 'tcp', srcPort: 40000, dstPort: PORTS[i % PORTS.length]! }, 'new', { hostOf });
  }
  return Math.round(TRACES_TIMED / ((performance.now() - started) / 1000));
}

/** One `ofproto/trace` on a private flow-only OVS holding the largest host's table, averaged. */
async function ofprotoTraceMs(compiled: CompileResult, inventory: Inventory): Promise<number | null> {
  if (missing.length > 0) return null;
  const host = [...compiled.hosts].sort((a, b) => b.flowCount - a.flowCount)[0]!;
  const local = inventory.workloads.filter((w) => w.host === host.host);
  const ovs = new OvsSandbox();
  try {
    ovs.start();
    ovs.load(BRIDGES[0]!, host.flows.map(formatFlow).join('\n') + '\n');
    let total = 0;
    for (let i = 0; i < TRACES; i++) {
      const packet: Packet = { ethType: 'ipv4', src: local[i % local.length]!.addresses[0]!, dst: local[(i + 1) % local.length]!.addresses[0]!, protocol: 'tcp', srcPort: 40000, dstPort: PORTS[i % PORTS.length]! };
      const flow = ovsTraceFlow(packet, 1);
      const started = performance.now();
      const [output] = await ovs.trace([{ bridge: BRIDGES[0]!, flow, ctNext: ovsCtNext('new', packet) }]);
      total += performance.now() - started;
      if (!parseTraceOutcome(output ?? '')) throw new Error(`ofproto/trace printed no verdict:\n${output}`);
    }
    return Math.round((total / TRACES) * 10) / 10;
  } finally {
    await ovs.stop();
  }
}

/** The matrix's time and its address classes. */
export interface MatrixFigures {
  matrixMs: number;
  classes: number;
}

function timeMatrix(policy: Policy, inventory: Inventory, tables: HostFlowTables): MatrixFigures {
  const started = performance.now();
  const matrix = reachabilityMatrix(policy, inventory, tables);
  return { matrixMs: Math.round(performance.now() - started), classes: matrix.stats.classes };
}

/** The first allow edge gets one more port: compile, then the impact against the original (median of IMPACT_RUNS). */
function timeImpact(policy: Policy, inventory: Inventory, before: HostFlowTables, reader: CompiledFlowReader): number {
  const edge = policy.edges.find((e) => e.action === 'allow')!;
  const changed: Policy = { ...policy, edges: policy.edges.map((e) => (e === edge ? { ...e, services: [...e.services, { protocol: 'tcp', ports: { from: 2222, to: 2222 } }] } : e)) };
  const after = loadHostTables(compilePolicy(changed, inventory).hosts, reader);
  const times: number[] = [];
  for (let i = 0; i < IMPACT_RUNS; i++) {
    const started = performance.now();
    changeImpact({ policy, tables: before }, { policy: changed, tables: after }, inventory);
    times.push(performance.now() - started);
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(IMPACT_RUNS / 2)]!);
}
