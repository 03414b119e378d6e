import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compilePolicy, type CompileResult } from '../shared/compiler/compile';
import { CompileSession } from '../shared/compiler/compile-session';
import { diffCompiles } from '../shared/compiler/flow-diff';
import type { Workload } from '../shared/inventory/model';
import { resolveMembership } from '../shared/policy/membership';
import { benchKubernetes, type KubernetesFigures } from './bench/kubernetes';
import { SIZES, syntheticEstate, type BenchSize } from './bench/synthetic';
import { IN_PROCESS_MATRIX_LIMIT, measureWhatIf, VERDICT_WORKLOAD_LIMIT, type MatrixFigures, type WhatIfFigures } from './bench/what-if';

// `npm run bench [-- --json FILE] [-- --sizes small,large,kubernetes]`: compile figures per
// synthetic estate size, and a live Kubernetes inventory of 10,000 pods read from the API server
// double. Figures, not pass/fail: speed targets live here, not in unit tests.

interface Figures extends WhatIfFigures {
  workloads: number;
  groups: number;
  edges: number;
  hosts: number;
  /** Median of the timed compiles, after WARM_UP_MS of compiling the same estate: what a recompile on each edit costs. */
  compileMs: number;
  /** The process's first compile of the estate: JIT still cold. */
  firstCompileMs: number;
  flows: number;
  maxHostFlows: number;
  naiveFlows: number;
  /**
   * Peak RSS of a fresh process that builds the estate and compiles it once (scripts/bench/compile-peak.ts): what
   * one compile needs, as the command line's. In this process the figure would carry whatever
   * the sizes measured before it left behind.
   */
  peakRssMb: number;
  /** RSS of that process before its compile: Node itself and the estate's inputs. */
  inputsRssMb: number;
  /** Peak RSS sampled in this process over the timed compiles, each result released before the next. */
  warmPeakRssMb: number;
  /**
   * One workload relabelled: a compile session's patch (CompileSession.apply), flows to add and
   * delete per host; median of RELABELS such changes (workloads across the estate moved into
   * another app and back), timed after WARM_UP_MS of relabelling other workloads, as compiles are.
   */
  incrementalMs: number;
  incrementalP90Ms: number;
  /** The same RELABELS changes as the session's first after its start: JIT still cold. */
  incrementalFirstMs: number;
  incrementalFlowChanges: number;
  /** The same change the old way: a full recompile plus diffCompiles. */
  recompileDiffMs: number;
  /** Starting a compile session: a full compile plus the clause counts it keeps. */
  sessionStartMs: number;
}

function naiveFlowCount(estate: ReturnType<typeof syntheticEstate>): number {
  // A per-pair compiler writes one flow per source member, destination member and port match.
  const membership = resolveMembership(estate.policy, estate.inventory.workloads);
  let total = 0;
  for (const edge of estate.policy.edges) {
    const from = membership.get(edge.from)?.workloads.length ?? 0;
    const to = membership.get(edge.to)?.workloads.length ?? 0;
    total += from * to * edge.services.length;
  }
  return total;
}

async function measure(size: BenchSize, runs: number, fresh: FreshPeak): Promise<Figures> {
  const { peakRssMb, inputsRssMb } = fresh;
  const estate = syntheticEstate(size);
  const firstStart = performance.now();
  // Held in a box so each compile can drop its predecessor first: keeping it doubled the peak.
  const last: { result?: CompileResult } = { result: compilePolicy(estate.policy, estate.inventory) };
  const firstCompileMs = performance.now() - firstStart;
  const compileAgain = (): void => {
    delete last.result;
    last.result = compilePolicy(estate.policy, estate.inventory);
  };
  for (const warmUpEnd = performance.now() + WARM_UP_MS; performance.now() < warmUpEnd; ) compileAgain();
  const times: number[] = [];
  let peak = process.memoryUsage().rss;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    compileAgain();
    times.push(performance.now() - started);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  times.sort((a, b) => a - b);
  const { result } = last;
  if (!result) throw new Error('No compile result.');

  const relabelled = measureRelabels(estate, result);
  const whatIf = await measureWhatIf(estate.policy, estate.inventory, result, () => matrixInFreshProcess(size));
  return {
    ...whatIf,
    workloads: size.workloads,
    groups: size.groups,
    edges: size.edges,
    hosts: size.hosts,
    compileMs: round(times[Math.floor(times.length / 2)]!),
    firstCompileMs: round(firstCompileMs),
    flows: result.flowCount,
    maxHostFlows: Math.max(...result.hosts.map((h) => h.flowCount)),
    naiveFlows: naiveFlowCount(estate),
    peakRssMb,
    inputsRssMb,
    warmPeakRssMb: Math.round(peak / 1024 / 1024),
    ...relabelled,
  };
}

type RelabelFigures = Pick<Figures, 'incrementalMs' | 'incrementalP90Ms' | 'incrementalFirstMs' | 'incrementalFlowChanges' | 'recompileDiffMs' | 'sessionStartMs'>;

/**
 * Relabels one workload into another app (the change a container restart often brings), the
 * old way (full recompile and diff) and through a compile session. The session is dropped on
 * return: at the huge size it holds millions of flow objects, whose collection the what-if
 * figures measured next would otherwise pay for.
 */
function measureRelabels(estate: ReturnType<typeof syntheticEstate>, result: CompileResult): RelabelFigures {
  const [first] = estate.inventory.workloads;
  const otherApp = estate.inventory.workloads.find((w) => w.labels.app !== first?.labels.app)?.labels.app ?? 'app0';
  const changed = { ...estate.inventory, workloads: estate.inventory.workloads.map((w, i) => (i === 0 ? { ...w, labels: { ...w.labels, app: otherApp } } : w)) };
  const recompileStart = performance.now();
  diffCompiles(result, compilePolicy(estate.policy, changed));
  const recompileDiffMs = performance.now() - recompileStart;
  const sessionStart = performance.now();
  const session = new CompileSession(estate.policy, estate.inventory);
  const sessionStartMs = performance.now() - sessionStart;
  const changes = session.apply({ put: [changed.workloads[0]!] });
  session.apply({ put: [first!] });
  const firstRelabels = relabelTimes(session, estate.inventory.workloads, 0);
  for (let warmUpEnd = performance.now() + WARM_UP_MS, pass = 1; performance.now() < warmUpEnd; pass++) relabelTimes(session, estate.inventory.workloads, pass);
  const relabels = relabelTimes(session, estate.inventory.workloads, 0);
  return {
    incrementalMs: round(relabels[Math.floor(relabels.length / 2)]!),
    incrementalP90Ms: round(relabels[Math.floor(relabels.length * 0.9)]!),
    incrementalFirstMs: round(firstRelabels[Math.floor(firstRelabels.length / 2)]!),
    incrementalFlowChanges: changes.reduce((n, c) => n + c.add.length + c.remove.length, 0),
    recompileDiffMs: round(recompileDiffMs),
    sessionStartMs: round(sessionStartMs),
  };
}

const RELABELS = 100;
/** Compiling goes on this long before the timed runs, so the JIT has settled (at least one compile). */
const WARM_UP_MS = 2_000;

/** Sorted times of RELABELS relabels, each undone right after (the undoing not timed); `offset` 0 is the timed series, others warm up on other workloads. */
function relabelTimes(session: CompileSession, workloads: readonly Workload[], offset: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < RELABELS; i++) {
    const w = workloads[(i * 37 + offset * 101) % workloads.length]!;
    const app = workloads.find((x) => x.labels.app !== w.labels.app)?.labels.app ?? 'app0';
    const started = performance.now();
    session.apply({ put: [{ ...w, labels: { ...w.labels, app } }] });
    times.push(performance.now() - started);
    session.apply({ put: [w] });
  }
  return times.sort((a, b) => a - b);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

type FreshPeak = { peakRssMb: number; inputsRssMb: number };

/** Peak RSS of compiling the estate once in a fresh process (scripts/bench/compile-peak.ts, bundled beside this script). */
function compilePeakInFreshProcess(size: BenchSize): FreshPeak {
  return inFreshProcess<FreshPeak>('compile-peak.mjs', size, 'Compiling');
}

/** The group matrix timed in a fresh process (scripts/bench/matrix-fresh.ts). */
function matrixInFreshProcess(size: BenchSize): MatrixFigures {
  return inFreshProcess<MatrixFigures>('matrix-fresh.mjs', size, 'Timing the matrix of');
}

/** Runs a script bundled beside this one on the estate and reads the JSON it prints. */
function inFreshProcess<T>(script: string, size: BenchSize, what: string): T {
  const child = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), script), '--size', size.name], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${what} the ${size.name} estate in a fresh process failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}

const { values } = parseArgs({ options: { json: { type: 'string' }, sizes: { type: 'string' }, runs: { type: 'string' } } });
const wanted = values.sizes ? values.sizes.split(',') : [...SIZES.map((s) => s.name), 'kubernetes'];
const all: Record<string, Figures | KubernetesFigures> = {};
const runsOf = (size: BenchSize): number => Number(values.runs ?? (size.name === 'huge' ? 3 : 7));
const sizes = SIZES.filter((s) => wanted.includes(s.name));
// Every fresh-process peak first, while this process is small: after the large size's what-if,
// its collector works through gigabytes on the second core while a child compiles, and the
// child's heap grows further before its own collections catch up (huge: 317-320 MB measured
// after the large size, 278-281 MB before it, the same script).
const freshPeaks = new Map(sizes.map((size) => [size.name, compilePeakInFreshProcess(size)]));
for (const size of sizes) {
  const figures = await measure(size, runsOf(size), freshPeaks.get(size.name)!);
  all[size.name] = figures;
  console.log(
    `${size.name.padEnd(6)} ${figures.workloads} workloads, ${figures.groups} groups, ${figures.edges} edges, ${figures.hosts} hosts: ` +
      `compile ${figures.compileMs} ms (median of ${runsOf(size)} after ${WARM_UP_MS / 1000} s of warm-up; first compile ${figures.firstCompileMs} ms), ${figures.flows} flows (max ${figures.maxHostFlows} on one host), ` +
      `naive per-pair ${figures.naiveFlows}, peak RSS ${figures.peakRssMb} MB compiling once in a fresh process (${figures.inputsRssMb} MB before the compile; ${figures.warmPeakRssMb} MB over the timed compiles here), ` +
      `one workload relabelled: ${figures.incrementalMs} ms median, ${figures.incrementalP90Ms} ms p90 after ${WARM_UP_MS / 1000} s of relabels (the session's first ${RELABELS}: ${figures.incrementalFirstMs} ms median), patched by a compile session (started in ${figures.sessionStartMs} ms), ` +
      `${figures.incrementalFlowChanges} flow changes (full recompile and diff: ${figures.recompileDiffMs} ms)`,
  );
  const skipped = (limit: number): string => `not measured above ${limit} workloads`;
  console.log(
    `${''.padEnd(6)} what-if: verdicts ${figures.verdictsPerSec !== null ? `${figures.verdictsPerSec}/s (VerdictEngine, ends resolved once; ${figures.textVerdictsPerSec}/s from text)` : skipped(VERDICT_WORKLOAD_LIMIT)}, ${figures.tracesPerSec} traces/s (simulatePath), ofproto/trace ${figures.ofprotoTraceMs ?? 'n/a (no Open vSwitch)'} ms, ` +
      `group matrix ${figures.matrixMs} ms (${figures.matrixClasses} address classes${figures.workloads > IN_PROCESS_MATRIX_LIMIT ? ', in a fresh process' : ''}), ` +
      `one-edge impact ${figures.impactMs} ms`,
  );
}
if (wanted.includes('kubernetes')) {
  const k = await benchKubernetes();
  all.kubernetes = k;
  console.log(
    `kubernetes ${k.pods} pods in ${k.namespaces} namespaces from the API server double: last list response to inventory and membership ready ` +
      `${k.responseToReadyMs} ms (membership ${k.membershipMs} ms; open from first request ${k.openMs} ms); ` +
      `watch event to inventory and membership updated: median ${k.watchLatencyMedianMs} ms, p95 ${k.watchLatencyP95Ms} ms, max ${k.watchLatencyMaxMs} ms ` +
      `(of the median, ${k.watchToPublishMedianMs} ms until the service publishes the new inventory)`,
  );
}
if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 2) + '\n');
