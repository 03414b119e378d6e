import type { ApiEvents, DeployHostResult } from '@shared/api/contract';
import type { Inventory } from '@shared/inventory/model';
import { emptyPolicy } from '@shared/policy/model';
import { describe, expect, it, vi } from 'vitest';
import { FakeHosts, type Answer, type Hold } from '../testing/fake-hosts';
import { AnalysisService } from './analysis-service';
import { CompileService } from './compile-service';
import { ContainerPortService } from './container-ports';
import { DeployService, type EmitEvent } from './deploy-service';
import { SSH_LIMITS, SshLimiter } from './host-fanout';
import { createLogger } from './logger';
import { HOST_CLOCK_COMMAND } from './ovs-remote';
import { SwitchTraceService } from './switch-trace';

// Every service that talks to hosts, sharing one limiter as createServices has them, each
// operation at once: the limits hold across them, and a trace does not wait for a deploy.

/** Switches that keep the flows of the last bundle, drop every traced packet, and have no container ports; their hosts' clocks stand still. */
function switches(): Answer {
  const flows = new Map<string, number>();
  return (host, command, stdin = '') => {
    const ok = (stdout = ''): { code: number; stdout: string; stderr: string } => ({ code: 0, stdout, stderr: '' });
    if (command === HOST_CLOCK_COMMAND) return ok('uptime=1000 clock=1700000000 sum=5\n');
    if (command.includes('--bundle')) flows.set(host, stdin.split('\n').filter((l) => l.startsWith('add ')).length);
    if (command.includes('dump-flows')) return ok(' cookie=0x4d53000000000000, priority=0 actions=drop\n'.repeat(flows.get(host) ?? 0));
    if (command.startsWith('ovs-appctl ofproto/trace')) return ok('Flow: ...\nDatapath actions: drop\n');
    if (command.includes('list Interface')) return ok(JSON.stringify({ headings: ['name', 'external_ids'], data: [] }));
    return ok();
  };
}

async function everyService(fleet: FakeHosts): Promise<{
  deploy: DeployService;
  analysis: AnalysisService;
  traces: SwitchTraceService;
  ports: ContainerPortService;
  inventory: Inventory;
  finished: Promise<DeployHostResult[]>;
}> {
  const { targets, configDir } = await fleet.targets();
  const log = createLogger({ level: 'error' });
  const sessions = new SshLimiter();
  let ended: (results: DeployHostResult[]) => void = () => undefined;
  const finished = new Promise<DeployHostResult[]>((resolve) => (ended = resolve));
  const emit: EmitEvent = (event, payload) => {
    if (event === 'deploy:finished') ended((payload as ApiEvents['deploy:finished']).results);
  };
  const inventory: Inventory = {
    readAt: 'x',
    workloads: fleet.hosts.map((host, i) => ({ id: `s/w${i}`, name: `w${i}`, host, addresses: [`10.${i >> 8}.${i & 255}.1`], labels: {}, origin: { kind: 'static', source: 's' } })),
  };
  return {
    deploy: new DeployService(targets, configDir, `${configDir}/../data`, log, emit, sessions, fleet.openSession),
    analysis: new AnalysisService(targets, configDir, log, () => undefined, new CompileService(log), sessions, fleet.openSession),
    traces: new SwitchTraceService(targets, configDir, log, sessions, fleet.openSession),
    ports: new ContainerPortService(targets, configDir, log, sessions, fleet.openSession),
    inventory,
    finished,
  };
}

const packet = { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', dstPort: 443 } as const;

describe('one SSH limiter for every service', () => {
  it('holds a deploy, an impact, traces and port reads of the same hosts to the limits per host and in all', async () => {
    const fleet = new FakeHosts(20, switches());
    const { deploy, analysis, traces, ports, inventory, finished } = await everyService(fleet);

    await deploy.start(emptyPolicy('t'), inventory, fleet.hosts);
    const [impact, traced] = await Promise.all([
      analysis.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts }),
      Promise.all([0, 1, 2, 3, 4].map(() => traces.trace('h00', packet, 'new'))),
      Promise.all(fleet.hosts.map((host) => ports.read(host))),
    ]);
    const results = await finished;

    expect(results.map((r) => r.status)).toEqual(fleet.hosts.map(() => 'applied'));
    expect(impact.baseline).toContain('the flows on h00');
    expect(traced.map((t) => t.verdict)).toEqual(['dropped', 'dropped', 'dropped', 'dropped', 'dropped']);
    expect(fleet.mostOpenOnOneHost).toBe(SSH_LIMITS.perServer);
    expect(fleet.mostOpen).toBe(SSH_LIMITS.total);
    expect(fleet.open).toBe(0);
  });

  it('starts a trace during a 200-host deploy and an impact at once, or with the next session to end; a cancel still never touches the queued hosts', async () => {
    // The deploy's hosts wait at their first command, the impact's too: both hold all their sessions.
    let holding = true;
    const hold: Hold = (host, command) => holding && (command.startsWith('ovs-ofctl show') || (command.includes('dump-flows') && host >= 'h200'));
    const fleet = new FakeHosts(300, switches(), hold);
    const { deploy, analysis, traces, inventory, finished } = await everyService(fleet);
    const deployed = fleet.hosts.slice(0, 200);
    const { deployId } = await deploy.start(emptyPolicy('t'), inventory, deployed);
    await vi.waitFor(() => expect(fleet.waiting).toHaveLength(SSH_LIMITS.perOperation));

    // With the deploy alone, the process has room: the trace runs while every deploy session waits.
    expect((await traces.trace('h250', packet, 'new')).verdict).toBe('dropped');
    expect(fleet.waiting).toHaveLength(SSH_LIMITS.perOperation);

    const impact = analysis.impact(emptyPolicy('t'), inventory, { kind: 'deployed', hosts: fleet.hosts.slice(200) });
    await vi.waitFor(() => expect(fleet.waiting).toHaveLength(SSH_LIMITS.total));
    const trace = traces.trace('h250', packet, 'new');
    const askedBefore = fleet.asked.length;
    // One deploy session ends: the trace is the next session opened, before the 192 hosts queued behind.
    fleet.release('h00');
    expect((await trace).verdict).toBe('dropped');
    expect(fleet.asked[askedBefore]).toBe('h250');

    const cancel = deploy.cancel(deployId);
    expect(cancel.notStarted).toHaveLength(200 - 9);
    holding = false;
    for (const host of [...fleet.waiting]) fleet.release(host);
    const results = await finished;
    expect((await impact).baseline).toContain('the flows on h200');
    expect(results.filter((r) => r.status === 'cancelled' && r.durationMs === 0).map((r) => r.host)).toEqual(cancel.notStarted);
    await vi.waitFor(() => expect(fleet.open).toBe(0));
    // Only the hosts that had started were ever asked for a session by the deploy.
    expect(new Set(fleet.asked.filter((h) => deployed.includes(h)))).toEqual(new Set(deployed.slice(0, 9)));
  });
});
