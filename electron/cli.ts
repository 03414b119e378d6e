import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compilePolicy } from '@shared/compiler/compile';
import { formatHostTable } from '@shared/compiler/table-text';
import { formatDiagnostic, hasErrors, type Diagnostic } from '@shared/diagnostics';
import { parsePolicyFile } from '@shared/policy/policy-file';
import { parseInventoryText } from './services/inventory-file';

// The `microseg` command line: the same shared code as the app, for pipelines and scripts.
// Exit codes: 0 success, 1 the input has errors, 2 wrong usage or an unreadable file.

const USAGE = `usage:
  microseg check POLICY [--json]
  microseg compile POLICY --inventory FILE [--out DIR] [--json]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { inventory: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, policyPath] = positionals;
  if (values.help || !command || !policyPath) return usage();

  const policyFile = await readFile(resolve(policyPath), 'utf8');
  const parsed = parsePolicyFile(policyFile, policyPath);
  if (command === 'check') return report(parsed.diagnostics, values.json ?? false, { policy: policyPath });
  if (command !== 'compile') return usage();
  if (!parsed.policy) return report(parsed.diagnostics, values.json ?? false, {});
  if (!values.inventory) return usage('compile needs --inventory FILE');

  const inventoryText = await readFile(resolve(values.inventory), 'utf8');
  const inventory = parseInventoryText(inventoryText, values.inventory, new Date().toISOString());
  if (!inventory.inventory) return report(inventory.diagnostics, values.json ?? false, {});

  const started = performance.now();
  const result = compilePolicy(parsed.policy, inventory.inventory);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  if (values.out && !hasErrors(result.diagnostics)) {
    await mkdir(values.out, { recursive: true });
    for (const host of result.hosts) await writeFile(join(values.out, `${host.host}.flows`), formatHostTable(host.host, parsed.policy, host.flows));
  }
  const summary = { compileMs: ms, flows: result.flowCount, hosts: result.hosts.map((h) => ({ host: h.host, flows: h.flows.length, workloads: h.workloadCount })) };
  if (values.json) {
    process.stdout.write(JSON.stringify({ ...summary, diagnostics: result.diagnostics }, null, 2) + '\n');
  } else {
    for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    process.stdout.write(`compiled in ${ms} ms: ${result.flowCount} flows on ${result.hosts.length} hosts\n`);
    for (const h of summary.hosts) process.stdout.write(`  ${h.host}: ${h.flows} flows, ${h.workloads} workloads${values.out ? ` -> ${join(values.out, `${h.host}.flows`)}` : ''}\n`);
  }
  return hasErrors(result.diagnostics) ? 1 : 0;
}

function report(diagnostics: Diagnostic[], json: boolean, extra: Record<string, string>): number {
  if (json) process.stdout.write(JSON.stringify({ ...extra, diagnostics }, null, 2) + '\n');
  else for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  if (!json && diagnostics.length === 0) process.stdout.write('no problems found\n');
  return hasErrors(diagnostics) ? 1 : 0;
}

function usage(problem?: string): number {
  process.stderr.write(`${problem ? `microseg: ${problem}\n` : ''}${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`microseg: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
