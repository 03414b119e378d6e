import { join } from 'node:path';
import { version } from '../package.json';
import { startWebHost } from './web-host';

// `npm run web`: start the browser-mode host and print where to open it. The version is bundled
// from package.json at build time: npm's environment is absent when started with node alone, and
// when started from another package's script it names that package.
const root = join(__dirname, '..', '..');
const port = process.env.MICROSEG_PORT ? Number(process.env.MICROSEG_PORT) : 0;

startWebHost({ port, rendererDir: join(root, 'dist', 'renderer'), examplesDir: join(root, 'examples'), version })
  .then((host) => {
    process.stdout.write(`Microseg Designer is running in browser mode.\nOpen: ${host.url}\n(Ctrl+C stops it.)\n`);
    const stop = (): void => void host.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    process.stderr.write(`Could not start the browser-mode host: ${String(error)}\n`);
    process.exit(1);
  });
