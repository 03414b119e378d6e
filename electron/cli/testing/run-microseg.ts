import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Test support: runs the real command line through tsx, so no build is needed.

/** The checkout's root, where the examples live. */
export const ROOT = join(__dirname, '..', '..', '..');

export function microseg(...args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the command line with its stdout on an open file descriptor (`> FILE` in a shell); only its stderr comes back. */
export function microsegWithStdout(stdoutFd: number, ...args: string[]): { code: number; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT, stdio: ['ignore', stdoutFd, 'pipe'] });
  return { code: run.status ?? -1, stderr: run.stderr };
}

/**
 * Runs the command line with stdout and stderr into a pipe whose reader has already gone, as
 * `microseg ... 2>&1 | head -1` leaves them once head has its line; gives the exit code.
 */
export function microsegIntoClosedPipe(...args: string[]): number {
  const command = [process.execPath, '--import', 'tsx', join(ROOT, 'electron', 'cli', 'main.ts'), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  // `true` reads nothing and is gone long before Node has started: every write meets a closed pipe.
  const run = spawnSync('bash', ['-c', `${command} 2>&1 | true; exit "\${PIPESTATUS[0]}"`], { cwd: ROOT });
  return run.status ?? -1;
}
