import type { HostTarget, SshWait } from '@shared/api/contract';
import { CancelledError } from './deploy-queue';
import { sshServerIdentity } from './switch-identity';

/** The three bounds on the SSH sessions one process holds at once. */
export interface SshLimits {
  /** To one SSH server (address and port), whatever the work: what sshd itself sees. */
  perServer: number;
  /** For one operation: a deploy, one impact's read of the hosts, the switch traces, the port reads. */
  perOperation: number;
  /** In the whole process. */
  total: number;
}

/**
 * perServer 2: sshd's MaxStartups (10:30:100 by default) starts refusing new connections at 10
 * unauthenticated ones, counting everyone's: the admins' own ssh, configuration management, a
 * second copy of this app. Two leave most of that room to them, and still let a switch trace or
 * an impact read reach a host while a deploy holds its one session there (a deploy changes a
 * switch one session at a time), instead of waiting up to minutes behind a switch that hangs.
 * Keyed by address and port, not host name: names that lead to one sshd share its limit.
 *
 * perOperation 8: at the lab's 0.5 to 0.8 s per host (docs/performance.md), eight at a time push
 * a hundred hosts in about 10 s, and a switch that hangs holds only its own slot until its
 * command times out.
 *
 * total 16: two operations' worth, so one big operation never holds every session; work that
 * comes meanwhile (a trace the user waits for) starts at once. Past that, the operations take
 * turns (see SshLimiter), which bounds the wait of a newcomer to the next session that ends.
 */
export const SSH_LIMITS: SshLimits = { perServer: 2, perOperation: 8, total: 16 };

/** One operation's way to the process's SSH sessions; its sessions start in the order asked for. */
export interface SshOperation {
  /**
   * Runs `work`, which opens one session to `target` and closes it before it settles, when a
   * slot is free for it. When the operation's signal, or this work's own `stop`, aborts first,
   * `work` leaves the queue at once and never runs, and this rejects with a CancelledError, so
   * the host is never contacted. While `work` waits, `onWait` hears which bound holds it, at
   * once and again each time that changes.
   */
  run<T>(target: HostTarget, work: () => Promise<T>, options?: { onWait?: (wait: SshWait) => void; stop?: AbortSignal }): Promise<T>;
}

/** An SSH server: `key` counts its sessions, `shown` names it to the user. */
interface Server {
  key: string;
  shown: string;
}

interface Waiter {
  server: Server;
  start: () => void;
  cancel: () => void;
  onWait: ((wait: SshWait) => void) | undefined;
  /** What `onWait` was last told, to tell it only what changed. */
  told?: SshWait;
}

interface Operation {
  readonly signal: AbortSignal | undefined;
  readonly waiting: Waiter[];
  running: number;
  /** When it last started a session (0: never): among operations holding as many, the least recent goes first. */
  servedAt: number;
}

/**
 * The process's one queue for SSH sessions, shared by every service that talks to hosts.
 *
 * Fairness is by operation and kept simple: a free slot goes to the waiting operation that holds
 * the fewest sessions (among equals, the one that started one least recently). A trace the user
 * waits for holds none, so it starts with the next session to end, not after the 500 hosts a
 * deploy has queued; two big operations end up with equal shares. No work is marked
 * interactive: which work a person waits for is a guess each caller would make, while counting
 * sessions needs no guess and treats every door the same. Within an operation, sessions start
 * in the order asked, except that one whose server is at its limit lets the next ones by.
 */
export class SshLimiter {
  private running = 0;
  private clock = 0;
  private readonly perServer = new Map<string, number>();
  /** Operations with work waiting. */
  private readonly waiting = new Set<Operation>();

  constructor(readonly limits: SshLimits = SSH_LIMITS) {}

  /**
   * A new operation: the unit that takes turns with the others. When `signal` aborts, the work
   * it has waiting leaves the queue (the work running ends on its own).
   */
  operation(signal?: AbortSignal): SshOperation {
    const operation: Operation = { signal, waiting: [], running: 0, servedAt: 0 };
    // One listener per operation, not per host: a deploy may queue hundreds.
    signal?.addEventListener('abort', () => this.leave(operation, operation.waiting), { once: true });
    return { run: (target, work, options) => this.run(operation, serverOf(target), work, options?.onWait, options?.stop) };
  }

  private async run<T>(operation: Operation, server: Server, work: () => Promise<T>, onWait?: (wait: SshWait) => void, stop?: AbortSignal): Promise<T> {
    await this.turn(operation, server, onWait, stop);
    try {
      return await work();
    } finally {
      this.running--;
      operation.running--;
      const left = this.perServer.get(server.key)! - 1;
      if (left === 0) this.perServer.delete(server.key);
      else this.perServer.set(server.key, left);
      this.startWhatCan();
      this.tellWaits();
    }
  }

  /** `stop`: the waiter's own, for work that shares its operation with work stopped apart (switch traces, port reads). */
  private turn(operation: Operation, server: Server, onWait: ((wait: SshWait) => void) | undefined, stop: AbortSignal | undefined): Promise<void> {
    if (operation.signal?.aborted || stop?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const leave = (): void => this.leave(operation, [waiter]);
      // Started or gone, the waiter no longer listens: a request's signal may outlive it.
      const settled = (settle: () => void) => (): void => {
        stop?.removeEventListener('abort', leave);
        settle();
      };
      const waiter: Waiter = { server, start: settled(resolve), cancel: settled(() => reject(new CancelledError())), onWait };
      stop?.addEventListener('abort', leave, { once: true });
      operation.waiting.push(waiter);
      this.waiting.add(operation);
      // Only a start changes what holds the others; a newcomer that waits has only itself to tell.
      if (this.startWhatCan()) this.tellWaits();
      else this.tellWait(operation, waiter);
    });
  }

  /** Takes `leaving` off the queue: their work never runs, and each of their runs rejects with a CancelledError. */
  private leave(operation: Operation, leaving: readonly Waiter[]): void {
    const gone = new Set(leaving);
    operation.waiting.splice(0, operation.waiting.length, ...operation.waiting.filter((w) => !gone.has(w)));
    if (operation.waiting.length === 0) this.waiting.delete(operation);
    for (const waiter of gone) waiter.cancel();
  }

  /**
   * Starts waiters while a slot is free: each time for the operation that can use one and holds
   * the fewest. True when it started any.
   */
  private startWhatCan(): boolean {
    let started = false;
    while (this.running < this.limits.total) {
      let next: { operation: Operation; index: number } | undefined;
      for (const operation of this.waiting) {
        if (operation.running >= this.limits.perOperation || (next && !before(operation, next.operation))) continue;
        const index = operation.waiting.findIndex((w) => (this.perServer.get(w.server.key) ?? 0) < this.limits.perServer);
        if (index >= 0) next = { operation, index };
      }
      if (!next) return started;

      const { operation, index } = next;
      const [waiter] = operation.waiting.splice(index, 1);
      if (operation.waiting.length === 0) this.waiting.delete(operation);
      operation.servedAt = ++this.clock;
      operation.running++;
      this.running++;
      this.perServer.set(waiter!.server.key, (this.perServer.get(waiter!.server.key) ?? 0) + 1);
      waiter!.start();
      started = true;
    }
    return started;
  }

  /** Tells every waiter that listens what holds it now, when that changed. */
  private tellWaits(): void {
    for (const operation of this.waiting) {
      for (const waiter of operation.waiting) this.tellWait(operation, waiter);
    }
  }

  private tellWait(operation: Operation, waiter: Waiter): void {
    if (!waiter.onWait) return;
    const wait = this.waitOf(operation, waiter.server);
    // A waiter's server never changes, so the bound and its count say whether anything did.
    if (waiter.told?.bound === wait.bound && waiter.told.open === wait.open) return;
    waiter.told = wait;
    waiter.onWait(wait);
  }

  /**
   * The bound that holds a waiter once no more can start: at least one is full then. The most
   * particular one is named, since it holds the waiter even when the wider ones free up.
   */
  private waitOf(operation: Operation, server: Server): SshWait {
    const toServer = this.perServer.get(server.key) ?? 0;
    if (toServer >= this.limits.perServer) return { bound: 'server', server: server.shown, open: toServer };
    if (operation.running >= this.limits.perOperation) return { bound: 'operation', open: operation.running };
    return { bound: 'total', open: this.running };
  }
}

/** Whether `a` is served before `b`: it holds fewer sessions, or as many and started one less recently. */
function before(a: Operation, b: Operation): boolean {
  return a.running !== b.running ? a.running < b.running : a.servedAt < b.servedAt;
}

/**
 * What sshd sees: one server per machine and port, however many host names and spellings of its
 * address lead there (`localhost` and `127.0.0.1` are one; see sshServerIdentity). `shown` is the
 * target's own spelling, for the waits the user reads.
 */
function serverOf(target: HostTarget): Server {
  return { key: sshServerIdentity(target), shown: `${target.address}:${target.port}` };
}
