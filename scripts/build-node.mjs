// Bundles the node-side doors (Electron main, preload, browser-mode host, CLI) to CommonJS
// in dist/electron. Dependencies stay external: they are installed beside the app.
import { build } from 'esbuild';

const entries = {
  main: 'electron/main.ts',
  preload: 'electron/preload.ts',
  web: 'electron/web-main.ts',
  cli: 'electron/cli/main.ts',
};

await build({
  entryPoints: entries,
  outdir: 'dist/electron',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  // shared/ is ours and must be inside the bundle; the sandboxed preload can require nothing else.
  alias: { '@shared': './shared' },
  logLevel: 'warning',
});
console.log(`built ${Object.keys(entries).join(', ')} -> dist/electron`);
