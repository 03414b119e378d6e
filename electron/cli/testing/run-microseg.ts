import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Test support: runs the real command line through tsx, so no build is needed.

/** The checkout's root, where the examples live. */
export const ROOT = join(__dirname, '..', '..', '..');

export function microseg(...args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}
