import { OUR_COOKIE, OUR_COOKIE_MASK } from '@shared/compiler/pipeline';
import { containerPortsOf, type ContainerPortRead } from '@shared/inventory/container-ports';
import { ServiceError } from './service-error';
import type { CommandResult, SshSession } from './ssh-session';

const OURS = `cookie=${OUR_COOKIE}/${OUR_COOKIE_MASK}`;

/**
 * How long one command may run on a host before the app stops waiting: a switch that never
 * answers must not hold a deploy, and with it the host, forever.
 */
export const COMMAND_TIMEOUT_MS = 60_000;

/**
 * How much sooner than the app the host gives up a command that changes the switch: room for the
 * whole seconds the host's clock is read in, and for ovs-ofctl's own alarm and exit.
 */
const HOST_MARGIN_MS = 5_000;

/**
 * Linux's seconds since boot. The bundle's deadline is counted on it where the host has it: unlike
 * the wall clock that `date +%s` reads, nobody sets it, so a clock set back between the read and
 * the bundle cannot give the bundle more time (see boundOnHost).
 */
const UPTIME = '/proc/uptime';

/**
 * How the host's clock is read: seconds since boot from `uptimeFile` where there is one, else
 * `date +%s`, and beside them a sum only a POSIX shell works out, since the bundle goes to the
 * host wrapped in one (see boundOnHost). A host lacking what it needs fails here, before anything
 * is sent, saying what.
 */
export function hostClockCommand(uptimeFile = UPTIME): string {
  return `up=; { read -r up _ < '${uptimeFile}'; } 2>/dev/null; echo "uptime=\${up%%.*} clock=$(date +%s) sum=$((2 + 3))"`;
}

/** The clock read as OvsRemote sends it to a real host. */
export const HOST_CLOCK_COMMAND = hostClockCommand();

/** What the clock is read for, and where that is explained: said with every failure to read it. */
const CLOCK_NEED = 'The flow table is sent with a deadline by the host\'s clock (see "A bundle without answer" in docs/pipeline.md)';

/** The exit status of a bounded command that the host reached after its deadline, and so never ran (see boundOnHost). */
const TOO_LATE = 124;

/** The exit status of a bounded command not run because the host's clock read earlier than it could have (see boundOnHost). */
const CLOCK_SET_BACK = 125;

/** The shell's exit status for ovs-ofctl ended by its own --timeout alarm (128 + SIGALRM). */
const ALARM = 142;

/**
 * A command that changes the switch went without an answer: whether the switch took it is not
 * known. The host was told to give it up before the app stopped waiting, so from `settledBy`
 * (performance.now() milliseconds) on, a read of the switch shows what it runs for good.
 */
export class UnansweredError extends ServiceError {
  constructor(
    message: string,
    readonly settledBy: number,
  ) {
    super('ssh-failed', message);
    this.name = 'UnansweredError';
  }
}

/** `ovs-ofctl` (and `ovs-vsctl`, read only) on a remote host, limited to what a deploy needs. Only our cookie is ever touched. */
export class OvsRemote {
  /** The host's clock (whole seconds, since boot or by `date`) and the moment its answer came (performance.now()), once read. */
  private clock: { seconds: number; since: 'boot' | 'epoch'; readAt: number } | undefined;

  /** `uptimeFile`: where the host keeps its seconds since boot; tests give a file of their own. */
  constructor(
    private readonly session: SshSession,
    private readonly bridge: string,
    private readonly host: string,
    private readonly timeoutMs = COMMAND_TIMEOUT_MS,
    private readonly uptimeFile = UPTIME,
  ) {}

  /** Fails early, with the switch's own words, when the bridge is missing or OVS is not running. */
  async checkBridge(): Promise<void> {
    await this.ofctl(`show -- ${this.bridge}`, 'reach the bridge');
  }

  /**
   * Our flows as `ovs-ofctl dump-flows --no-stats` prints them: the backup a rollback restores.
   * Ports by name (`in_port="veth1"`, as a spoof guard writes them): a port's number changes
   * when it is added again, so a restore by number could guard another workload's port.
   */
  async dumpOurFlows(): Promise<string[]> {
    const out = await this.ofctl(`--no-stats --names dump-flows -- ${this.bridge} ${OURS}`, 'read the current flows');
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('cookie='));
  }

  /** Reads the host's clock, by which applyBundle tells the host when to give up (call it before). */
  async readHostClock(): Promise<void> {
    const result = await this.run(hostClockCommand(this.uptimeFile), "read the host's clock");
    if (result.code === -1) throw new ServiceError('ssh-failed', `Could not read the clock of ${this.host}: the SSH connection closed before the host answered.`);
    const said = firstLine(result.stderr.trim()).replace(/\.$/, '') || `exit ${result.code}, output "${firstLine(result.stdout.trim())}"`;
    const answer = /^uptime=(\d*) clock=([\s\S]*) sum=5$/.exec(result.stdout.trim());
    if (!answer) {
      throw new ServiceError(
        'ovs-failed',
        `Could not read the clock of ${this.host}: the SSH user's login shell there did not run a POSIX shell command (${said}). ${CLOCK_NEED}, in a POSIX shell: ` +
          'make that user\'s login shell sh, bash or dash (`chsh -s /bin/sh USER`), then try again.',
        result.stderr,
      );
    }
    if (answer[1] !== '' && Number.isSafeInteger(Number(answer[1]))) {
      this.clock = { seconds: Number(answer[1]), since: 'boot', readAt: performance.now() };
      return;
    }
    const clock = answer[2]!.trim();
    if (clock === '') {
      throw new ServiceError(
        'ovs-failed',
        `Could not read the clock of ${this.host}: it has no ${this.uptimeFile}, and \`date +%s\` gave nothing there (${said}). ${CLOCK_NEED}: ` +
          'install `date` on the host (Debian: coreutils), then try again.',
        result.stderr,
      );
    }
    if (!/^\d+$/.test(clock) || !Number.isSafeInteger(Number(clock))) {
      throw new ServiceError(
        'ovs-failed',
        `Could not read the clock of ${this.host}: it has no ${this.uptimeFile}, and \`date +%s\` printed "${firstLine(clock)}" there, not the seconds since 1970, so that \`date\` does not know %s. ${CLOCK_NEED}: ` +
          'install a `date` that knows %s (GNU coreutils or BusyBox), then try again.',
        result.stderr,
      );
    }
    this.clock = { seconds: Number(clock), since: 'epoch', readAt: performance.now() };
  }

  /**
   * Applies a bundle file in one OpenFlow transaction: all of it takes effect, or none. The host
   * runs it only until a deadline a few seconds before the app stops waiting (see boundOnHost),
   * so a command the host starts late, or that hangs, can no longer change the switch once the
   * app has given up on it: without an answer this throws an UnansweredError saying from when a
   * read of the switch is final. A host that reached the command after its deadline, or whose
   * clock was set back since it was read, did not run it, and says so as a refused bundle does
   * (code `ovs-failed`).
   */
  async applyBundle(bundle: string): Promise<void> {
    if (!this.clock) throw new Error(`applyBundle on ${this.host} before readHostClock: the host could not be told when to give up.`);
    const sent = performance.now();
    try {
      await this.ovsTool('ovs-ofctl', `--bundle add-flows -- ${this.bridge} -`, 'apply the flow table', bundle, { ...hostDeadline(this.clock, sent, this.timeoutMs), now: this.nowOnHost(this.clock.since) });
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'ssh-failed') throw new UnansweredError(error.message, sent + this.timeoutMs);
      throw error;
    }
  }

  /** The bridge's ports that `ovs-docker` recorded a container for (external_ids:container_id). */
  async containerPorts(): Promise<ContainerPortRead> {
    const ports = await this.vsctl(`list-ports ${this.bridge}`, 'list the bridge\'s ports');
    const interfaces = await this.vsctl('--format=json --columns=name,external_ids list Interface', 'read the interfaces\' container ids');
    try {
      return containerPortsOf(interfaces, new Set(ports.split('\n').map((l) => l.trim()).filter((l) => l !== '')));
    } catch (error) {
      throw new ServiceError('ovs-failed', `Could not read the container ports of ${this.host} (bridge ${this.bridge}): ${(error as Error).message}.`);
    }
  }

  /** The switch's own trace of a packet; `flow` and `ctNext` come from ovsTraceFlow/ovsCtNext. */
  async trace(flow: string, ctNext: string): Promise<string> {
    // Both are built from parsed addresses and numbers only; quoting keeps the shell out anyway.
    const result = await this.run(`ovs-appctl ofproto/trace ${this.bridge} '${flow}' --ct-next '${ctNext}'`, 'trace the packet');
    if (result.code !== 0) {
      throw new ServiceError('ovs-failed', `ofproto/trace failed on ${this.host} (bridge ${this.bridge}): ${firstLine(result.stderr.trim()) || `exit ${result.code}`}.`, result.stderr);
    }
    return result.stdout;
  }

  private async run(command: string, what: string, stdin?: string): Promise<CommandResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.round(this.timeoutMs / 1000);
        reject(new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): no answer within ${seconds} s, so the app stopped waiting.`));
      }, this.timeoutMs);
    });
    // A lost connection says which step on which host it broke, as a failed command does.
    const ran = this.session.run(command, stdin).catch((error: unknown) => {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      throw new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): ${reason}.`);
    });
    try {
      return await Promise.race([ran, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async vsctl(args: string, what: string): Promise<string> {
    return this.ovsTool('ovs-vsctl', args, what);
  }

  private async ofctl(args: string, what: string, stdin?: string): Promise<string> {
    return this.ovsTool('ovs-ofctl', args, what, stdin);
  }

  /** The host's current second, as shell text, on the clock readHostClock read. */
  private nowOnHost(since: 'boot' | 'epoch'): HostSecond {
    return since === 'boot' ? { before: `read -r up _ < '${this.uptimeFile}'; `, seconds: '${up%%.*}' } : { before: '', seconds: '$(date +%s)' };
  }

  /** `deadline`: the host-clock second by which the host gives the command up (see boundOnHost); none for reads, which change nothing late. */
  private async ovsTool(tool: 'ovs-ofctl' | 'ovs-vsctl', args: string, what: string, stdin?: string, deadline?: HostDeadline & { now: HostSecond }): Promise<string> {
    const result = await this.run(deadline === undefined ? `${tool} ${args}` : boundOnHost(tool, args, deadline), what, stdin);
    if (result.code === -1) {
      // No exit status: the connection went away while the command ran, so whether it took effect is not known.
      throw new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): the SSH connection closed before ${tool} finished.`);
    }
    if (deadline !== undefined && result.code === TOO_LATE) {
      throw new ServiceError('ovs-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): the host started ${tool} only after its deadline, so it did not run it.`, result.stderr);
    }
    if (deadline !== undefined && result.code === CLOCK_SET_BACK) {
      throw new ServiceError(
        'ovs-failed',
        `Could not ${what} on ${this.host} (bridge ${this.bridge}): the host's clock was set back after the app read it, so the host could not tell how long ${tool} may run, and did not run it. Try again: the clock is read anew.`,
        result.stderr,
      );
    }
    if (deadline !== undefined && result.code === ALARM) {
      throw new ServiceError('ssh-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): the switch did not answer before ${tool} gave up at its deadline on the host.`, result.stderr);
    }
    if (result.code !== 0) {
      const stderr = result.stderr.trim();
      const hint =
        result.code === 127 ? ` ${tool} is not installed on the host (Debian: apt-get install openvswitch-switch).`
        : /is not a bridge or a socket/.test(stderr) ? ` The host's Open vSwitch has no bridge ${this.bridge}, or ovs-vswitchd is not running there: check \`ovs-vsctl list-br\` on the host, and the bridge under Edit target.`
        : /unknown port for in_port/.test(stderr) ? ` A workload's switchPort names a port bridge ${this.bridge} does not have: check the inventory's switchPort against \`ovs-vsctl list-ports ${this.bridge}\` on the host.`
        : '';
      throw new ServiceError('ovs-failed', `Could not ${what} on ${this.host} (bridge ${this.bridge}): ${firstLine(stderr) || `exit ${result.code}`}.${hint}`, stderr);
    }
    return result.stdout;
  }
}

/**
 * When the host gives a command up, in seconds of the clock readHostClock read: `second`, the
 * deadline; `earliest`, the least that clock can read by the time the command starts unless it
 * was set back.
 */
export interface HostDeadline {
  second: number;
  earliest: number;
}

/**
 * The deadline of a command sent at `sent` (performance.now()) that the app waits `timeoutMs` for,
 * on the host clock read as `clock` (its answer came at `clock.readAt`). Counted from the clock's
 * answer, which came no sooner than the host read it, the deadline errs early, never late. The
 * host started the command after `sent`, so an honest clock has moved on at least the whole
 * seconds that passed here since that answer; one second less, for two clocks that tick at
 * slightly different rates.
 */
export function hostDeadline(clock: { seconds: number; readAt: number }, sent: number, timeoutMs: number): HostDeadline {
  const sinceRead = sent - clock.readAt;
  return { second: clock.seconds + Math.floor((sinceRead + timeoutMs - HOST_MARGIN_MS) / 1000), earliest: clock.seconds + Math.floor(sinceRead / 1000) - 1 };
}

/** Shell text for the host's current second: what to run first, then the expression that gives it. */
interface HostSecond {
  before: string;
  seconds: string;
}

/**
 * `tool args` as a POSIX shell runs it only before host-clock second `deadline.second`: started
 * later (a wrapper or a login that took long), it does not run at all; started in time, the tool's
 * own --timeout ends it at the deadline (within the second the clock is read in). Counted in
 * seconds since boot, a wall clock set back meanwhile changes nothing. Counted by `date`, a clock
 * set back would give the tool that many seconds more: so a clock that reads earlier than
 * `deadline.earliest` does not run the tool at all, and one that does not gives it at most a
 * second more than the app's wait less the margin, counted from its start (see "A bundle without
 * answer" in docs/pipeline.md).
 */
function boundOnHost(tool: string, args: string, deadline: HostDeadline & { now: HostSecond }): string {
  return (
    `${deadline.now.before}now=${deadline.now.seconds}; ` +
    `if [ "$now" -lt ${deadline.earliest} ]; then echo "not run: the host's clock was set back after it was read" >&2; exit ${CLOCK_SET_BACK}; fi; ` +
    `left=$((${deadline.second} - now)); ` +
    `if [ "$left" -le 0 ]; then echo "not run: the host reached it after its deadline" >&2; exit ${TOO_LATE}; fi; ` +
    // `exit $?` keeps the tool a child of the shell, which then reports its alarm as an exit status, not a signal.
    `${tool} --timeout="$left" ${args}; exit $?`
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
