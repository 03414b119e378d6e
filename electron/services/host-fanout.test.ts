import type { HostTarget, SshWait } from '@shared/api/contract';
import { describe, expect, it } from 'vitest';
import { CancelledError } from './deploy-queue';
import { SshLimiter, type SshOperation } from './host-fanout';

/** A host whose SSH server listens on `port` of loopback; hosts given one port share a server. */
const target = (host: string, port: number): HostTarget => ({ host, address: '127.0.0.1', port, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });

/** Work on hosts that counts what runs at once, in all and per server, and ends only when the test ends it. */
class Counter {
  running = 0;
  most = 0;
  readonly started: string[] = [];
  readonly runningOn = new Map<number, number>();
  readonly mostOn = new Map<number, number>();
  private readonly ends = new Map<string, { ok: (v: string) => void; fail: (e: Error) => void }>();

  /** What each work was told it waits for, in order. */
  readonly waits = new Map<string, SshWait[]>();

  /** Runs `name`'s work on `on` through `operation`, stopped by `stop`; settles as the work's answer or error message. */
  ask(operation: SshOperation, name: string, on: HostTarget, stop?: AbortSignal): Promise<string> {
    const told = (wait: SshWait): void => void this.waits.set(name, [...(this.waits.get(name) ?? []), wait]);
    return operation.run(on, () => this.work(name, on.port), { onWait: told, stop }).catch((e: Error) => (e instanceof CancelledError ? `${name} cancelled` : e.message));
  }

  end(name: string, error?: Error): void {
    const end = this.ends.get(name)!;
    this.ends.delete(name);
    if (error) end.fail(error);
    else end.ok(`read ${name}`);
  }

  /** Ends every work running now. */
  endAll(): void {
    for (const name of [...this.ends.keys()]) this.end(name);
  }

  readonly work = (name: string, server: number): Promise<string> => {
    this.running++;
    this.most = Math.max(this.most, this.running);
    this.runningOn.set(server, (this.runningOn.get(server) ?? 0) + 1);
    this.mostOn.set(server, Math.max(this.mostOn.get(server) ?? 0, this.runningOn.get(server)!));
    this.started.push(name);
    return new Promise<string>((ok, fail) => this.ends.set(name, { ok, fail })).finally(() => {
      this.running--;
      this.runningOn.set(server, this.runningOn.get(server)! - 1);
    });
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('SshLimiter', () => {
  it('counts every spelling of one server as that server, and names the spelling the waiting host was given', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 8, total: 16 });
    const deploy = limiter.operation();
    const at = (host: string, address: string): HostTarget => ({ ...target(host, 22), address });
    const asked = [
      counter.ask(deploy, 'a', at('a', 'localhost')),
      counter.ask(deploy, 'b', at('b', '127.0.0.1')),
      counter.ask(deploy, 'c', at('c', 'LOCALHOST.')),
      counter.ask(deploy, 'd', at('d', '[::1]')),
    ];
    await settle();
    expect(counter.started).toEqual(['a', 'b']);
    expect(counter.waits.get('c')).toEqual([{ bound: 'server', server: 'LOCALHOST.:22', open: 2 }]);
    expect(counter.waits.get('d')).toEqual([{ bound: 'server', server: '[::1]:22', open: 2 }]);
    while (counter.running > 0) {
      counter.endAll();
      await settle();
    }
    await Promise.all(asked);
    expect(counter.mostOn.get(22)).toBe(2);
  });

  it('holds at most perServer sessions to one server across operations, and lets the work for other servers by', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 8, total: 16 });
    const [deploy, impact, trace] = [limiter.operation(), limiter.operation(), limiter.operation()];
    // Two host names behind one server (port 22) count as one.
    const asked = [
      ...names('d', 4).map((n) => counter.ask(deploy, n, target(n, 22))),
      ...names('i', 3).map((n) => counter.ask(impact, n, target(`other-${n}`, 22))),
      counter.ask(trace, 't0', target('t0', 22)),
      ...names('e', 3).map((n, i) => counter.ask(deploy, n, target(n, 2200 + i))),
    ];
    await settle();
    expect(counter.started).toEqual(['d0', 'd1', 'e0', 'e1', 'e2']);

    // Each session that ends lets one more to that server start, for the operation holding the fewest.
    for (const [ending, next] of [['d0', 'i0'], ['d1', 't0'], ['i0', 'i1']]) {
      counter.end(ending!);
      await settle();
      expect(counter.started.at(-1)).toBe(next);
    }
    while (counter.running > 0) {
      counter.endAll();
      await settle();
    }
    await Promise.all(asked);
    expect(counter.mostOn.get(22)).toBe(2);
    expect(counter.started).toHaveLength(11);
  });

  it('holds at most perOperation sessions for one operation and total in all', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 4, total: 6 });
    const operations = [limiter.operation(), limiter.operation(), limiter.operation()];
    const asked = operations.flatMap((operation, o) => names(`o${o}-`, 5).map((n, i) => counter.ask(operation, n, target(n, 3000 + 10 * o + i))));
    await settle();
    expect(counter.started).toEqual(['o0-0', 'o0-1', 'o0-2', 'o0-3', 'o1-0', 'o1-1']);

    // Ends the earliest running one at a time, checking both bounds after each start.
    const ended = new Set<string>();
    while (ended.size < 15) {
      const next = counter.started.find((n) => !ended.has(n))!;
      ended.add(next);
      counter.end(next);
      await settle();
      const running = counter.started.filter((n) => !ended.has(n));
      expect(running.length).toBeLessThanOrEqual(6);
      for (const o of [0, 1, 2]) expect(running.filter((n) => n.startsWith(`o${o}-`)).length).toBeLessThanOrEqual(4);
    }
    await Promise.all(asked);
    expect(counter.most).toBe(6);
  });

  it('gives a freed session to the operation holding the fewest: a trace does not wait behind a big deploy', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 8, total: 16 });
    const deploy = limiter.operation();
    const impact = limiter.operation();
    for (const [i, n] of names('d', 500).entries()) void counter.ask(deploy, n, target(n, 10_000 + i));
    for (const [i, n] of names('i', 100).entries()) void counter.ask(impact, n, target(n, 20_000 + i));
    await settle();
    expect(counter.running).toBe(16);

    const trace = counter.ask(limiter.operation(), 'trace', target('t', 30_000));
    await settle();
    expect(counter.started).not.toContain('trace');
    counter.end('d0');
    await settle();
    expect(counter.started.at(-1)).toBe('trace');
    counter.end('trace');
    expect(await trace).toBe('read trace');

  });

  it('shares between two big operations until they hold as many, the one that asked first taking no more', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 16, total: 16 });
    const [deploy, impact] = [limiter.operation(), limiter.operation()];
    for (const [i, n] of names('d', 100).entries()) void counter.ask(deploy, n, target(n, 10_000 + i));
    for (const [i, n] of names('i', 100).entries()) void counter.ask(impact, n, target(n, 20_000 + i));
    await settle();
    expect(counter.started).toEqual(names('d', 16));

    for (let i = 0; i < 10; i++) {
      counter.end(`d${i}`);
      await settle();
    }
    // Eight each; from there on a deploy session that ends goes back to the deploy.
    expect(counter.started.slice(16)).toEqual([...names('i', 8), 'd16', 'd17']);
  });

  it('tells waiting work which bound holds it, at once and whenever that changes, and nothing to work that starts', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 3, total: 4 });
    const [deploy, trace] = [limiter.operation(), limiter.operation()];
    const asked = [
      // Two hosts behind one server fill its two sessions; a third behind it waits though the deploy has room.
      ...['a0', 'a1', 'a2'].map((n) => counter.ask(deploy, n, target(n, 22))),
      counter.ask(deploy, 'a3', target('a3', 23)),
      counter.ask(deploy, 'a4', target('a4', 24)),
      counter.ask(trace, 'b0', target('b0', 25)),
      counter.ask(trace, 'b1', target('b1', 26)),
    ];
    await settle();
    expect(counter.started).toEqual(['a0', 'a1', 'a3', 'b0']);
    expect(Object.fromEntries(counter.waits)).toEqual({
      a2: [{ bound: 'server', server: '127.0.0.1:22', open: 2 }],
      a4: [{ bound: 'operation', open: 3 }],
      b1: [{ bound: 'total', open: 4 }],
    });

    // a3's slot goes to the trace, which holds fewer; a4 now waits on the process, a2 still on its server.
    counter.end('a3');
    await settle();
    expect(counter.started.at(-1)).toBe('b1');
    expect(counter.waits.get('a4')).toEqual([{ bound: 'operation', open: 3 }, { bound: 'total', open: 4 }]);
    expect(counter.waits.get('a2')).toHaveLength(1);

    while (counter.running > 0) {
      counter.endAll();
      await settle();
    }
    await Promise.all(asked);
    expect([...counter.waits.keys()].sort()).toEqual(['a2', 'a4', 'b1']);
  });

  it('never runs work whose signal aborts while it waits: it rejects with a CancelledError, and the running ones finish', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 3, total: 16 });
    const cancel = new AbortController();
    const operation = limiter.operation(cancel.signal);
    const hosts = names('h', 10);
    const asked = hosts.map((n, i) => counter.ask(operation, n, target(n, 4000 + i)));
    await settle();
    cancel.abort();
    await settle();
    for (const n of ['h0', 'h1', 'h2']) counter.end(n);
    expect(await Promise.all(asked)).toEqual(hosts.map((n, i) => (i < 3 ? `read ${n}` : `${n} cancelled`)));
    expect(counter.started).toEqual(['h0', 'h1', 'h2']);

    // Asked for after the abort: never queued at all.
    expect(await counter.ask(operation, 'late', target('late', 4000))).toBe('late cancelled');
    expect(counter.started).toEqual(['h0', 'h1', 'h2']);
  });

  it('takes work whose own stop aborts while it waits off the queue at once: it never runs, and the others keep their places', async () => {
    const counter = new Counter();
    const limiter = new SshLimiter({ perServer: 2, perOperation: 1, total: 16 });
    // As the switch traces are: one operation for every request, each request stopped apart.
    const traces = limiter.operation();
    const stops = names('t', 3).map(() => new AbortController());
    const asked = names('t', 3).map((n, i) => counter.ask(traces, n, target(n, 4000 + i), stops[i]!.signal));
    await settle();

    stops[1]!.abort();
    // Rejected at once, without waiting for the turn it had in the queue, which comes when t0 ends.
    expect(await Promise.race([asked[1], settle().then(() => 't1 still queued')])).toBe('t1 cancelled');
    counter.end('t0');
    await settle();
    counter.end('t2');

    expect(await Promise.all(asked)).toEqual(['read t0', 't1 cancelled', 'read t2']);
    expect(counter.started).toEqual(['t0', 't2']);

    // Stopped before it was asked for: never queued at all.
    expect(await counter.ask(traces, 'late', target('late', 4000), stops[1]!.signal)).toBe('late cancelled');
    expect(counter.started).toEqual(['t0', 't2']);
  });
});
