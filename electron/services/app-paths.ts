import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the app keeps per-user state: host targets, known host keys, deploy backups, logs. */
export interface AppPaths {
  configDir: string;
  dataDir: string;
  examplesDir: string;
}

/**
 * MICROSEG_HOME overrides everything (tests use it to stay out of the user's home); otherwise
 * the XDG locations, which Electron's userData also follows on Linux.
 */
export function resolveAppPaths(examplesDir: string, base = process.env.MICROSEG_HOME): AppPaths {
  if (base) return { configDir: join(base, 'config'), dataDir: join(base, 'data'), examplesDir };
  const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  const data = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return { configDir: join(config, 'microseg-designer'), dataDir: join(data, 'microseg-designer'), examplesDir };
}
