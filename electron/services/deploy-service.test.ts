import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents, DeployHostResult, HostTarget } from '@shared/api/contract';
import { compilePolicy } from '@shared/compiler/compile';
import { formatFlow } from '@shared/compiler/flow';
import type { PortGuardLoss } from '@shared/compiler/port-guard-loss';
import type { Inventory } from '@shared/inventory/model';
import { emptyPolicy } from '@shared/policy/model';
import { describe, expect, it, vi } from 'vitest';
import { DeployService, type EmitEvent, type OpenSession } from './deploy-service';
import { SSH_LIMITS, SshLimiter } from './host-fanout';
import { HOST_CLOCK_COMMAND } from './ovs-remote';
import { HostTargetStore } from './host-targets';
import { createLogger } from './logger';
import { ServiceError } from './service-error';
import type { SshSession } from './ssh-session';

/** A store whose hosts.json holds `targets` as written by hand, in DIR/config. */
function storeHolding(dir: string, targets: readonly HostTarget[]): HostTargetStore {
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'hosts.json'), JSON.stringify({ hosts: targets }));
  return new HostTargetStore(join(dir, 'config'));
}

describe('DeployService.status', () => {
  it('lists a running deploy host by host, then how it ended, for a window that reloads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    // Nothing listens on port 1 of loopback: the connection is refused at once.
    await targets.save({ host: 'h1', address: '127.0.0.1', port: 1, user: 'root', auth: { kind: 'key', keyPath: join(dir, 'no-key') }, bridge: 'br0' });
    let ended: (payload: ApiEvents['deploy:finished']) => void = () => undefined;
    const finished = new Promise<ApiEvents['deploy:finished']>((resolve) => (ended = resolve));
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), (event, payload) => {
      if (event === 'deploy:finished') ended(payload as ApiEvents['deploy:finished']);
    }, new SshLimiter());
    const inventory: Inventory = { readAt: 'x', workloads: [{ id: 's/w1', name: 'w1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };
    const { deployId } = await service.start(emptyPolicy('t'), inventory, ['h1']);
    const running = (await service.status()).running;
    expect(running.map((d) => d.deployId)).toEqual([deployId]);
    expect(running[0]!.progress.map((p) => p.host)).toEqual(['h1']);

    const { results } = await finished;
    expect(results[0]!.status).toBe('failed');
    // The deploy failed before its backup, so there is nothing to roll back to.
    expect(await service.status()).toEqual({ running: [], outcomes: results, backups: [], backupsElsewhere: [] });

    // Edited to reach another switch, the host has no outcome there; back on the first one, it has.
    const first = (await targets.get('h1'))!;
    await targets.save({ ...first, bridge: 'br1' });
    expect((await service.status()).outcomes).toEqual([]);
    await targets.save({ ...first, address: 'localhost' });
    expect((await service.status()).outcomes).toEqual(results);
  });
});

/**
 * A host's Open vSwitch as far as a deploy asks it: our flows, replaced by each bundle. Answers
 * HOST_CLOCK_COMMAND (its clock, which moves only when a test moves it), `show`, `dump-flows` and
 * `--bundle add-flows` as ovs-ofctl does; keeps each bundle applied.
 */
class FakeSwitch {
  readonly bundles: string[] = [];
  /** Commands (by a word they contain) that never answer, as on a hung switch; `once` ones answer again after one silence. */
  readonly silent: { word: string; once?: boolean }[] = [];
  /** Commands (by a word they contain) the host starts only when runLate says, as behind an sshd wrapper that sleeps; never answered. */
  readonly late: string[] = [];
  /** The host's clock, in seconds: both its seconds since boot and its `date`, which no test sets apart. */
  clock = 1_700_000_000;
  /** What the host answers HOST_CLOCK_COMMAND with instead, as a host without `date +%s` or a POSIX shell does. */
  clockAnswer: { code: number; stdout: string; stderr: string } | undefined;
  private readonly startingLate: { command: string; stdin: string | undefined }[] = [];

  constructor(public flows: string[]) {}

  session(): SshSession {
    return {
      run: (command, stdin) => {
        if (this.late.some((word) => command.includes(word))) {
          this.startingLate.push({ command, stdin });
          return new Promise(() => undefined);
        }
        const hung = this.silent.findIndex((s) => command.includes(s.word));
        if (hung >= 0) {
          if (this.silent[hung]!.once) this.silent.splice(hung, 1);
          // A bundle the switch takes but whose answer never comes back.
          if (command.includes('--bundle')) this.answer(command, stdin);
          return new Promise(() => undefined);
        }
        return Promise.resolve(this.answer(command, stdin));
      },
      close: () => undefined,
    };
  }

  /**
   * Starts the commands held back by `late`, `after` seconds by the host's clock: as the host's
   * shell does, one bounded by a deadline (see OvsRemote.applyBundle) that has passed does not run.
   */
  runLate(after: number): void {
    this.clock += after;
    for (const { command, stdin } of this.startingLate.splice(0)) {
      const deadline = /left=\$\(\((\d+) - /.exec(command)?.[1];
      if (deadline === undefined || this.clock < Number(deadline)) this.answer(command, stdin);
    }
  }

  private answer(command: string, stdin = ''): { code: number; stdout: string; stderr: string } {
    if (command === HOST_CLOCK_COMMAND) return this.clockAnswer ?? { code: 0, stdout: `uptime=${this.clock} clock=${this.clock} sum=5\n`, stderr: '' };
    if (command.startsWith('ovs-ofctl show')) return { code: 0, stdout: 'OFPT_FEATURES_REPLY\n', stderr: '' };
    if (command.includes('dump-flows')) return { code: 0, stdout: this.flows.map((f) => ` ${f}\n`).join(''), stderr: '' };
    if (command.includes('--bundle add-flows')) {
      this.bundles.push(stdin);
      this.flows = stdin.split('\n').filter((l) => l.startsWith('add ')).map((l) => l.slice('add '.length));
      return { code: 0, stdout: '', stderr: '' };
    }
    return { code: 127, stdout: '', stderr: `unexpected command ${command}` };
  }
}

/** A store that counts its reads of hosts.json, each read through `list` as every other read is. */
class CountingStore extends HostTargetStore {
  reads = 0;

  override async list(): Promise<HostTarget[]> {
    this.reads++;
    return super.list();
  }
}

describe('DeployService reading the SSH targets', () => {
  it('reads hosts.json once per deploy, and once per rollback, whatever the number of hosts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-reads-'));
    const hosts = ['h1', 'h2', 'h3'];
    storeHolding(dir, hosts.map((host, i) => ({ host, address: '127.0.0.1', port: 22_001 + i, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' })));
    const targets = new CountingStore(join(dir, 'config'));
    let ended: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    const emit: EmitEvent = (event) => {
      if (event === 'deploy:finished') ended();
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), () => Promise.resolve(new FakeSwitch([]).session()));
    const inventory: Inventory = {
      readAt: 'x',
      workloads: hosts.map((host, i) => ({ id: `s/${host}`, name: host, host, addresses: [`10.0.0.${i + 1}`], labels: {}, origin: { kind: 'static', source: 's' } })),
    };

    await service.start(emptyPolicy('t'), inventory, hosts);
    await finished;
    expect(targets.reads).toBe(1);

    await service.rollback('h2');
    expect(targets.reads).toBe(2);
  });
});

describe('DeployService and the spoof guard', () => {
  const web1 = (switchPort?: string): Inventory => ({
    readAt: 'x',
    workloads: [{ id: 'docker:c/web1', name: 'web1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, ...(switchPort ? { switchPort } : {}), origin: { kind: 'docker', source: 'c' } }],
  });
  const guardedFlows = compilePolicy(emptyPolicy('t'), web1('veth-web1')).hosts[0]!.flows.map((f) => formatFlow(f).replace('in_port=veth-web1', 'in_port="veth-web1"'));

  async function deploy(sw: FakeSwitch, inventory: Inventory, removePortGuards?: PortGuardLoss[]): Promise<{ result: DeployHostResult; dataDir: string; steps: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-guard-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    await targets.save({ host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    const steps: string[] = [];
    let ended: (payload: ApiEvents['deploy:finished']) => void = () => undefined;
    const finished = new Promise<ApiEvents['deploy:finished']>((resolve) => (ended = resolve));
    const emit: EmitEvent = (event, payload) => {
      if (event === 'deploy:progress') steps.push((payload as ApiEvents['deploy:progress']).message);
      if (event === 'deploy:finished') ended(payload as ApiEvents['deploy:finished']);
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), () => Promise.resolve(sw.session()));
    await service.start(emptyPolicy('t'), inventory, ['h1'], removePortGuards);
    const { results } = await finished;
    return { result: results[0]!, dataDir: join(dir, 'data'), steps };
  }

  it('refuses to replace a guarded table with one that leaves the port unguarded, and changes nothing', async () => {
    const sw = new FakeSwitch(guardedFlows);
    const { result, dataDir } = await deploy(sw, web1());
    expect(result.status).toBe('failed');
    expect(result.message).toContain('switch port veth-web1 against spoofed sources');
    expect(result.message).toContain('The host keeps its previous flows.');
    expect(sw.bundles).toEqual([]);
    expect(sw.flows).toEqual(guardedFlows);
    expect(existsSync(join(dataDir, 'backups'))).toBe(false);
  });

  it('removes the guard when the deploy names that port of that host as agreed, and says so', async () => {
    const elsewhere = await deploy(new FakeSwitch(guardedFlows), web1(), [{ host: 'h2', ports: ['veth-web1'] }]);
    expect(elsewhere.result.status).toBe('failed');

    const sw = new FakeSwitch(guardedFlows);
    const { result, steps } = await deploy(sw, web1(), [{ host: 'h1', ports: ['veth-web1'] }]);
    expect(result.status).toBe('applied');
    expect(result.message).toContain('veth-web1 is no longer guarded against spoofed sources');
    expect(steps.some((m) => m.includes('removing the spoof guard of veth-web1 as confirmed'))).toBe(true);
    expect(sw.flows.some((f) => f.includes('in_port'))).toBe(false);
  });

  it('deploys as before where the new table keeps every guard, or the switch had none', async () => {
    const kept = await deploy(new FakeSwitch(guardedFlows), web1('veth-web1'));
    expect(kept.result.status).toBe('applied');
    expect(kept.result.message).not.toContain('guard');

    const fresh = await deploy(new FakeSwitch([]), web1());
    expect(fresh.result.status).toBe('applied');
  });

  it('says which guards a rollback to a backup from before them would take away, and takes them only when agreed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-rollback-guard-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    await targets.save({ host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    const sw = new FakeSwitch([]);
    let ended: () => void = () => undefined;
    const rolledBack: DeployHostResult[] = [];
    const emit: EmitEvent = (event, payload) => {
      if (event === 'deploy:finished') ended();
      if (event === 'deploy:rolledBack') rolledBack.push((payload as ApiEvents['deploy:rolledBack']).result);
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), () => Promise.resolve(sw.session()));
    const deploy = async (inventory: Inventory): Promise<void> => {
      const finished = new Promise<void>((resolve) => (ended = resolve));
      await service.start(emptyPolicy('t'), inventory, ['h1']);
      await finished;
    };
    await deploy(web1());
    const unguarded = sw.flows;
    // The backup this deploy leaves is the unguarded table: a rollback takes the guard away.
    await deploy(web1('veth-web1'));
    expect(sw.flows.some((f) => f.includes('in_port'))).toBe(true);
    const bundles = sw.bundles.length;

    expect(await service.rollbackPreview('h1')).toEqual({ host: 'h1', flowCount: unguarded.length, portGuardsLost: ['veth-web1'] });
    await expect(service.rollback('h1')).rejects.toThrow(/switch port veth-web1 against spoofed sources and the backup from before the last deploy does not.*Not rolled back/);
    await expect(service.rollback('h1', ['veth-other'])).rejects.toThrow(/Not rolled back/);
    expect(sw.bundles.length).toBe(bundles);

    const result = await service.rollback('h1', ['veth-web1']);
    expect(result.status).toBe('rolled-back');
    expect(result.message).toContain('veth-web1 is no longer guarded against spoofed sources');
    // Every window hears of it, not only the one that asked.
    expect(rolledBack).toEqual([result]);
    expect(sw.flows).toEqual(unguarded);

    // Rolled back to what the backup holds, a rollback loses no guard: nothing to ask.
    expect((await service.rollbackPreview('h1')).portGuardsLost).toEqual([]);
    expect((await service.rollback('h1')).message).not.toContain('guard');
  });
});

describe('DeployService rolling back to the switch the backup was read from', () => {
  const inventory: Inventory = { readAt: 'x', workloads: [{ id: 's/w1', name: 'w1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };
  const target = { host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' as const }, bridge: 'br0' };

  /** A service that has deployed once to `sw`; `deploy` deploys the same table again. */
  async function deployed(sw: FakeSwitch): Promise<{ service: DeployService; targets: HostTargetStore; dataDir: string; deploy: () => Promise<DeployHostResult> }> {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-rollback-switch-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    await targets.save(target);
    let ended: (result: DeployHostResult) => void = () => undefined;
    const emit: EmitEvent = (event, payload) => {
      if (event === 'deploy:finished') ended((payload as ApiEvents['deploy:finished']).results[0]!);
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), () => Promise.resolve(sw.session()));
    const deploy = async (): Promise<DeployHostResult> => {
      const finished = new Promise<DeployHostResult>((resolve) => (ended = resolve));
      await service.start(emptyPolicy('t'), inventory, ['h1']);
      return await finished;
    };
    await deploy();
    return { service, targets, dataDir: join(dir, 'data'), deploy };
  }

  it('refuses to put the backup on another switch once the host\'s target points elsewhere, and sends nothing', async () => {
    const before = ['cookie=0x4d53000000000000, table=0, priority=5 actions=drop'];
    const sw = new FakeSwitch(before);
    const { service, targets } = await deployed(sw);
    await targets.save({ ...target, bridge: 'br1' });
    const bundles = sw.bundles.length;

    const elsewhere = /backup of host "h1" holds the flows of the switch at root@127\.0\.0\.1:22, bridge br0, but its target is now root@127\.0\.0\.1:22, bridge br1/;
    await expect(service.rollbackPreview('h1')).rejects.toThrow(elsewhere);
    await expect(service.rollback('h1')).rejects.toThrow(elsewhere);
    expect(sw.bundles.length).toBe(bundles);

    await targets.save(target);
    expect((await service.rollback('h1')).status).toBe('rolled-back');
    expect(sw.flows).toEqual(before);
  });

  // QA's defect: a backup that could not be read was no backup at all: Rollback was off, or said nothing was ever deployed.
  it('offers the rollback of a backup that cannot be read, and says why it cannot be read and what to do, sending nothing', async () => {
    const sw = new FakeSwitch([]);
    const { service, dataDir } = await deployed(sw);
    const backup = join(dataDir, 'backups', 'h1.flows');
    rmSync(backup);
    mkdirSync(backup);
    const bundles = sw.bundles.length;

    expect((await service.status()).backups).toEqual(['h1']);
    const said = `The backup of host "h1" in ${backup} cannot be read: it is a folder, not a file; move it away and deploy again to take a new one.`;
    await expect(service.rollbackPreview('h1')).rejects.toThrow(said);
    await expect(service.rollback('h1')).rejects.toThrow(said);
    expect(sw.bundles.length).toBe(bundles);
  });

  // QA's defect: it said "… is a folder, not a file; choose a file path", and that Rollback puts back the flows from before the deploy, though none were kept.
  it('says why a backup cannot be saved and what to do, and never offers Rollback as the way back without one', async () => {
    const sw = new FakeSwitch([]);
    const { dataDir, deploy } = await deployed(sw);
    const backup = join(dataDir, 'backups', 'h1.flows');
    rmSync(backup);
    mkdirSync(backup);

    const result = await deploy();
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.backedUp).toBeUndefined();
    expect(result.message).toBe(
      `The new table was applied, but the deploy could not finish: The backup of host "h1" cannot be saved in ${backup}: it is a folder, not a file; move it away and deploy again to take a new one. ` +
        'Check the switch. No backup of the flows from before this deploy could be kept, so Rollback cannot put them back.',
    );
  });

  it("says which backups were read from another switch than the host's target reaches now, so Rollback can say why it is off", async () => {
    const { service, targets } = await deployed(new FakeSwitch([]));
    expect((await service.status()).backupsElsewhere).toEqual([]);

    await targets.save({ ...target, bridge: 'br1' });
    expect((await service.status()).backupsElsewhere).toEqual([{ host: 'h1', readFrom: 'root@127.0.0.1:22, bridge br0', now: 'root@127.0.0.1:22, bridge br1' }]);

    // Another spelling of the same switch is that switch.
    await targets.save({ ...target, address: 'localhost' });
    expect((await service.status()).backupsElsewhere).toEqual([]);
  });

  it('keeps the backup when the same table is deployed again, so rollback still leads back to the flows from before it', async () => {
    const before = ['cookie=0x4d53000000000000, table=0, priority=5 actions=drop'];
    const sw = new FakeSwitch(before);
    const { service, deploy } = await deployed(sw);
    const table = sw.flows;

    await deploy();
    expect(sw.flows).toEqual(table);

    expect((await service.rollback('h1')).status).toBe('rolled-back');
    expect(sw.flows).toEqual(before);
  });

  it('refuses, before connecting anywhere, a deploy to two hosts whose targets reach one switch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-shared-'));
    const targets = storeHolding(dir, [target, { ...target, host: 'h2' }]);
    const opened: string[] = [];
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), () => undefined, new SshLimiter(), (t) => {
      opened.push(t.host);
      return Promise.resolve(new FakeSwitch([]).session());
    });
    const two: Inventory = { readAt: 'x', workloads: [...inventory.workloads, { id: 's/w2', name: 'w2', host: 'h2', addresses: ['10.0.0.2'], labels: {}, origin: { kind: 'static', source: 's' } }] };

    await expect(service.start(emptyPolicy('t'), two, ['h1', 'h2'])).rejects.toThrow('Hosts "h1" and "h2" both reach the switch at root@127.0.0.1:22, bridge br0');
    expect(opened).toEqual([]);
    // Nothing was taken: once one of them is forgotten, a deploy to the other runs.
    await targets.remove('h2');
    await expect(service.start(emptyPolicy('t'), two, ['h1'])).resolves.toHaveProperty('deployId');
  });

  it('refuses two hosts on one switch however their targets spell it: loopback names, case, a final dot, another user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-shared-'));
    const targets = storeHolding(dir, [
      { ...target, address: 'localhost' },
      { ...target, host: 'h2', address: '[::1]', user: 'ops' },
      { ...target, host: 'h3', address: 'Switch3.Example.' },
      { ...target, host: 'h4', address: 'switch3.example' },
    ]);
    const opened: string[] = [];
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), () => undefined, new SshLimiter(), (t) => {
      opened.push(t.host);
      return Promise.resolve(new FakeSwitch([]).session());
    });
    const workload = (host: string): Inventory['workloads'][number] => ({ id: `s/${host}`, name: host, host, addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } });
    const four: Inventory = { readAt: 'x', workloads: ['h1', 'h2', 'h3', 'h4'].map(workload) };

    await expect(service.start(emptyPolicy('t'), four, ['h1', 'h2'])).rejects.toThrow(
      'Hosts "h1" and "h2" both reach one switch (root@localhost:22, bridge br0 and ops@[::1]:22, bridge br0 name one machine, port and bridge)',
    );
    await expect(service.start(emptyPolicy('t'), four, ['h3', 'h4'])).rejects.toThrow('Hosts "h3" and "h4" both reach one switch');
    expect(opened).toEqual([]);
  });

  it('refuses a deploy to a host, and a rollback of another, once their saved targets reach one switch, naming both and what to do', async () => {
    const before = ['cookie=0x4d53000000000000, table=0, priority=5 actions=drop'];
    const sw = new FakeSwitch(before);
    const { service, targets, dataDir } = await deployed(sw);
    const deployedTable = sw.flows;
    // Another host's target on the switch h1 reaches, spelled otherwise: written by hand, as a save refuses it.
    const h2 = { ...target, host: 'h2', address: 'localhost' };
    storeHolding(join(dataDir, '..'), [target, h2]);
    const both: Inventory = { readAt: 'x', workloads: [...inventory.workloads, { id: 's/w2', name: 'w2', host: 'h2', addresses: ['10.0.0.2'], labels: {}, origin: { kind: 'static', source: 's' } }] };
    const bundles = sw.bundles.length;

    const shared = 'Hosts "h2" and "h1" both reach one switch (root@localhost:22, bridge br0 and root@127.0.0.1:22, bridge br0 name one machine, port and bridge)';
    const advice = 'Under Hosts, give one of them a switch of its own with Edit target, or Forget target on the host that no longer has that switch.';
    await expect(service.start(emptyPolicy('t'), both, ['h2'])).rejects.toThrow(`${shared}, and each deploy replaces all of a bridge's Microseg flows, undoing the other host's. Nothing was deployed. ${advice}`);
    // h1's backup and its table stay as the switch holds them: its rollback is refused as well, and so is a deploy to it.
    await expect(service.rollbackPreview('h1')).rejects.toThrow('Hosts "h1" and "h2" both reach one switch');
    await expect(service.rollback('h1')).rejects.toThrow(/Hosts "h1" and "h2" both reach one switch .* Nothing was rolled back\. Under Hosts/);
    await expect(service.start(emptyPolicy('t'), both, ['h1'])).rejects.toThrow('Nothing was deployed.');
    expect(sw.bundles.length).toBe(bundles);
    expect(sw.flows).toEqual(deployedTable);

    await targets.remove('h2', h2);
    expect((await service.rollback('h1')).status).toBe('rolled-back');
    expect(sw.flows).toEqual(before);
  });

  it("keeps a host whose target was moved onto a switch off it while another host's deploy still runs there", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-busy-switch-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    await targets.save(target);
    const sw = new FakeSwitch([]);
    const connecting = new Gate();
    let ended: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    const emit: EmitEvent = (event) => {
      if (event === 'deploy:finished') ended();
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), async () => {
      await connecting.pass();
      return sw.session();
    });
    const both: Inventory = { readAt: 'x', workloads: [...inventory.workloads, { id: 's/w2', name: 'w2', host: 'h2', addresses: ['10.0.0.2'], labels: {}, origin: { kind: 'static', source: 's' } }] };
    await service.start(emptyPolicy('t'), both, ['h1']);
    await connecting.reached;

    // Meanwhile h1 is pointed at another bridge, and h2 at the switch h1's deploy is still changing.
    await targets.save({ ...target, bridge: 'br1' }, target);
    await targets.save({ ...target, host: 'h2' }, null);
    const running = 'A deploy or rollback to host "h1" is already running on the switch that host "h2" reaches now (root@127.0.0.1:22, bridge br0); wait for its result';
    await expect(service.start(emptyPolicy('t'), both, ['h2'])).rejects.toThrow(running);
    await expect(service.rollback('h2')).rejects.toThrow(running);

    connecting.release();
    await finished;
    await expect(service.start(emptyPolicy('t'), both, ['h2'])).resolves.toHaveProperty('deployId');
  });

  it('rolls back to the switch the backup was read from when the target spells it otherwise', async () => {
    const before = ['cookie=0x4d53000000000000, table=0, priority=5 actions=drop'];
    const sw = new FakeSwitch(before);
    const { service, targets } = await deployed(sw);
    await targets.save({ ...target, address: 'localhost' });

    expect((await service.rollback('h1')).status).toBe('rolled-back');
    expect(sw.flows).toEqual(before);
  });

  it('still rolls back with a backup written before backups named their switch', async () => {
    const sw = new FakeSwitch([]);
    const { service, dataDir } = await deployed(sw);
    const file = join(dataDir, 'backups', readdirSync(join(dataDir, 'backups'))[0]!);
    writeFileSync(file, 'cookie=0x4d53000000000000, table=0, priority=5 actions=drop\n');

    expect((await service.rollback('h1')).status).toBe('rolled-back');
    expect(sw.flows).toEqual(['cookie=0x4d53000000000000, table=0, priority=5 actions=drop']);
  });
});

describe('DeployService on a host that cannot read its clock', () => {
  const inventory: Inventory = { readAt: 'x', workloads: [{ id: 's/w1', name: 'w1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };
  const before = ['cookie=0x4d53000000000000, table=0, priority=5 actions=drop'];
  // As dash answers HOST_CLOCK_COMMAND where there is neither /proc/uptime nor `date`, and as csh answers it.
  const noDate = { code: 0, stdout: 'uptime= clock= sum=5\n', stderr: 'sh: 1: date: not found\n' };
  const csh = { code: 1, stdout: '', stderr: 'Illegal variable name.\n' };

  async function setUp(sw: FakeSwitch): Promise<{ service: DeployService; dataDir: string; deploy: () => Promise<DeployHostResult> }> {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-clock-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    await targets.save({ host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    let ended: (results: DeployHostResult[]) => void = () => undefined;
    const emit: EmitEvent = (event, payload) => {
      if (event === 'deploy:finished') ended((payload as ApiEvents['deploy:finished']).results);
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), () => Promise.resolve(sw.session()));
    const deploy = async (): Promise<DeployHostResult> => {
      const finished = new Promise<DeployHostResult[]>((resolve) => (ended = resolve));
      await service.start(emptyPolicy('t'), inventory, ['h1']);
      return (await finished)[0]!;
    };
    return { service, dataDir: join(dir, 'data'), deploy };
  }

  it.each([
    ['without `date`', noDate, 'Could not read the clock of h1: it has no /proc/uptime, and `date +%s` gave nothing there (sh: 1: date: not found). ', 'install `date` on the host (Debian: coreutils)'],
    ['whose login shell is not POSIX', csh, "Could not read the clock of h1: the SSH user's login shell there did not run a POSIX shell command (Illegal variable name). ", 'chsh -s /bin/sh USER'],
  ])('fails a deploy to a host %s before anything is sent, saying what is missing and what to do', async (_, answer, what, todo) => {
    const sw = new FakeSwitch(before);
    sw.clockAnswer = answer;
    const { dataDir, deploy } = await setUp(sw);

    const result = await deploy();
    expect(result.status).toBe('failed');
    expect(result.message.startsWith(what)).toBe(true);
    expect(result.message).toContain(todo);
    expect(result.message).toMatch(/then try again\. The host keeps its previous flows\.$/);
    expect(sw.bundles).toEqual([]);
    expect(sw.flows).toEqual(before);
    expect(existsSync(join(dataDir, 'backups'))).toBe(false);
  });

  it('says a connection lost during the clock read, and sends no bundle', async () => {
    const sw = new FakeSwitch(before);
    sw.clockAnswer = { code: -1, stdout: '', stderr: '' };
    const { deploy } = await setUp(sw);

    expect((await deploy()).message).toBe('Could not read the clock of h1: the SSH connection closed before the host answered. The host keeps its previous flows.');
    expect(sw.bundles).toEqual([]);
  });

  it('refuses a rollback on such a host before anything is sent, and says the switch keeps its current flows', async () => {
    const sw = new FakeSwitch(before);
    const { service, deploy } = await setUp(sw);
    expect((await deploy()).status).toBe('applied');
    const deployed = sw.flows;
    sw.clockAnswer = noDate;

    await expect(service.rollback('h1')).rejects.toThrow(/^Could not read the clock of h1: .* Nothing was rolled back: the host keeps its current flows\.$/);
    expect(sw.bundles.length).toBe(1);
    expect(sw.flows).toEqual(deployed);
  });
});

describe('DeployService on a switch that stops answering', () => {
  const inventory: Inventory = { readAt: 'x', workloads: [{ id: 's/w1', name: 'w1', host: 'h1', addresses: ['10.0.0.1'], labels: {}, origin: { kind: 'static', source: 's' } }] };

  async function setUp(sw: FakeSwitch, open: () => Promise<SshSession> = () => Promise.resolve(sw.session())): Promise<{ service: DeployService; deploy: () => Promise<DeployHostResult> }> {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-hung-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    await targets.save({ host: 'h1', address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
    let ended: (results: DeployHostResult[]) => void = () => undefined;
    const emit: EmitEvent = (event, payload) => {
      if (event === 'deploy:finished') ended((payload as ApiEvents['deploy:finished']).results);
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), open, 200);
    const deploy = async (): Promise<DeployHostResult> => {
      const finished = new Promise<DeployHostResult[]>((resolve) => (ended = resolve));
      await service.start(emptyPolicy('t'), inventory, ['h1']);
      return (await finished)[0]!;
    };
    return { service, deploy };
  }

  it('gives up on a command that never answers, says where, and frees the host for the next deploy', async () => {
    const sw = new FakeSwitch([]);
    sw.silent.push({ word: 'ovs-ofctl show', once: true });
    const { deploy } = await setUp(sw);
    const hung = await deploy();
    expect(hung.status).toBe('failed');
    expect(hung.message).toBe('Could not reach the bridge on h1 (bridge br0): no answer within 0 s, so the app stopped waiting. The host keeps its previous flows.');
    expect(hung.backedUp).toBeUndefined();
    expect((await deploy()).status).toBe('applied');
  });

  const before = ['cookie=0x4d53000000000000, priority=1 actions=drop'];

  it("says a host whose clock read never answers keeps its flows, and sends it no bundle", async () => {
    const sw = new FakeSwitch(before);
    sw.silent.push({ word: HOST_CLOCK_COMMAND, once: true });
    const { deploy } = await setUp(sw);

    const hung = await deploy();
    expect(hung.message).toBe("Could not read the host's clock on h1 (bridge br0): no answer within 0 s, so the app stopped waiting. The host keeps its previous flows.");
    expect(sw.bundles).toEqual([]);
    expect(sw.flows).toEqual(before);
  });

  it('reads the switch again when a bundle goes unanswered, and reports the new table it took as applied, with the flows from before it to roll back to', async () => {
    const sw = new FakeSwitch(before);
    sw.silent.push({ word: '--bundle' });
    const sessions: string[] = [];
    const { service, deploy } = await setUp(sw, () => {
      sessions.push('opened');
      return Promise.resolve(sw.session());
    });
    const result = await deploy();
    expect(result).toMatchObject({ status: 'applied', flowCount: sw.flows.length, backedUp: true });
    expect(result.message).toMatch(/^\d+ flows applied in \d+ ms \(no answer came within 0 s; the switch was read again over a new connection once the host had given the command up\)$/);
    expect(sessions).toHaveLength(2);
    expect((await service.status()).backups).toEqual(['h1']);
    sw.silent.splice(0);
    expect((await service.rollback('h1')).status).toBe('rolled-back');
    expect(sw.flows).toEqual(before);
  });

  it('says the switch kept its flows when an unanswered bundle was not taken, and a host that starts the command late does not run it', async () => {
    // The host starts the bundle command only after the app stopped waiting, as behind an sshd wrapper that sleeps 75 s.
    const sw = new FakeSwitch(before);
    sw.late.push('--bundle');
    const { service, deploy } = await setUp(sw);
    const result = await deploy();
    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      'Could not apply the flow table on h1 (bridge br0): no answer within 0 s, so the app stopped waiting. ' +
        'Read again once the host had given the command up, the switch has not taken the new table. The host keeps its previous flows.',
    );
    expect(result.backedUp).toBeUndefined();
    expect((await service.status()).backups).toEqual([]);

    sw.runLate(75);
    expect(sw.flows).toEqual(before);
    expect(sw.bundles).toEqual([]);
  });

  it('says the switch may hold either table when it cannot be read again after an unanswered bundle, and keeps the flows from before it to roll back to', async () => {
    const sw = new FakeSwitch(before);
    sw.silent.push({ word: '--bundle' });
    let opened = 0;
    const { service, deploy } = await setUp(sw, () => (++opened === 1 ? Promise.resolve(sw.session()) : Promise.reject(new ServiceError('ssh-failed', 'Could not connect to root@127.0.0.1:22: connect ECONNREFUSED.'))));
    const result = await deploy();
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /^Could not apply the flow table on h1 \(bridge br0\): no answer within 0 s, so the app stopped waiting\. Reading the switch again over a new connection failed too \(Could not connect to root@127\.0\.0\.1:22: connect ECONNREFUSED\)\. The switch may have taken the new table or kept its previous flows/,
    );
    expect(result.backedUp).toBe(true);
    expect((await service.status()).backups).toEqual(['h1']);
  });

  it('says so when the switch read again after an unanswered bundle holds neither table', async () => {
    const sw = new FakeSwitch(before);
    sw.late.push('--bundle');
    let opened = 0;
    const { deploy } = await setUp(sw, () => {
      // Someone else changed our flows meanwhile.
      if (++opened === 2) sw.flows = [];
      return Promise.resolve(sw.session());
    });
    const result = await deploy();
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/the switch holds 0 of our flows, neither the new table's \d+ nor the 1 it had: check it by hand\. Rollback puts back the flows from before this deploy\.$/);
    expect(result.backedUp).toBe(true);
  });

  it('says the new table was applied when only reading it back failed', async () => {
    const sw = new FakeSwitch([]);
    const { service, deploy } = await setUp(sw);
    // The first dump (the backup) answers; the read-back after the bundle loses the connection.
    const original = sw.session.bind(sw);
    sw.session = (): SshSession => {
      const session = original();
      return { ...session, run: (command, stdin) => (command.includes('dump-flows') && sw.bundles.length > 0 ? Promise.reject(new Error('Not connected')) : session.run(command, stdin)) };
    };
    const result = await deploy();
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/^The new table was applied, but the deploy could not finish: Could not read the current flows on h1 .*Rollback puts back the flows from before this deploy\.$/);
    expect(sw.bundles).toHaveLength(1);
    expect((await service.status()).backups).toEqual(['h1']);
  });

  it('reads the switch again when a rollback goes unanswered, and says what it runs: the flows restored, or its current ones', async () => {
    const sw = new FakeSwitch(before);
    // The host refuses connections once the switch holds this many bundles.
    let unreachableFrom = Infinity;
    const { service, deploy } = await setUp(sw, () => (sw.bundles.length >= unreachableFrom ? Promise.reject(new ServiceError('ssh-failed', 'Could not connect to root@127.0.0.1:22: connect ECONNREFUSED.')) : Promise.resolve(sw.session())));
    expect((await deploy()).status).toBe('applied');
    const deployed = sw.flows;

    sw.late.push('--bundle');
    await expect(service.rollback('h1')).rejects.toThrow(/no answer within 0 s.*Read again once the host had given the command up, the switch still runs its current flows: nothing was rolled back\.$/);
    sw.runLate(75);
    expect(sw.flows).toEqual(deployed);
    sw.late.splice(0);

    // Free again at once; a rollback the switch takes without answering is read back as done.
    sw.silent.push({ word: '--bundle', once: true });
    const result = await service.rollback('h1');
    expect(result.status).toBe('rolled-back');
    expect(result.message).toBe('Restored 1 flows from before the last deploy (no answer came within 0 s; the switch was read again over a new connection once the host had given the command up).');
    expect(sw.flows).toEqual(before);

    // Where the switch cannot be read again, what it runs is not known.
    await deploy();
    sw.silent.push({ word: '--bundle', once: true });
    unreachableFrom = sw.bundles.length + 1;
    await expect(service.rollback('h1')).rejects.toThrow(/Reading the switch again over a new connection failed too \(Could not connect to root@127\.0\.0\.1:22: connect ECONNREFUSED\).*The switch may have taken the flows from before the last deploy or kept its current ones/);
  });

  it('lets one of two deploys to a host started at the same moment (two windows) through, and refuses the other', async () => {
    const sw = new FakeSwitch([]);
    // The first deploy's connection waits until both have started: on a loaded machine it could
    // otherwise finish, and free the host, while the second was still reading its target.
    const connecting = new Gate();
    const { service } = await setUp(sw, async () => {
      await connecting.pass();
      return sw.session();
    });
    const both = await Promise.allSettled([service.start(emptyPolicy('t'), inventory, ['h1']), service.start(emptyPolicy('t'), inventory, ['h1'])]);
    connecting.release();
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toContain('already running');
    const fresh = await setUp(new FakeSwitch([]));
    await expect(fresh.service.start(emptyPolicy('t'), inventory, ['h1', 'h1'])).rejects.toThrow('Host "h1" is named twice');
  });
});

/** A wait a test ends: `reached` once something waits at it, `release` lets it go on. */
class Gate {
  readonly reached: Promise<void>;
  readonly released: Promise<void>;
  release: () => void = () => undefined;
  private arrive: () => void = () => undefined;

  constructor() {
    this.reached = new Promise((resolve) => (this.arrive = resolve));
    this.released = new Promise((resolve) => (this.release = resolve));
  }

  async pass(): Promise<void> {
    this.arrive();
    await this.released;
  }
}

/** A turn of the event loop, as a network answer takes: the other hosts in flight run meanwhile. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * Hosts h00, h01, … each with its own FakeSwitch behind one OpenSession. Counts the hosts in
 * flight (a session asked for and not closed yet), and holds a host where a test puts a gate: at
 * `connect`, or at its first command containing a word. Closing a session fails the command it
 * holds, as a closed SSH connection does.
 */
class Fleet {
  readonly hosts: string[];
  readonly switches: Map<string, FakeSwitch>;
  readonly gates = new Map<string, { at: string; gate: Gate }>();
  inFlight = 0;
  mostInFlight = 0;
  sessions = 0;
  /** The signal each host's session was opened with, which drops a real connection still opening. */
  readonly signals = new Map<string, AbortSignal | undefined>();

  /** `servers`: how many SSH servers the hosts are behind, in turn (each its own by default). */
  constructor(
    count: number,
    private readonly servers = count,
  ) {
    this.hosts = Array.from({ length: count }, (_, i) => `h${String(i).padStart(2, '0')}`);
    this.switches = new Map(this.hosts.map((h) => [h, new FakeSwitch([])]));
  }

  hold(host: string, at: string): Gate {
    const gate = new Gate();
    this.gates.set(host, { at, gate });
    return gate;
  }

  readonly openSession: OpenSession = async (target, _configDir, signal) => {
    this.signals.set(target.host, signal);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await tick();
    const held = this.gates.get(target.host);
    if (held?.at === 'connect') await held.gate.pass();
    this.sessions++;
    const inner = this.switches.get(target.host)!.session();
    let open = true;
    let onClose = (): void => undefined;
    const closed = new Promise<void>((resolve) => (onClose = resolve));
    return {
      run: async (command, stdin) => {
        await tick();
        const gate = this.gates.get(target.host);
        if (gate && gate.at !== 'connect' && command.includes(gate.at)) await Promise.race([gate.gate.pass(), closed]);
        if (!open) throw new Error('Not connected');
        return inner.run(command, stdin);
      },
      close: () => {
        if (!open) return;
        open = false;
        this.inFlight--;
        onClose();
      },
    };
  };

  async service(commandTimeoutMs = 60_000): Promise<{ service: DeployService; steps: ApiEvents['deploy:progress'][]; deploy: () => Promise<{ deployId: string; finished: Promise<DeployHostResult[]> }> }> {
    const dir = mkdtempSync(join(tmpdir(), 'microseg-deploy-fleet-'));
    const targets = new HostTargetStore(join(dir, 'config'));
    // By default each host its own SSH server, as the limit per server would otherwise bound the deploy.
    // Hosts behind one server have bridges of their own there, as a deploy requires.
    for (const [i, host] of this.hosts.entries()) {
      await targets.save({ host, address: '127.0.0.1', port: 22_000 + (i % this.servers), user: 'root', auth: { kind: 'agent' }, bridge: `br-${host}` });
    }
    const steps: ApiEvents['deploy:progress'][] = [];
    let ended: (results: DeployHostResult[]) => void = () => undefined;
    const emit: EmitEvent = (event, payload) => {
      if (event === 'deploy:progress') steps.push(payload as ApiEvents['deploy:progress']);
      if (event === 'deploy:finished') ended((payload as ApiEvents['deploy:finished']).results);
    };
    const service = new DeployService(targets, join(dir, 'config'), join(dir, 'data'), createLogger({ level: 'error' }), emit, new SshLimiter(), this.openSession, commandTimeoutMs);
    const inventory: Inventory = {
      readAt: 'x',
      workloads: this.hosts.map((host, i) => ({ id: `s/w${i}`, name: `w${i}`, host, addresses: [`10.0.${i}.1`], labels: {}, origin: { kind: 'static', source: 's' } })),
    };
    const deploy = async (): Promise<{ deployId: string; finished: Promise<DeployHostResult[]> }> => {
      const finished = new Promise<DeployHostResult[]>((resolve) => (ended = resolve));
      const { deployId } = await service.start(emptyPolicy('t'), inventory, this.hosts);
      return { deployId, finished };
    };
    return { service, steps, deploy };
  }
}

/** Whether a deploy or rollback holds the host: a rollback on a free host fails for want of a backup instead. */
async function isBusy(service: DeployService, host: string): Promise<boolean> {
  const error = await service.rollback(host).then(() => null, (e: unknown) => String(e));
  return error !== null && error.includes('already running');
}

describe('DeployService across many hosts', () => {
  it(`works on at most ${SSH_LIMITS.perOperation} hosts at once, starting the queued ones as others end`, async () => {
    const fleet = new Fleet(20);
    const { steps, deploy } = await fleet.service();
    const { finished } = await deploy();
    const results = await finished;

    expect(results.map((r) => [r.host, r.status])).toEqual(fleet.hosts.map((h) => [h, 'applied']));
    expect(fleet.mostInFlight).toBe(SSH_LIMITS.perOperation);
    expect(fleet.sessions).toBe(20);
    expect(fleet.inFlight).toBe(0);
    const waited = steps.find((p) => p.host === 'h19' && p.waiting);
    expect(waited).toMatchObject({ step: 'queued', waiting: { bound: 'operation', open: 8 } });
    expect(waited?.message).toMatch(/flows to apply; waiting: 8 hosts of this deploy in flight$/);
    // The ninth host connects only once one of the first eight has ended.
    const firstEnd = steps.findIndex((p) => p.step === 'done');
    expect(steps.findIndex((p) => p.host === 'h08' && p.step === 'connect')).toBeGreaterThan(firstEnd);
  });

  it('says of a host queued behind its SSH server that the server holds it, though the deploy has room', async () => {
    // Four hosts behind one SSH server: two sessions there at most, far below the deploy's eight.
    const fleet = new Fleet(4, 1);
    const gates = [fleet.hold('h00', 'dump-flows'), fleet.hold('h01', 'dump-flows')];
    const { service, steps, deploy } = await fleet.service();
    const { finished } = await deploy();
    await Promise.all(gates.map((g) => g.reached));

    const server = { bound: 'server', server: '127.0.0.1:22000', open: 2 };
    for (const host of ['h02', 'h03']) {
      const last = steps.filter((p) => p.host === host).at(-1);
      expect(last).toMatchObject({ step: 'queued', waiting: server });
      expect(last?.message).toMatch(/flows to apply; waiting: 2 SSH sessions already open to 127\.0\.0\.1:22000$/);
    }
    // A window that reloads reads the same from the running deploy.
    const running = (await service.status()).running[0]!.progress;
    expect(running.find((p) => p.host === 'h03')?.waiting).toEqual(server);
    // The hosts that started were never said to wait.
    expect(steps.filter((p) => p.waiting).map((p) => p.host)).toEqual(['h02', 'h03']);

    for (const g of gates) g.release();
    expect((await finished).map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('cancels the hosts not yet applying, lets the one applying finish with its real result, and frees every host', async () => {
    const fleet = new Fleet(12);
    const applying = fleet.hold('h00', '--bundle');
    const gates = [
      fleet.hold('h01', 'connect'),
      fleet.hold('h02', 'connect'),
      fleet.hold('h03', 'ovs-ofctl show'),
      fleet.hold('h04', 'dump-flows'),
      fleet.hold('h05', 'dump-flows'),
      fleet.hold('h06', 'dump-flows'),
      fleet.hold('h07', 'dump-flows'),
    ];
    const { service, deploy } = await fleet.service();
    const { deployId, finished } = await deploy();
    await Promise.all([applying, ...gates].map((g) => g.reached));

    expect(service.cancel(deployId)).toEqual({
      deployId,
      notStarted: ['h08', 'h09', 'h10', 'h11'],
      stopping: ['h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h07'],
      finishing: ['h00'],
    });
    expect(() => service.cancel(deployId)).toThrow(`Deploy ${deployId} is being cancelled already`);
    // The hosts still connecting have their connections dropped (see ssh-session.test.ts), not held to the handshake timeout.
    for (const host of ['h01', 'h02']) expect(fleet.signals.get(host)?.aborted).toBe(true);
    // A session that opens after the cancel is closed unused.
    gates[0]!.release();
    await vi.waitFor(async () => {
      for (const host of fleet.hosts.slice(1)) expect(await isBusy(service, host)).toBe(false);
    });
    expect(await isBusy(service, 'h00')).toBe(true);
    expect((await service.status()).running).toMatchObject([{ deployId, cancelling: true }]);

    applying.release();
    const results = await finished;
    const kept = 'so the switch keeps its previous flows.';
    expect(results).toEqual([
      { host: 'h00', status: 'applied', message: expect.stringMatching(/^1\d flows applied in \d+ ms$/), flowCount: expect.any(Number), durationMs: expect.any(Number), backedUp: true },
      ...['h01', 'h02'].map((host) => ({ host, status: 'cancelled', message: `Cancelled while connecting: nothing was sent, ${kept}`, flowCount: 0, durationMs: expect.any(Number) })),
      { host: 'h03', status: 'cancelled', message: `Cancelled while checking the bridge: the SSH session was closed before the new table was sent, ${kept}`, flowCount: 0, durationMs: expect.any(Number) },
      ...['h04', 'h05', 'h06', 'h07'].map((host) => ({ host, status: 'cancelled', message: `Cancelled while reading the current flows: the SSH session was closed before the new table was sent, ${kept}`, flowCount: 0, durationMs: expect.any(Number) })),
      ...['h08', 'h09', 'h10', 'h11'].map((host) => ({ host, status: 'cancelled', message: 'Cancelled before it started: the app never connected to it, so the switch keeps its flows.', flowCount: 0, durationMs: 0 })),
    ]);
    expect(fleet.switches.get('h00')!.bundles).toHaveLength(1);
    for (const host of fleet.hosts.slice(1)) expect(fleet.switches.get(host)!.bundles).toEqual([]);
    // h02's connection is still being opened, after the deploy ended: it is closed unused when it opens.
    expect(fleet.inFlight).toBe(1);
    gates[1]!.release();
    await vi.waitFor(() => expect(fleet.inFlight).toBe(0));
    // h08 to h11 were never asked for a session.
    expect(fleet.sessions).toBe(8);
    expect(await service.status()).toMatchObject({ running: [], backups: ['h00'] });
    expect(await isBusy(service, 'h00')).toBe(false);
  });

  it('does not hide, behind a cancel, a bundle whose answer never came', async () => {
    const fleet = new Fleet(2);
    const applying = fleet.hold('h00', '--bundle');
    const reading = fleet.hold('h01', 'dump-flows');
    const { service, deploy } = await fleet.service(200);
    const { deployId, finished } = await deploy();
    await Promise.all([applying.reached, reading.reached]);
    expect(service.cancel(deployId).finishing).toEqual(['h00']);
    const [h00, h01] = await finished;
    // The session that held the bundle was closed, so the bundle never reached the switch: read again, it says so.
    expect(h00).toMatchObject({ status: 'failed' });
    expect(h00!.message).toContain('no answer within 0 s, so the app stopped waiting. Read again once the host had given the command up, the switch has not taken the new table. The host keeps its previous flows.');
    expect(h01).toMatchObject({ status: 'cancelled' });
  });

  it('refuses to cancel a deploy that has ended or was never started', async () => {
    const fleet = new Fleet(1);
    const { service, deploy } = await fleet.service();
    const { deployId, finished } = await deploy();
    await finished;
    expect(() => service.cancel(deployId)).toThrow(`No deploy ${deployId} is running: it has ended (each host shows how), or it was never started.`);
    expect(() => service.cancel('no-such-deploy')).toThrow('No deploy no-such-deploy is running');
  });
});
