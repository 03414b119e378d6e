import { replayConnections, withinOneEndNote, type ReplayResult } from '@shared/analysis/replay';
import { compilePolicy } from '@shared/compiler/compile';
import { capped, hasErrors, locatedIn, type Diagnostic } from '@shared/diagnostics';
import type { Inventory } from '@shared/inventory/model';
import { honeypotLabel } from '@shared/simulator/honeypot-label';
import { loadHostTables } from '@shared/simulator/path';
import { printable } from '@shared/text';
import { noConnectionMessage, parseConnectionLog, withLogProblems } from '../services/connection-log';
import { asUsageFailure, CliFailure, EXIT, loadInventory, loadPolicy, readInput, wrongUsage } from './inputs';

// `microseg replay`: what would this policy do to the traffic that really ran? For pipelines
// that gate a policy change on last week's flow logs.

export interface ReplayOptions {
  inventory?: string;
  connections?: string;
  json: boolean;
}

/** `replay` exit codes: every connection would go through / some would be dropped or redirected; 2 for bad input, as 1 is taken. */
export const REPLAY_EXIT = { allThrough: 0, some: 1 } as const;

export async function replayCommand(policyPath: string, options: ReplayOptions): Promise<{ text: string; code: number; diagnostics: Diagnostic[] }> {
  const logPath = options.connections;
  if (!logPath) throw wrongUsage('replay needs --connections LOG.csv (columns from,to,protocol,port and optionally count)');
  const { policy, locate } = await loadPolicy(policyPath).catch(asUsageFailure);
  const inventory = await loadInventory(options.inventory).catch(asUsageFailure);
  const log = await parseConnectionLog(await readInput(logPath, 'connection log'), logPath);
  // An empty or unreadable log must not pass a pipeline as "everything goes through".
  if (log.connections.length === 0) throw new CliFailure(EXIT.usage, noConnectionMessage(logPath, log), capped(log.diagnostics));
  const compiled = compilePolicy(policy, inventory);
  if (hasErrors(compiled.diagnostics)) throw new CliFailure(EXIT.usage, `${policyPath} has errors`, locatedIn(compiled.diagnostics, locate));

  const started = performance.now();
  const replayed = replayConnections(policy, inventory, loadHostTables(compiled.hosts), log.connections, logPath);
  // As for the matrix and the impact: stdout is the same for the same input, so two runs can be diffed.
  process.stderr.write(`replay took ${Math.round(performance.now() - started)} ms\n`);
  // Every left-out line of the log at once, in line order, at most a screenful.
  const { result } = withLogProblems(replayed, log);
  const { diagnostics } = result;
  // A line left out leaves the answer incomplete: say so in the exit code, after the summary.
  const code = hasErrors(diagnostics) ? EXIT.usage : result.dropped + result.redirected > 0 ? REPLAY_EXIT.some : REPLAY_EXIT.allThrough;
  if (options.json) return { text: JSON.stringify(result, null, 2), code, diagnostics: [] };
  return { text: formatReplay(result, inventory, logPath, policyPath), code, diagnostics };
}

function formatReplay(result: ReplayResult, inventory: Inventory, logPath: string, policyPath: string): string {
  const n = (count: number): string => count.toLocaleString('en-US');
  const unenforced = result.unenforced > 0 ? ` (${n(result.unenforced)} with neither end behind one of our switches)` : '';
  const lines = [
    `${logPath} against ${policyPath}: ${n(result.connections)} connection${result.connections === 1 ? '' : 's'}, ${n(result.permitted)} permitted${unenforced}, ${n(result.dropped)} dropped, ${n(result.redirected)} redirected to a honeypot`,
  ];
  const within = withinOneEndNote(result.withinOneEnd);
  if (within) lines.push(`${within}.`);
  for (const verdict of ['dropped', 'redirected'] as const) {
    const entries = result.entries.filter((e) => e.verdict === verdict);
    if (entries.length === 0) continue;
    lines.push(`${verdict}:`);
    for (const e of entries) {
      // The ends are the log's own text (a quoted cell may hold a line break): escaped, never raw.
      const where = e.redirectedTo ? ` to ${printable(honeypotLabel(inventory, e.redirectedTo))}` : '';
      lines.push(`  ${printable(e.from)} → ${printable(e.to)} ${e.service}${where}: ${n(e.connections)} connection${e.connections === 1 ? '' : 's'} (e.g. line ${e.example.line}: ${printable(e.example.from)} → ${printable(e.example.to)})`);
    }
  }
  return lines.join('\n');
}
