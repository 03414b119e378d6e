// `npm run bench [-- ARGS]`: bundles scripts/bench.ts (and the fresh-process scripts/bench/compile-peak.ts and matrix-fresh.ts) the way scripts/build-node.mjs bundles the
// app (esbuild, dependencies external) and runs it with ARGS, so the figures are those of the
// code users run. Running the TypeScript through tsx instead wraps every function in a
// name-keeping helper, which cost a tenth of a compile.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const outfile = 'dist/bench/bench.mjs';
await build({
  // compile-peak runs in a process of its own (see scripts/bench/compile-peak.ts).
  entryPoints: { bench: 'scripts/bench.ts', 'compile-peak': 'scripts/bench/compile-peak.ts', 'matrix-fresh': 'scripts/bench/matrix-fresh.ts' },
  outdir: 'dist/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  alias: { '@shared': './shared' },
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
