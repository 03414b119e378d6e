import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostDeadline, OvsRemote, UnansweredError } from './ovs-remote';
import { ServiceError } from './service-error';
import type { CommandResult, SshSession } from './ssh-session';

/**
 * A host whose shell is this machine's `sh`, with `date` and `ovs-ofctl` stand-ins first on the
 * PATH and seconds since boot in a file of its own: `date` tells the wall clock the test sets,
 * `ovs-ofctl` records how it was run and what it read, then exits 0, or dies of its own alarm as
 * at its --timeout. Built as a Linux host, which has both clocks.
 */
class ShellHost {
  readonly dir = mkdtempSync(join(tmpdir(), 'microseg-ovs-remote-'));
  private path = `${this.dir}:${process.env.PATH ?? ''}`;
  private wall = 1_700_000_000;
  private boot = 1_000;
  private linux = true;

  constructor() {
    this.writeClocks();
    this.standIn('date', `cat "${this.dir}/clock"`);
    this.standIn('ovs-ofctl', `printf '%s\\n' "$*" > "${this.dir}/ran"; cat > "${this.dir}/stdin"; if [ -e "${this.dir}/alarm" ]; then kill -ALRM $$; fi`);
  }

  /** An OvsRemote on this host, with the app's 60 s per command. */
  remote(): OvsRemote {
    return new OvsRemote(this.session(), 'br0', 'h1', 60_000, join(this.dir, 'uptime'));
  }

  /** Both clocks move on by `seconds`, as time passes. */
  pass(seconds: number): void {
    this.wall += seconds;
    this.boot += seconds;
    this.writeClocks();
  }

  /** Only the wall clock moves, as `date -s` or an NTP step moves it; seconds since boot do not. */
  setWallClockBy(seconds: number): void {
    this.wall += seconds;
    this.writeClocks();
  }

  /** What the host's `date` prints instead of its seconds. */
  dateSays(text: string): void {
    writeFileSync(join(this.dir, 'clock'), text);
  }

  /** As a host that is not Linux: no seconds since boot to read. */
  withoutUptime(): void {
    this.linux = false;
    rmSync(join(this.dir, 'uptime'));
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
          // A command that ends before reading its input (a bundle refused at its deadline) closes
          // the pipe under the write, as an SSH channel would: its exit status is the answer.
          shell.stdin.on('error', () => undefined);
          shell.stdin.end(stdin ?? '');
        }),
      close: () => undefined,
    };
  }

  private writeClocks(): void {
    writeFileSync(join(this.dir, 'clock'), `${this.wall}\n`);
    // As Linux writes it: seconds since boot and idle seconds, each to the hundredth.
    if (this.linux) writeFileSync(join(this.dir, 'uptime'), `${this.boot}.57 ${this.boot * 2}.03\n`);
  }

  private standIn(name: string, body: string): void {
    writeFileSync(join(this.dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(this.dir, name), 0o755);
  }
}

/** A Linux host, and one without seconds since boot, whose deadline is counted by `date`. */
const HOSTS: [string, () => ShellHost][] = [
  ['counted in seconds since boot', () => new ShellHost()],
  [
    'counted by date, on a host without /proc/uptime',
    () => {
      const host = new ShellHost();
      host.withoutUptime();
      return host;
    },
  ],
];

describe('OvsRemote.applyBundle bounded on the host', () => {
  const bundle = 'delete cookie=0x4d53000000000000/0xffff000000000000\nadd cookie=0x4d53000000000000, priority=1 actions=drop\n';

  it.each(HOSTS)('has the host run ovs-ofctl only until a deadline a few seconds before the app stops waiting, %s', async (_, shellHost) => {
    const host = shellHost();
    const ovs = host.remote();
    await ovs.readHostClock();
    await ovs.applyBundle(bundle);

    const ran = host.ran();
    const timeout = Number(/^--timeout=(\d+) --bundle add-flows -- br0 -$/.exec(ran?.args ?? '')?.[1]);
    // 60 s less the 5 s margin, less the second the clock is read in at most.
    expect(timeout).toBeGreaterThanOrEqual(54);
    expect(timeout).toBeLessThanOrEqual(55);
    expect(ran?.stdin).toBe(bundle);
  });

  it.each(HOSTS)('leaves the switch alone when the host starts the command after its deadline, and says it did not run, %s', async (_, shellHost) => {
    const host = shellHost();
    const ovs = host.remote();
    await ovs.readHostClock();
    // As behind an sshd wrapper that sleeps 75 s before it runs the command.
    host.pass(75);

    const error = await ovs.applyBundle(bundle).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).not.toBeInstanceOf(UnansweredError);
    expect(error).toMatchObject({ code: 'ovs-failed', message: 'Could not apply the flow table on h1 (bridge br0): the host started ovs-ofctl only after its deadline, so it did not run it.' });
    expect(host.ran()).toBeUndefined();
  });

  it('gives the bundle no more time on a Linux host whose wall clock is set back after the read', async () => {
    const host = new ShellHost();
    const ovs = host.remote();
    await ovs.readHostClock();
    // As `date -s` or an NTP step during a slow login; seconds since boot run on.
    host.setWallClockBy(-30);
    host.pass(40);

    await ovs.applyBundle(bundle);
    // 55 s from the read, 40 of them gone: not the 45 the wall clock would give.
    expect(Number(/^--timeout=(\d+) /.exec(host.ran()?.args ?? '')?.[1])).toBeLessThanOrEqual(15);
  });

  it('does not run the bundle on a host without /proc/uptime whose wall clock reads earlier than when it was read', async () => {
    const host = new ShellHost();
    host.withoutUptime();
    const ovs = host.remote();
    await ovs.readHostClock();
    // Set back 30 s, and 10 s go by: by `date`, 75 s would be left, more than the app waits.
    host.setWallClockBy(-30);
    host.pass(10);

    const error = await ovs.applyBundle(bundle).then(() => undefined, (e: unknown) => e);
    expect(error).not.toBeInstanceOf(UnansweredError);
    expect(error).toMatchObject({
      code: 'ovs-failed',
      message: "Could not apply the flow table on h1 (bridge br0): the host's clock was set back after the app read it, so the host could not tell how long ovs-ofctl may run, and did not run it. Try again: the clock is read anew.",
    });
    expect(host.ran()).toBeUndefined();
  });

  it('still runs the bundle on a wall clock a second back, as two clocks ticking apart may show, with 56 s at most', async () => {
    const host = new ShellHost();
    host.withoutUptime();
    const ovs = host.remote();
    await ovs.readHostClock();
    // A second back at once is within what two clocks ticking apart may show.
    host.setWallClockBy(-1);

    await ovs.applyBundle(bundle);
    expect(Number(/^--timeout=(\d+) /.exec(host.ran()?.args ?? '')?.[1])).toBe(56);
  });

  it('takes ovs-ofctl ended by its own alarm for a bundle without answer, final once the app would have stopped waiting', async () => {
    const host = new ShellHost();
    host.alarmAtTimeout();
    const ovs = host.remote();
    await ovs.readHostClock();
    const sent = performance.now();

    const error = await ovs.applyBundle(bundle).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnansweredError);
    expect((error as UnansweredError).message).toBe('Could not apply the flow table on h1 (bridge br0): the switch did not answer before ovs-ofctl gave up at its deadline on the host.');
    expect((error as UnansweredError).settledBy).toBeGreaterThanOrEqual(sent + 60_000);
  });

  it('refuses to send a bundle before the host clock is read, and says a clock it cannot read', async () => {
    const host = new ShellHost();
    const ovs = host.remote();
    await expect(ovs.applyBundle(bundle)).rejects.toThrow('applyBundle on h1 before readHostClock');
    expect(host.ran()).toBeUndefined();

    host.withoutUptime();
    host.dateSays('Sun Dec  6 02:16:11 UTC 2026\n');
    await expect(ovs.readHostClock()).rejects.toThrow(`Could not read the clock of h1: it has no ${join(host.dir, 'uptime')}, and \`date +%s\` printed "Sun Dec  6 02:16:11 UTC 2026" there, not the seconds since 1970`);
  });
});

describe('OvsRemote.readHostClock on a host lacking what the bundle needs', () => {
  const bundle = 'delete cookie=0x4d53000000000000/0xffff000000000000\n';

  /** Reads the clock through `ovs`, then tries to send a bundle; what readHostClock threw. */
  async function clockFailure(ovs: OvsRemote): Promise<ServiceError> {
    const error = await ovs.readHostClock().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    // Without a clock no bundle can be sent.
    await expect(ovs.applyBundle(bundle)).rejects.toThrow('before readHostClock');
    return error as ServiceError;
  }

  it('says `date` is missing, and what to install, when the shell finds none', async () => {
    const host = new ShellHost();
    host.withoutUptime();
    host.withoutDate();

    const error = await clockFailure(host.remote());
    expect(error.code).toBe('ovs-failed');
    expect(error.message).toMatch(/^Could not read the clock of h1: it has no \S+uptime, and `date \+%s` gave nothing there \(.*date: not found\)\. /);
    expect(error.message).toContain('install `date` on the host (Debian: coreutils), then try again.');
    expect(host.ran()).toBeUndefined();
  });

  it('says the `date` does not know %s when it prints the format back', async () => {
    const host = new ShellHost();
    host.withoutUptime();
    host.dateSays('%s\n');

    const error = await clockFailure(host.remote());
    expect(error.message).toContain('`date +%s` printed "%s" there, not the seconds since 1970, so that `date` does not know %s.');
    expect(error.message).toContain('install a `date` that knows %s (GNU coreutils or BusyBox), then try again.');
  });

  it('says what to check when the switch has no such bridge', async () => {
    const noBridge: SshSession = { run: () => Promise.resolve({ code: 1, stdout: '', stderr: 'ovs-ofctl: br0 is not a bridge or a socket\n' }), close: () => undefined };

    await expect(new OvsRemote(noBridge, 'br0', 'h1', 60_000).checkBridge()).rejects.toThrow(
      "Could not reach the bridge on h1 (bridge br0): ovs-ofctl: br0 is not a bridge or a socket. The host's Open vSwitch has no bridge br0, or ovs-vswitchd is not running there: " +
        'check `ovs-vsctl list-br` on the host, and the bridge under Edit target.',
    );
  });

  it("says the SSH user's login shell is not a POSIX shell, as csh answers", async () => {
    const csh: SshSession = { run: () => Promise.resolve({ code: 1, stdout: '', stderr: 'Illegal variable name.\n' }), close: () => undefined };

    const error = await clockFailure(new OvsRemote(csh, 'br0', 'h1', 60_000));
    expect(error.message).toBe(
      "Could not read the clock of h1: the SSH user's login shell there did not run a POSIX shell command (Illegal variable name). " +
        'The flow table is sent with a deadline by the host\'s clock (see "A bundle without answer" in docs/pipeline.md), in a POSIX shell: ' +
        "make that user's login shell sh, bash or dash (`chsh -s /bin/sh USER`), then try again.",
    );
  });
});

describe('hostDeadline', () => {
  it('reckons the deadline and the earliest honest reading from the clock answer and the moment the command is sent', () => {
    // Answered at 0 ms with second 1000; sent 2.5 s later, with 60 s to wait and 5 s of margin.
    expect(hostDeadline({ seconds: 1000, readAt: 0 }, 2_500, 60_000)).toEqual({ second: 1057, earliest: 1001 });
  });

  it('never refuses an honest clock, ends the command before the app stops waiting on one, and gives it at most 56 s on any clock', () => {
    const ms = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(ms(10_000_000), ms(2_000), ms(5_000), ms(70_000), fc.integer({ min: -100_000, max: 100_000 }), (readAtMs, answerMs, sentAfterMs, startAfterMs, setByMs) => {
        // A fake host clock in ms: read at readAtMs, its answer in answerMs, the command sent sentAfterMs later and started startAfterMs after that.
        const readAt = readAtMs + answerMs;
        const sent = readAt + sentAfterMs;
        const started = sent + startAfterMs;
        const { second, earliest } = hostDeadline({ seconds: Math.floor(readAtMs / 1000), readAt }, sent, 60_000);

        const honest = Math.floor(started / 1000);
        expect(honest).toBeGreaterThanOrEqual(earliest);
        // Run from `started` for `second - honest` seconds at most, when it runs at all.
        if (second - honest > 0) expect(started + (second - honest) * 1000).toBeLessThanOrEqual(sent + 56_000);

        const setBack = Math.floor((started + setByMs) / 1000);
        if (setBack >= earliest) expect(second - setBack).toBeLessThanOrEqual(56);
      }),
    );
  });
});
