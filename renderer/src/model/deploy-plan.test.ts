import type { HostTarget } from '@shared/api/contract';
import { describe, expect, it } from 'vitest';
import { deployPlan, rollbackOff, type HostLine } from './deploy-plan';

const target = (host: string): HostTarget => ({ host, address: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'agent' }, bridge: 'br0' });
const line = (host: string, configured = true): HostLine => ({ host, flowCount: 5, target: configured ? target(host) : null });

describe('deployPlan', () => {
  it('leaves out the hosts whose switch another saved target reaches, naming that host, as the service would refuse them', () => {
    const plan = deployPlan([line('h1'), line('h2'), line('h3'), line('h4', false)], [
      { host: 'h1', sharer: 'h2' },
      { host: 'h2', sharer: 'h1' },
    ]);

    expect(plan.deploy.map((l) => l.host)).toEqual(['h3']);
    expect(plan.shared.map(({ line: l, sharer }) => [l.host, sharer])).toEqual([
      ['h1', 'h2'],
      ['h2', 'h1'],
    ]);
    expect(plan.skipped.map((l) => l.host)).toEqual(['h4']);
  });

  it('leaves out a compiled host whose switch a saved target of a host outside the compile reaches', () => {
    const plan = deployPlan([line('h1'), { host: 'old', flowCount: null, target: target('old') }], [
      { host: 'h1', sharer: 'old' },
      { host: 'old', sharer: 'h1' },
    ]);

    expect(plan.deploy).toEqual([]);
    expect(plan.shared.map(({ line: l, sharer }) => [l.host, sharer])).toEqual([['h1', 'old']]);
  });
});

describe('rollbackOff', () => {
  it('says the rollback is off when the backup was read from another switch than the target reaches now, naming both', () => {
    const why = rollbackOff(line('h1'), true, { host: 'h1', readFrom: 'root@127.0.0.1:22, bridge br0', now: 'root@127.0.0.1:22, bridge br1' }, undefined);

    expect(why).toBe(
      'No rollback: the backup holds the flows of the switch at root@127.0.0.1:22, bridge br0, but the target now reaches root@127.0.0.1:22, bridge br1. ' +
        'Set the target back with Edit target to roll back there, or deploy instead.',
    );
  });

  it('says it is off while another host has a target on the switch, and offers it otherwise', () => {
    expect(rollbackOff(line('h1'), true, undefined, 'h2')).toBe('No rollback while host "h2" has a target on this switch too (see below).');
    expect(rollbackOff(line('h1'), true, undefined, undefined)).toBeNull();
    expect(rollbackOff(line('h1'), false, undefined, undefined)).toBe('No backup to roll back to: nothing was deployed to this host from here yet.');
  });
});
