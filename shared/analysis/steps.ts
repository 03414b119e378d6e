import type { HostTable } from '../compiler/compile';
import type { CompiledFlowReader } from '../simulator/compiled-flows';
import { loadHostTable, type HostFlowTables } from '../simulator/path';
import type { FlowTables } from '../simulator/simulate';

/** How far a long analysis has got: units of work done, of all, and what they are (`group cells`, `address pairs`). */
export interface AnalysisProgress {
  done: number;
  total: number;
  unit: string;
}

/**
 * Class pairs between two yields. Each can cost a few simulations, so this keeps a step to a
 * few milliseconds: a caller running in slices can pause often enough to stay responsive.
 */
export const PAIRS_PER_STEP = 64;

/**
 * A long analysis written as steps: it yields its progress now and then and returns its
 * result, so a caller that must stay responsive (the app's main process) can run it in slices,
 * and one that needn't (the command line, tests) runs it straight through with `finish`.
 */
export type AnalysisSteps<T> = Generator<AnalysisProgress, T, void>;

/** Runs every step and returns the result. */
export function finish<T>(steps: AnalysisSteps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Every host's compiled tables loaded for the simulator (as loadHostTables does), a host per
 * step: at 50,000 workloads that is 5 million flows and many seconds, which a responsive
 * caller must not spend at once.
 */
export function* loadHostTablesSteps(hosts: readonly HostTable[], reader: CompiledFlowReader): AnalysisSteps<HostFlowTables> {
  const tables = new Map<string, FlowTables>();
  for (const host of hosts) {
    tables.set(host.host, loadHostTable(host, reader));
    yield { done: tables.size, total: hosts.length, unit: 'host tables read' };
  }
  return tables;
}
