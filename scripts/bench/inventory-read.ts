import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { parseInventoryText } from '../../electron/services/inventory-file';
import type { Workload } from '../../shared/inventory/model';
import { POLICY_API_VERSION } from '../../shared/policy/model';
import { SIZES, syntheticEstate } from './synthetic';

// `npx tsx scripts/bench/inventory-read.ts [--runs N] [--dir DIR]`: writes the large and huge
// synthetic inventories (10,000 and 50,000 workloads) as YAML and CSV files (in DIR, or a new
// temporary directory) and times reading each through parseInventoryText, what the app and
// `--inventory FILE` use, each run in a fresh process so its peak RSS is the read's alone.
// `--read FILE` is that child: it prints one JSON line. Figures, not pass/fail; not part of
// `npm run bench`, whose figures are per compiled estate (docs/performance.md).

interface ReadFigures {
  workloads: number;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
}

function readOnce(file: string): ReadFigures {
  const text = readFileSync(file, 'utf8');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const parsed = parseInventoryText(text, file, '2026-01-01T00:00:00Z');
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (!parsed.inventory) throw new Error(`${file} read with errors: ${JSON.stringify(parsed.diagnostics.slice(0, 3))}`);
  // resourceUsage's maxRSS is in kilobytes, and is the peak whenever it happened.
  return { workloads: parsed.inventory.workloads.length, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

function yamlOf(workloads: readonly Workload[]): string {
  const written = workloads.map((w) => ({ name: w.name, host: w.host, addresses: w.addresses, labels: w.labels }));
  return stringify({ apiVersion: POLICY_API_VERSION, kind: 'Inventory', workloads: written });
}

function csvOf(workloads: readonly Workload[]): string {
  const rows = workloads.map((w) => [w.name, w.host, w.addresses.join(' '), Object.entries(w.labels).map(([k, v]) => `${k}=${v}`).join(';')].join(','));
  return ['name,host,addresses,labels', ...rows, ''].join('\n');
}

/** Runs this script again as `--read FILE` (with the same loader flags, so it also works under tsx). */
function readInFreshProcess(file: string): ReadFigures {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--read', file], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`Reading ${file} in a fresh process failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as ReadFigures;
}

const { values } = parseArgs({ options: { read: { type: 'string' }, runs: { type: 'string' }, dir: { type: 'string' } } });
if (values.read) {
  console.log(JSON.stringify(readOnce(values.read)));
} else {
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'microseg-inventory-read-'));
  const runs = Number(values.runs ?? 3);
  for (const size of SIZES.filter((s) => s.name === 'large' || s.name === 'huge')) {
    const { workloads } = syntheticEstate(size).inventory;
    for (const [format, text] of [['yaml', yamlOf(workloads)], ['csv', csvOf(workloads)]] as const) {
      const file = join(dir, `${size.name}.${format}`);
      writeFileSync(file, text);
      const figures = Array.from({ length: runs }, () => readInFreshProcess(file));
      const range = (pick: (f: ReadFigures) => number): string => {
        const [low, high] = [Math.min(...figures.map(pick)), Math.max(...figures.map(pick))];
        return low === high ? String(low) : `${low}–${high}`;
      };
      const mb = (text.length / 1024 / 1024).toFixed(1);
      console.log(`${file} (${figures[0]!.workloads} workloads, ${mb} MB): read in ${range((f) => f.ms)} ms (CPU ${range((f) => f.cpuMs)} ms), peak RSS ${range((f) => f.peakRssMb)} MB in ${runs} fresh process${runs === 1 ? '' : 'es'}`);
    }
  }
}
