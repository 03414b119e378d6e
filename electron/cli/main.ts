import { once } from 'node:events';
import { compilePolicy } from '@shared/compiler/compile';
import { formatHostTable } from '@shared/compiler/table-text';
import { formatDiagnostic, hasErrors, locatedIn, type Diagnostic } from '@shared/diagnostics';
import { decisionsOf } from '@shared/simulator/decision';
import { addressHosts, simulatePath, tablesOnDemand } from '@shared/simulator/path';
import { formatPacketService } from '@shared/policy/services';
import { formatTrace } from '@shared/simulator/trace-format';
import { honeypotLabel } from '@shared/simulator/honeypot-label';
import { CliFailure, EXIT, loadInventory, loadPolicy, wrongUsage } from './inputs';
import { readCommandLine, wantsJson, type Command, type OptionValues } from './arguments';
import { usageText, versionText } from './usage';
import { impactCommand, matrixCommand } from './analysis';
import { exportKubernetes, importKubernetes } from './kubernetes';
import { flowFilePath, writeFlowFiles } from './flow-files';
import { replayCommand } from './replay';
import { checkCommand } from './check';
import { probeFrom, resolveEnds, sentByFlag } from './trace';
import { FlowTextError } from '@shared/simulator/flow-parser';
import { printable } from '@shared/text';
import { systemReason } from '../services/file-kind';

// The `microseg` command line: the same shared code as the app, for pipelines and scripts.

async function main(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  try {
    const line = readCommandLine(argv);
    if (line.kind === 'help') return print(usageText(line.command), EXIT.ok);
    if (line.kind === 'version') return print(versionText(), EXIT.ok);
    return await run(line.command, line.policyPath, line.more, line.values);
  } catch (error) {
    // With --json, a failure is one JSON object too, a command line it cannot read among them,
    // so a pipeline can always parse stdout.
    if (!json || !(error instanceof CliFailure)) throw error;
    return print(JSON.stringify({ error: error.message, diagnostics: error.diagnostics }, null, 2), error.code);
  }
}

async function run(command: Command, policyPath: string, more: string[], values: OptionValues): Promise<number> {
  switch (command) {
    case 'check': {
      const result = await checkCommand([policyPath, ...more], values.json);
      return print(result.text, result.code);
    }
    case 'compile':
      if (more.length > 0) throw wrongUsage(`compile takes one policy; also given: ${more.join(' ')}`);
      return compile(policyPath, values);
    case 'trace':
      if (more.length > 0) throw wrongUsage(`trace takes one policy; also given: ${more.join(' ')}`);
      return trace(policyPath, values);
    case 'import':
    case 'export': {
      if (policyPath !== 'k8s') throw wrongUsage(`${command} knows one format: k8s (NetworkPolicy YAML)`);
      const options = { inventory: values.inventory, output: values.output, json: values.json };
      const result = command === 'import' ? await importKubernetes(more, options) : await exportKubernetes(more[0] ?? '', options);
      printDiagnostics(result.diagnostics);
      return print(result.text, result.code);
    }
    case 'matrix': {
      if (more.length > 0) throw wrongUsage(`matrix takes one policy; also given: ${more.join(' ')}`);
      const result = await matrixCommand(policyPath, { inventory: values.inventory, format: values.format, json: values.json });
      printDiagnostics(result.diagnostics);
      return printChunks(result.chunks, result.code);
    }
    case 'impact': {
      if (more.length > 1) throw wrongUsage(`impact takes two policies; also given: ${more.slice(1).join(' ')}`);
      const result = await impactCommand(policyPath, more[0], { inventory: values.inventory, json: values.json });
      printDiagnostics(result.diagnostics);
      return print(result.text, result.code);
    }
    case 'replay': {
      if (more.length > 0) throw wrongUsage(`replay takes one policy; also given: ${more.join(' ')}`);
      const result = await replayCommand(policyPath, { inventory: values.inventory, connections: values.connections, json: values.json });
      printDiagnostics(result.diagnostics);
      return print(result.text, result.code);
    }
  }
}

async function compile(policyPath: string, values: OptionValues): Promise<number> {
  const { policy, locate } = await loadPolicy(policyPath);
  const inventory = await loadInventory(values.inventory);
  const started = performance.now();
  const result = compilePolicy(policy, inventory);
  const compileMs = Math.round((performance.now() - started) * 10) / 10;
  const diagnostics = locatedIn(result.diagnostics, locate);
  // As the other commands do: the errors, then one line saying so, and no summary of tables never made.
  if (hasErrors(diagnostics)) throw new CliFailure(EXIT.inputErrors, `${policyPath} has errors; nothing compiled${values.out ? ' or written' : ''}`, diagnostics);
  const out = values.out;
  const stale = out ? await writeFlowFiles(out, result.hosts.map((h) => ({ host: h.host, text: () => formatHostTable(h.host, policy, h.flows) }))) : [];
  const hosts = result.hosts.map((h) => ({ host: h.host, flows: h.flowCount, workloads: h.workloadCount, ...(out ? { file: flowFilePath(out, h.host) } : {}) }));
  if (values.json) {
    // A folder that could not be listed for stale files is a warning without a file: none is named.
    const staleFiles = stale.flatMap((d) => d.location?.file ?? []);
    return print(JSON.stringify({ compileMs, flows: result.flowCount, hosts, ...(out ? { staleFiles } : {}), diagnostics: [...diagnostics, ...stale] }, null, 2), EXIT.ok);
  }
  printDiagnostics([...diagnostics, ...stale]);
  const lines = [`compiled in ${compileMs} ms: ${result.flowCount} flows on ${hosts.length} host${hosts.length === 1 ? '' : 's'}`, ...hosts.map((h) => `  ${h.host}: ${h.flows} flows, ${h.workloads} workload${h.workloads === 1 ? '' : 's'}${h.file ? ` -> ${h.file}` : ''}`)];
  return print(lines.join('\n'), EXIT.ok);
}

async function trace(policyPath: string, values: OptionValues): Promise<number> {
  const { policy, locate } = await loadPolicy(policyPath);
  const inventory = await loadInventory(values.inventory);
  if (!values.from || !values.to) throw wrongUsage('trace needs --from and --to');
  const ends = resolveEnds(inventory, values.from, values.to, values['sent-by'] !== undefined);
  const { from, note } = values['sent-by'] === undefined ? { from: ends.from } : sentByFlag(inventory, ends.from, values['sent-by']);
  const to = ends.to;
  const probe = probeFrom(
    { proto: values.proto, port: values.port, srcPort: values['src-port'], icmpType: values['icmp-type'], icmpCode: values['icmp-code'] },
    to.address,
  );

  const compiled = compilePolicy(policy, inventory);
  if (hasErrors(compiled.diagnostics)) throw new CliFailure(EXIT.inputErrors, `${policyPath} has errors`, locatedIn(compiled.diagnostics, locate));
  let path;
  try {
    path = simulatePath(tablesOnDemand(compiled.hosts), from, to, probe, values.established ? 'established' : 'new', { hostOf: addressHosts(inventory.workloads) });
  } catch (error) {
    // A table that does not parse comes from a value the input checks let through, not from the question.
    if (error instanceof FlowTextError) throw new CliFailure(EXIT.inputErrors, `the compiled tables do not parse (a value of the policy or inventory that its checks let through; please report it): ${error.message}`);
    throw new CliFailure(EXIT.usage, (error as Error).message);
  }
  const decisions = decisionsOf(path, compiled.rules);
  const code = path.verdict === 'permitted' ? EXIT.ok : path.verdict === 'redirected' ? EXIT.redirected : EXIT.dropped;

  // The compile's warnings, as compile prints them: a workload in no group, or sharing its
  // address with another (MS205), changes what the verdict means.
  const diagnostics = locatedIn(compiled.diagnostics, locate);
  if (values.json) {
    const hops = path.hops.map((h) => ({ host: h.host, verdict: h.result.verdict, reason: h.result.reason, trace: formatTrace(h.result).split('\n') }));
    return print(JSON.stringify({ from: from.label, to: to.label, service: formatPacketService(probe), verdict: path.verdict, redirectedTo: path.redirectedTo, enforced: path.enforced, reason: path.reason, ...(note ? { note } : {}), decisions, hops, diagnostics }, null, 2), code);
  }
  printDiagnostics(diagnostics);
  if (note) process.stderr.write(`microseg: note: ${printable(note)}\n`);
  const verdict = path.verdict === 'redirected' ? `REDIRECTED to ${printable(honeypotLabel(inventory, path.redirectedTo))}` : path.verdict.toUpperCase();
  // Names come from the inventory and edge ids from the policy: printed, they are escaped.
  const lines = [`${printable(from.label)} → ${printable(to.label)} ${formatPacketService(probe)}: ${verdict} (${path.reason})`];
  for (const d of decisions) lines.push(`  decided on ${d.host} in table ${d.table} by ${printable(d.what)}`);
  for (const hop of path.hops) lines.push('', formatTrace(hop.result, `── host ${hop.host} ──`));
  return print(lines.join('\n'), code);
}

function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
}

function print(text: string, code: number): number {
  if (text !== '') process.stdout.write(text + '\n');
  return code;
}

// A reader that stops early (`microseg matrix ... | head`) closes the pipe: writing on is pointless
// but no failure of ours, so the rest of the output is dropped and the command ends as it would
// have, instead of reporting EPIPE as a bug.
let readerGone = false;
const isBrokenPipe = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
// Any other failure to write stdout (`> report.json` on a full disk) leaves the output cut short:
// it is an unwritable file (exit 2), said once, never the exit 1 that means an answer (impact:
// something changes) or a bug. The event may come before or after the command's own code is set.
let outputLost = false;
process.stdout.on('error', (error) => {
  readerGone = true;
  if (isBrokenPipe(error) || outputLost) return;
  outputLost = true;
  process.stderr.write(`microseg: could not write the output to stdout (${systemReason(error)}); what was written of it is incomplete: free the space or choose where it goes, and run again\n`);
  process.exitCode = EXIT.usage;
});

// stderr carries warnings and failures, and `2>&1 | head` closes it with stdout. Nothing is left
// to say a failed write on, and Node would end on the unhandled error with exit 1, which means
// an answer (impact: something changes): the exit code the command sets stays the answer.
process.stderr.on('error', () => undefined);

/** Writes output too big for one string a chunk (of whole lines) at a time, waiting whenever stdout's buffer is full. */
async function printChunks(chunks: Iterable<string>, code: number): Promise<number> {
  for (const chunk of chunks) {
    if (readerGone) break;
    if (process.stdout.write(chunk + '\n')) continue;
    try {
      await once(process.stdout, 'drain');
    } catch {
      // A failed write: stdout's error handler above has said what it means.
      break;
    }
  }
  return code;
}

// Exit by setting the code, never process.exit(): a piped stdout may still hold output, and
// exiting at once would cut it off at the pipe's buffer size.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = outputLost ? EXIT.usage : code;
  },
  (error: unknown) => {
    if (error instanceof CliFailure) {
      printDiagnostics(error.diagnostics);
      process.stderr.write(`microseg: ${printable(error.message)}\n${error.showUsage ? `${usageText()}\n` : ''}`);
      process.exitCode = error.code;
      return;
    }
    process.stderr.write(`microseg: unexpected failure (a bug): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.usage;
  },
);
