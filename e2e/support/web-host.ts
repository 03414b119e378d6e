import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A browser-mode host started for one test file, with its own settings folder. */
export interface RunningHost {
  url: string;
  home: string;
  stop(): Promise<void>;
}

export async function startHost(env: Record<string, string> = {}): Promise<RunningHost> {
  const home = mkdtempSync(join(tmpdir(), 'microseg-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(new URL('../../dist/electron/web.cjs', import.meta.url))], {
    // KUBECONFIG names a file in the fresh home unless a test gives its own (the API server
    // double's): no test ever reads the user's ~/.kube/config or reaches a real cluster.
    env: { ...process.env, MICROSEG_HOME: home, KUBECONFIG: join(home, 'no-kubeconfig'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`The host printed no URL within 20 s. Log:\n${log}`)), 20_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /Open: (\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`The host exited with ${code}. Log:\n${log}`)));
  });

  return {
    url,
    home,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
