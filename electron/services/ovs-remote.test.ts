import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OvsRemote, UnansweredError } from './ovs-remote';
import { ServiceError } from './service-error';
import type { CommandResult, SshSession } from './ssh-session';

/**
 * A host whose shell is this machine's `sh`, with `date` and `ovs-ofctl` stand-ins first on the
 * PATH: `date` tells the clock the test sets, `ovs-ofctl` records how it was run and what it read,
 * then exits 0, or dies of its own alarm as at its --timeout.
 */
class ShellHost {
  readonly dir = mkdtempSync(join(tmpdir(), 'microseg-ovs-remote-'));
  private path = `${this.dir}:${process.env.PATH ?? ''}`;

  constructor(clock: number) {
    this.setClock(clock);
    this.standIn('date', `cat "${this.dir}/clock"`);
    this.standIn('ovs-ofctl', `printf '%s\\n' "$*" > "${this.dir}/ran"; cat > "${this.dir}/stdin"; if [ -e "${this.dir}/alarm" ]; then kill -ALRM $$; fi`);
  }

  setClock(seconds: number): void {
    writeFileSync(join(this.dir, 'clock'), `${seconds}\n`);
  }

  /** As a host without `date`: the shell finds no such command on its PATH. */
  withoutDate(): void {
    this.path = this.dir;
    rmSync(join(this.dir, 'date'));
  }

  alarmAtTimeout(): void {
    writeFileSync(join(this.dir, 'alarm'), '');
  }

  /** How ovs-ofctl was run, and what it read; undefined when it never ran. */
  ran(): { args: string; stdin: string } | undefined {
    if (!existsSync(join(this.dir, 'ran'))) return undefined;
    return { args: readFileSync(join(this.dir, 'ran'), 'utf8').trim(), stdin: readFileSync(join(this.dir, 'stdin'), 'utf8') };
  }

  session(): SshSession {
    return {
      run: (command, stdin) =>
        new Promise<CommandResult>((resolve, reject) => {
          const shell = spawn('/bin/sh', ['-c', command], { env: { ...process.env, PATH: this.path } });
          let stdout = '';
          let stderr = '';
          shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          shell.on('error', reject);
          shell.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
          shell.stdin.end(stdin ?? '');
        }),
      close: () => undefined,
    };
  }

  private standIn(name: string, body: string): void {
    writeFileSync(join(this.dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(this.dir, name), 0o755);
  }
}

describe('OvsRemote.applyBundle bounded on the host', () => {
  const bundle = 'delete cookie=0x4d53000000000000/0xffff000000000000\nadd cookie=0x4d53000000000000, priority=1 actions=drop\n';

  it('has the host run ovs-ofctl only until a deadline a few seconds before the app stops waiting', async () => {
    const host = new ShellHost(1_700_000_000);
    const ovs = new OvsRemote(host.session(), 'br0', 'h1', 60_000);
    await ovs.readHostClock();
    await ovs.applyBundle(bundle);

    const ran = host.ran();
    const timeout = Number(/^--timeout=(\d+) --bundle add-flows -- br0 -$/.exec(ran?.args ?? '')?.[1]);
    // 60 s less the 5 s margin, less the second the clock is read in at most.
    expect(timeout).toBeGreaterThanOrEqual(54);
    expect(timeout).toBeLessThanOrEqual(55);
    expect(ran?.stdin).toBe(bundle);
  });

  it('leaves the switch alone when the host starts the command after its deadline, and says it did not run', async () => {
    const host = new ShellHost(1_700_000_000);
    const ovs = new OvsRemote(host.session(), 'br0', 'h1', 60_000);
    await ovs.readHostClock();
    // As behind an sshd wrapper that sleeps 75 s before it runs the command.
    host.setClock(1_700_000_075);

    const error = await ovs.applyBundle(bundle).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).not.toBeInstanceOf(UnansweredError);
    expect(error).toMatchObject({ code: 'ovs-failed', message: 'Could not apply the flow table on h1 (bridge br0): the host started ovs-ofctl only after its deadline, so it did not run it.' });
    expect(host.ran()).toBeUndefined();
  });

  it('takes ovs-ofctl ended by its own alarm for a bundle without answer, final once the app would have stopped waiting', async () => {
    const host = new ShellHost(1_700_000_000);
    host.alarmAtTimeout();
    const ovs = new OvsRemote(host.session(), 'br0', 'h1', 60_000);
    await ovs.readHostClock();
    const sent = performance.now();

    const error = await ovs.applyBundle(bundle).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnansweredError);
    expect((error as UnansweredError).message).toBe('Could not apply the flow table on h1 (bridge br0): the switch did not answer before ovs-ofctl gave up at its deadline on the host.');
    expect((error as UnansweredError).settledBy).toBeGreaterThanOrEqual(sent + 60_000);
  });

  it('refuses to send a bundle before the host clock is read, and says a clock it cannot read', async () => {
    const host = new ShellHost(1_700_000_000);
    const ovs = new OvsRemote(host.session(), 'br0', 'h1', 60_000);
    await expect(ovs.applyBundle(bundle)).rejects.toThrow('applyBundle on h1 before readHostClock');
    expect(host.ran()).toBeUndefined();

    writeFileSync(join(host.dir, 'clock'), 'Sun Dec  6 02:16:11 UTC 2026\n');
    await expect(ovs.readHostClock()).rejects.toThrow('Could not read the clock of h1: `date +%s` printed "Sun Dec  6 02:16:11 UTC 2026" there, not the seconds since 1970');
  });
});

describe('OvsRemote.readHostClock on a host lacking what the bundle needs', () => {
  const bundle = 'delete cookie=0x4d53000000000000/0xffff000000000000\n';

  /** Reads the clock of `session`, then tries to send a bundle; what readHostClock threw. */
  async function clockFailure(session: SshSession): Promise<ServiceError> {
    const ovs = new OvsRemote(session, 'br0', 'h1', 60_000);
    const error = await ovs.readHostClock().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    // Without a clock no bundle can be sent.
    await expect(ovs.applyBundle(bundle)).rejects.toThrow('before readHostClock');
    return error as ServiceError;
  }

  it('says `date` is missing, and what to install, when the shell finds none', async () => {
    const host = new ShellHost(1_700_000_000);
    host.withoutDate();

    const error = await clockFailure(host.session());
    expect(error.code).toBe('ovs-failed');
    expect(error.message).toMatch(/^Could not read the clock of h1: `date \+%s` gave nothing there \(.*date: not found\)\. /);
    expect(error.message).toContain('install `date` on the host (Debian: coreutils), then try again.');
    expect(host.ran()).toBeUndefined();
  });

  it('says the `date` does not know %s when it prints the format back', async () => {
    const host = new ShellHost(1_700_000_000);
    writeFileSync(join(host.dir, 'clock'), '%s\n');

    const error = await clockFailure(host.session());
    expect(error.message).toContain('Could not read the clock of h1: `date +%s` printed "%s" there, not the seconds since 1970, so that `date` does not know %s.');
    expect(error.message).toContain('install a `date` that knows %s (GNU coreutils or BusyBox), then try again.');
  });

  it("says the SSH user's login shell is not a POSIX shell, as csh answers", async () => {
    const csh: SshSession = { run: () => Promise.resolve({ code: 1, stdout: '', stderr: 'Illegal variable name.\n' }), close: () => undefined };

    const error = await clockFailure(csh);
    expect(error.message).toBe(
      "Could not read the clock of h1: the SSH user's login shell there did not run a POSIX shell command (Illegal variable name). " +
        'The flow table is sent with a deadline by the host\'s clock (see "A bundle without answer" in docs/pipeline.md), in a POSIX shell: ' +
        "make that user's login shell sh, bash or dash (`chsh -s /bin/sh USER`), then try again.",
    );
  });
});
