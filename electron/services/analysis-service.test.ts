import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '@shared/inventory/model';
import { emptyPolicy } from '@shared/policy/model';
import { describe, expect, it, vi } from 'vitest';
import { AnalysisService } from './analysis-service';
import { CompileService } from './compile-service';
import type { OpenSession } from './deploy-service';
import { SSH_CONCURRENCY } from './host-fanout';
import { HostTargetStore } from './host-targets';
import { createLogger } from './logger';

/**
 * Hosts h00, h01, … whose switches hold none of our flows, behind one OpenSession that counts the
 * sessions open at once. A held host answers its dump only when released (with a failure or not).
 */
class Fleet {
  readonly hosts: string[];
  open = 0;
  mostOpen = 0;
  /** Hosts a session was asked for, and those whose session opened. */
  asked: string[] = [];
  opened: string[] = [];
  private readonly held = new Map<string, (fail?: string) => void>();

  constructor(
    count: number,
    private readonly hold = false,
  ) {
    this.hosts = Array.from({ length: count }, (_, i) => `h${String(i).padStart(2, '0')}`);
  }

  readonly openSession: OpenSession = async (target) => {
    this.asked.push(target.host);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.open++;
    this.mostOpen = Math.max(this.mostOpen, this.open);
    this.opened.push(target.host);
    let closed = false;
    return {
      run: async () => {
        const fail = this.hold ? await new Promise<string | undefined>((resolve) => this.held.set(target.host, resolve)) : undefined;
        await new Promise((resolve) => setTimeout(resolve, 1));
        return fail === undefined ? { code: 0, stdout: '', stderr: '' } : { code: 1, stdout: '', stderr: fail };
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.open--;
      },
    };
  };

  /** Hosts whose dump waits to be released. */
  get waiting(): string[] {
    return [...this.held.keys()];
  }

  release(host: string, fail?: string): void {
    this.held.get(host)!(fail);
  }

  async service(withTargets = this.hosts): Promise<{ service: AnalysisService; inventory: Inventory }> {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-analysis-fleet-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    for (const host of withTargets) await targets.save({ host, address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    const log = createLogger({ level: 'error' });
    const service = new AnalysisService(targets, join(dir, 'config'), log, () => undefined, new CompileService(log), this.openSession);
    const inventory: Inventory = {
      readAt: 'x',
      workloads: this.hosts.map((host, i) => ({ id: `s/w${i}`, name: `w${i}`, host, addresses: [`10.0.${i}.1`], labels: {}, origin: { kind: 'static', source: 's' } })),
    };
    return { service, inventory };
  }
}

describe('AnalysisService.impact against the deployed flows', () => {
  it(`reads the hosts' switches at most ${SSH_CONCURRENCY} at a time, and closes every session`, async () => {
    const fleet = new Fleet(20);
    const { service, inventory } = await fleet.service();

    const outcome = await service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts });

    expect(outcome.baseline).toBe(`the flows on ${fleet.hosts.join(', ')} now`);
    expect(fleet.mostOpen).toBe(SSH_CONCURRENCY);
    expect([...fleet.opened].sort()).toEqual(fleet.hosts);
    expect(fleet.open).toBe(0);
  });

  it("fails with the first host's failure, opens no further session, and closes the ones open", async () => {
    const fleet = new Fleet(20, true);
    const { service, inventory } = await fleet.service();
    const impact = service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts });
    const failure = impact.then(() => 'resolved', (e: Error) => e.message);
    await vi.waitFor(() => expect(fleet.waiting).toHaveLength(SSH_CONCURRENCY));

    fleet.release('h03', 'ovs-ofctl: br0 is not a bridge or a socket');
    expect(await failure).toBe('Could not read the current flows on h03 (bridge br0): ovs-ofctl: br0 is not a bridge or a socket.');
    for (const host of fleet.waiting.filter((h) => h !== 'h03')) fleet.release(host);
    await vi.waitFor(() => expect(fleet.open).toBe(0));
    expect(fleet.asked).toEqual(fleet.hosts.slice(0, SSH_CONCURRENCY));
  });

  it('fails for a host without an SSH target before any session opens', async () => {
    const fleet = new Fleet(12);
    const { service, inventory } = await fleet.service(fleet.hosts.filter((h) => h !== 'h10'));

    await expect(service.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts })).rejects.toThrow('Host "h10" has no SSH target');
    expect(fleet.asked).toEqual([]);
  });
});
