import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import type { Inventory } from '../inventory/model';
import type { DefaultAction, Policy } from '../policy/model';
import { decisionsOf } from './decision';
import { addressHosts, loadHostTables, simulatePath } from './path';
import { workload } from './testing/honeypot-scenarios';

// Which flow a trace names as having decided: here, the default for connections no edge covers.

const inventory: Inventory = {
  readAt: 'x',
  workloads: [
    workload('web-1', 'h1', ['10.0.1.1'], { tier: 'web' }),
    workload('db-1', 'h2', ['10.0.2.1'], { tier: 'db' }),
  ],
};
const policy = (betweenGroups: DefaultAction): Policy => ({
  apiVersion: 'microseg.dev/v1',
  name: 'defaults',
  revision: 1,
  defaults: { withinGroup: 'allow', betweenGroups },
  groups: [
    { name: 'web', selector: { labels: 'tier=web' } },
    { name: 'db', selector: { labels: 'tier=db' } },
  ],
  edges: [],
});

/** What decided a connection from web-1 to db-1 on TCP `dstPort`, hop by hop: host, table and the deciding flow in words. */
function decisions(p: Policy, dstPort: number, state: 'new' | 'established' = 'new'): { verdict: string; decided: string[][] } {
  const compiled = compilePolicy(p, inventory);
  const path = simulatePath(
    loadHostTables(compiled.hosts),
    { address: '10.0.1.1', host: 'h1' },
    { address: '10.0.2.1', host: 'h2' },
    { protocol: 'tcp', srcPort: 40000, dstPort },
    state,
    { hostOf: addressHosts(inventory.workloads) },
  );
  return { verdict: path.verdict, decided: decisionsOf(path, compiled.rules).map((d) => [d.host, d.table, d.what]) };
}

function decided(betweenGroups: DefaultAction): string[][] {
  return decisions(policy(betweenGroups), 22).decided;
}

describe('the default as the deciding flow', () => {
  it('is named whether it drops or rejects, not taken for the pipeline', () => {
    expect(decided('drop')).toEqual([['h1', 'egress', 'the default for traffic no rule decides']]);
    expect(decided('reject')).toEqual([['h1', 'egress', 'the default for traffic no rule decides (reject)']]);
  });
});

describe('conntrack as the deciding flow', () => {
  it('says a later packet of a permitted connection passes as one, not "already permitted (or invalid)"', () => {
    const allowed: Policy = { ...policy('drop'), edges: [{ id: 'web-db', from: 'web', to: 'db', services: [{ protocol: 'tcp', ports: { from: 5432, to: 5432 } }], action: 'allow' }] };
    const { verdict, decided: what } = decisions(allowed, 5432, 'established');
    expect(verdict).toBe('permitted');
    expect(what.map((d) => d[2])).toContain('conntrack: a later packet of a connection already permitted');
  });
});
