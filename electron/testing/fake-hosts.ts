import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenSession } from '../services/deploy-service';
import { HostTargetStore } from '../services/host-targets';
import type { CommandResult } from '../services/ssh-session';

/** What a switch answers a command (with what was written to its stdin) with, per host. */
export type Answer = (host: string, command: string, stdin?: string) => CommandResult;

/** Whether a session's first command waits until the test releases it. */
export type Hold = (host: string, command: string) => boolean;

const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });

/**
 * Hosts h00, h01, … behind one OpenSession that counts the sessions open at once, in all and per
 * host, for tests of how many sessions services hold together. Each host has an SSH server of its
 * own (127.0.0.1, port 22000 + its number); nothing ever connects to it. Sessions open and
 * commands answer a timer tick later; a session's first command for which `hold` says so waits
 * until the test releases it.
 */
export class FakeHosts {
  readonly hosts: string[];
  open = 0;
  mostOpen = 0;
  /** Sessions open now, and the most open at once, per host. */
  readonly openOn = new Map<string, number>();
  readonly mostOpenOn = new Map<string, number>();
  /** Hosts a session was asked for, in order, before it opened. */
  readonly asked: string[] = [];
  /** The signal each host's last session was opened with, which drops a real connection still opening. */
  readonly signals = new Map<string, AbortSignal | undefined>();
  private readonly held: { host: string; resolve: (result?: CommandResult) => void }[] = [];

  constructor(
    count: number,
    private readonly answer: Answer = () => ok(),
    private readonly hold: Hold = () => false,
  ) {
    this.hosts = Array.from({ length: count }, (_, i) => `h${String(i).padStart(2, '0')}`);
  }

  readonly openSession: OpenSession = async (target, _configDir, signal) => {
    const host = target.host;
    this.asked.push(host);
    this.signals.set(host, signal);
    await tick();
    this.count(host, +1);
    let first = true;
    let closed = false;
    return {
      run: async (command, stdin) => {
        const held = first && this.hold(host, command) ? await new Promise<CommandResult | undefined>((resolve) => this.held.push({ host, resolve })) : undefined;
        first = false;
        await tick();
        return held ?? this.answer(host, command, stdin);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.count(host, -1);
      },
    };
  };

  /** The most sessions open at once to any one host. */
  get mostOpenOnOneHost(): number {
    return Math.max(0, ...this.mostOpenOn.values());
  }

  /** Hosts whose first command waits to be released, in the order they came (a host once per session). */
  get waiting(): string[] {
    return this.held.map((h) => h.host);
  }

  /** Answers the host's held command that came first: with `result`, or as the switch would. */
  release(host: string, result?: CommandResult): void {
    const index = this.held.findIndex((h) => h.host === host);
    const [held] = this.held.splice(index, 1);
    held!.resolve(result);
  }

  /** SSH targets for `hosts` (all, by default) in a new config folder. */
  async targets(hosts = this.hosts): Promise<{ targets: HostTargetStore; configDir: string }> {
    const configDir = join(mkdtempSync(join(tmpdir(), 'microseg-fake-hosts-')), 'config');
    const targets = new HostTargetStore(configDir);
    for (const host of hosts) await targets.save({ host, address: '127.0.0.1', port: 22_000 + this.hosts.indexOf(host), user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    return { targets, configDir };
  }

  private count(host: string, change: number): void {
    this.open += change;
    this.mostOpen = Math.max(this.mostOpen, this.open);
    const now = (this.openOn.get(host) ?? 0) + change;
    this.openOn.set(host, now);
    this.mostOpenOn.set(host, Math.max(this.mostOpenOn.get(host) ?? 0, now));
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}
