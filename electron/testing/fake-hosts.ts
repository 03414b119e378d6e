import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenSession } from '../services/deploy-service';
import { HostTargetStore } from '../services/host-targets';
import type { CommandResult } from '../services/ssh-session';

/** What a switch answers a command with, per host. */
export type Answer = (host: string, command: string) => CommandResult;

const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });

/**
 * Hosts h00, h01, … behind one OpenSession that counts the sessions open at once, for tests of how
 * many hosts a service talks to together. Sessions open and commands answer a timer tick later;
 * with `hold`, each session's first command waits until the test releases its host.
 */
export class FakeHosts {
  readonly hosts: string[];
  open = 0;
  mostOpen = 0;
  /** Hosts a session was asked for, in order, before it opened. */
  readonly asked: string[] = [];
  private readonly held = new Map<string, (result?: CommandResult) => void>();

  constructor(
    count: number,
    private readonly answer: Answer = () => ok(),
    private readonly hold = false,
  ) {
    this.hosts = Array.from({ length: count }, (_, i) => `h${String(i).padStart(2, '0')}`);
  }

  readonly openSession: OpenSession = async (target) => {
    this.asked.push(target.host);
    await tick();
    this.open++;
    this.mostOpen = Math.max(this.mostOpen, this.open);
    let first = this.hold;
    let closed = false;
    return {
      run: async (command) => {
        const held = first ? await new Promise<CommandResult | undefined>((resolve) => this.held.set(target.host, resolve)) : undefined;
        first = false;
        await tick();
        return held ?? this.answer(target.host, command);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.open--;
      },
    };
  };

  /** Hosts whose first command waits to be released. */
  get waiting(): string[] {
    return [...this.held.keys()];
  }

  /** Answers the host's held command: with `result`, or as the switch would. */
  release(host: string, result?: CommandResult): void {
    const resolve = this.held.get(host)!;
    this.held.delete(host);
    resolve(result);
  }

  /** SSH targets for `hosts` (all, by default) in a new config folder. */
  async targets(hosts = this.hosts): Promise<{ targets: HostTargetStore; configDir: string }> {
    const configDir = join(mkdtempSync(join(tmpdir(), 'microseg-fake-hosts-')), 'config');
    const targets = new HostTargetStore(configDir);
    for (const host of hosts) await targets.save({ host, address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    return { targets, configDir };
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}
