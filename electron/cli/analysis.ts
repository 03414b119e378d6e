import { impactChangesSomething, impactSteps, type ChangeImpact } from '@shared/analysis/impact';
import { infrastructureChangeLine } from '@shared/analysis/infrastructure-changes';
import { matrixSteps } from '@shared/analysis/matrix';
import { leftOutNames, leftOutNote, trafficName, unknownPassLines } from '@shared/analysis/infrastructure-passes';
import { checkedExamples } from '@shared/analysis/matrix-example';
import { matrixCsvChunks, matrixJson, matrixTextLines } from '@shared/analysis/matrix-format';
import { formatServices, isEmptyServiceSet } from '@shared/analysis/service-set';
import { finish, type AnalysisSteps } from '@shared/analysis/steps';
import { compilePolicy } from '@shared/compiler/compile';
import { hasErrors, locatedIn, type Diagnostic } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { CompiledFlowReader } from '@shared/simulator/compiled-flows';
import { addressHosts, loadHostTables, type HostFlowTables } from '@shared/simulator/path';
import { VerdictEngine } from '@shared/simulator/verdict-engine';
import { printable } from '@shared/text';
import { asUsageFailure, CliFailure, EXIT, wrongUsage, loadInventory, loadPolicy, type LoadedPolicy } from './inputs';

// `microseg matrix` and `microseg impact`: what-if answers for pipelines, from the same shared
// analysis the app's Matrix and Impact tabs show.

export interface AnalysisOptions {
  inventory?: string;
  format?: string;
  json: boolean;
}

/** `impact` exit codes, for pipelines: the change permits or blocks nothing / something. */
export const IMPACT_EXIT = { none: 0, some: 1 } as const;

/**
 * The matrix as text, CSV or JSON, in chunks to write one after another: at 5,000 groups the
 * CSV has 25 million rows, more than one string can hold. `diagnostics`: the compile's warnings,
 * for stderr, as `trace` prints them (with JSON, they are in it instead).
 */
export async function matrixCommand(policyPath: string, options: AnalysisOptions): Promise<{ chunks: Iterable<string>; code: number; diagnostics: Diagnostic[] }> {
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (!['text', 'csv', 'json'].includes(format)) throw wrongUsage(`--format must be text, csv or json, not "${format}"`);
  const loaded = await loadPolicy(policyPath);
  const { policy } = loaded;
  const inventory = await loadInventory(options.inventory);
  const started = performance.now();
  const { tables, diagnostics } = tablesOf(loaded, inventory, policyPath);
  const matrix = withProgress(matrixSteps(policy, inventory, tables), 'matrix');
  // The time goes to stderr: stdout is the same for the same input, so two runs can be diffed.
  process.stderr.write(`matrix took ${Math.round(performance.now() - started)} ms\n`);
  if (format === 'csv') {
    // The CSV holds rows only, for spreadsheets; what its cells leave out is said beside it.
    const note = leftOutNote(matrix.leftOut);
    if (note) process.stderr.write(`${note}\n`);
    return { chunks: matrixCsvChunks(matrix), code: EXIT.ok, diagnostics };
  }
  if (format === 'json') {
    // Each example is a pair whose first packet the cell's service really passes, as `trace` would show.
    const engine = new VerdictEngine(tables, { hostOf: addressHosts(inventory.workloads) });
    const json = matrixJson(matrix, (cells) => checkedExamples(matrix.members, cells, inventory, engine));
    return { chunks: [JSON.stringify({ ...json, diagnostics }, null, 2)], code: EXIT.ok, diagnostics: [] };
  }
  return { chunks: [...matrixTextLines(matrix), `(${matrix.stats.classes} address classes, ${matrix.stats.simulations} simulated packets)`], code: EXIT.ok, diagnostics };
}

/**
 * Compares two policy files over one inventory. Exits 0 when nothing changes, 1 when
 * something does; input problems exit 2 here, since 1 already means "changes". `diagnostics`:
 * both compiles' warnings, each once, for stderr as `trace` prints them (with JSON, in it).
 */
export async function impactCommand(oldPath: string, newPath: string | undefined, options: AnalysisOptions): Promise<{ text: string; code: number; diagnostics: Diagnostic[] }> {
  if (!newPath) throw wrongUsage('impact needs two policy files: OLD NEW');
  const [before, after] = await Promise.all([loadPolicy(oldPath), loadPolicy(newPath)]).catch(asUsageFailure);
  const inventory = await loadInventory(options.inventory).catch(asUsageFailure);
  const started = performance.now();
  // One reader for both sides: the comparison then sees shared flows without reading their text.
  const reader = new CompiledFlowReader();
  const older = tablesOf(before, inventory, oldPath, EXIT.usage, reader);
  const newer = tablesOf(after, inventory, newPath, EXIT.usage, reader);
  // The inventory's warnings (MS205, say) come from both compiles alike: said once.
  const diagnostics = [...new Map([...older.diagnostics, ...newer.diagnostics].map((d) => [JSON.stringify(d), d])).values()];
  const impact = withProgress(impactSteps({ policy: before.policy, tables: older.tables }, { policy: after.policy, tables: newer.tables }, inventory), 'impact');
  // As for the matrix: stdout is the same for the same input, so two runs can be diffed.
  process.stderr.write(`impact took ${Math.round(performance.now() - started)} ms\n`);
  const code = impactChangesSomething(impact) ? IMPACT_EXIT.some : IMPACT_EXIT.none;
  if (options.json) {
    // Named as the matrix's JSON names what its cells leave out.
    const { leftOut, infrastructureChanges, ...shown } = impact;
    const changed = infrastructureChanges.map((c) => ({ ...c, traffic: trafficName(c.traffic) }));
    return { text: JSON.stringify({ ...shown, infrastructureChanges: changed, infrastructureNotShown: leftOutNames(leftOut), diagnostics }, null, 2), code, diagnostics: [] };
  }
  return { text: formatImpact(impact, oldPath, newPath), code, diagnostics };
}

/**
 * The summary line and the infrastructure traffic no line shows, if any; one line per group pair
 * whose connections change, then where infrastructure traffic changes, and the passes of flows
 * no policy writes, with where they are. The note on what is not shown comes before the lines it
 * is about: after "DHCP no longer passes", "DHCP passes between every pair" read as a contradiction.
 */
export function formatImpact(impact: ChangeImpact, oldPath: string, newPath: string): string {
  const note = leftOutNote(impact.leftOut);
  // Host names and matches come from the switches: printed, they are escaped.
  const unknown = unknownPassLines(impact.unknownPasses).map((line, i) => (i === 0 ? line : `  ${printable(line)}`));
  const infrastructure = impact.infrastructureChanges.map((change) => `  ${printable(infrastructureChangeLine(change))}`);
  // Right under the summary line, which says that these follow, they need no heading.
  if (infrastructure.length > 0 && impact.entries.length > 0) infrastructure.unshift("What passes ahead of the policy's rules changes too:");
  else if (infrastructure.length > 0 && note) infrastructure.unshift("What passes ahead of the policy's rules changes:");
  const [summary, ...entries] = impactLines(impact, oldPath, newPath);
  return [summary!, ...(note ? [note] : []), ...entries, ...infrastructure, ...unknown].join('\n');
}

function impactLines(impact: ChangeImpact, oldPath: string, newPath: string): string[] {
  const infrastructure = impact.infrastructureChanges.length;
  if (impact.entries.length === 0 && infrastructure > 0) return [`${oldPath} → ${newPath}: the policy's rules newly permit, block or redirect no connection; what passes ahead of them changes`];
  if (impact.entries.length === 0) return [`${oldPath} → ${newPath}: no connection is newly permitted, blocked or redirected`];
  const lines = [`${oldPath} → ${newPath}: ${impact.entries.length} group pair${impact.entries.length === 1 ? '' : 's'} change`];
  for (const e of impact.entries) {
    const parts: string[] = [];
    if (!isEmptyServiceSet(e.newlyPermitted)) parts.push(`newly permitted ${formatServices(e.newlyPermitted)}`);
    if (!isEmptyServiceSet(e.newlyBlocked)) parts.push(`newly blocked ${formatServices(e.newlyBlocked)}`);
    if (!isEmptyServiceSet(e.newlyRedirected)) parts.push(`newly redirected ${formatServices(e.newlyRedirected)}`);
    if (!isEmptyServiceSet(e.noLongerRedirected)) parts.push(`no longer redirected ${formatServices(e.noLongerRedirected)}`);
    // Workload and honeypot names come from the inventory: printed, they are escaped.
    for (const swap of e.honeypotChanged) parts.push(`redirected ${formatServices(swap.services)} to ${printable(swap.to)} instead of ${printable(swap.from)}`);
    lines.push(`  ${printable(e.from)} → ${printable(e.to)}: ${parts.join('; ')} (${e.pairs} address pair${e.pairs === 1 ? '' : 's'}, e.g. ${printable(e.example.from)} → ${printable(e.example.to)}${e.example.service ? ` on ${e.example.service}` : ''})`);
  }
  return lines;
}

/** How often a terminal's progress line is rewritten. */
const PROGRESS_EVERY_MS = 250;

/** Runs the steps, with a progress line on stderr when a person watches it (a terminal); pipelines see nothing. */
function withProgress<T>(steps: AnalysisSteps<T>, what: string): T {
  if (!process.stderr.isTTY) return finish(steps);
  let shown = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) {
      process.stderr.write('\r\x1b[K');
      return next.value;
    }
    if (performance.now() - shown < PROGRESS_EVERY_MS) continue;
    process.stderr.write(`\r\x1b[K${what}: ${next.value.done.toLocaleString('en-US')} of ${next.value.total.toLocaleString('en-US')} ${next.value.unit}`);
    shown = performance.now();
  }
}

/**
 * The compiled tables of a loaded policy, and the compile's warnings located as `trace` locates
 * them; its errors, located in its file, fail the command.
 */
function tablesOf({ policy, locate }: LoadedPolicy, inventory: Inventory, path: string, code: number = EXIT.inputErrors, reader = new CompiledFlowReader()): { tables: HostFlowTables; diagnostics: Diagnostic[] } {
  const compiled = compilePolicy(policy, inventory);
  const diagnostics = locatedIn(compiled.diagnostics, locate);
  if (hasErrors(diagnostics)) throw new CliFailure(code, `${path} has errors`, diagnostics);
  return { tables: loadHostTables(compiled.hosts, reader), diagnostics };
}
