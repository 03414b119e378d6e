import fc from 'fast-check';
import { it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { mayConnect } from '../policy/reference-evaluator';
import { loadHostTables, simulatePath } from './path';
import { scenarioArbitrary } from './testing/random-scenario';
it('stats', () => {
  const stats: Record<string, number> = {};
  const bump = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);
  let first: string | null = null;
  fc.assert(fc.property(scenarioArbitrary(), (s) => {
    const tables = loadHostTables(compilePolicy(s.policy, s.inventory).hosts);
    bump(`hosts${tables.size}`);
    for (const p of s.probes) {
      const probe = { protocol: p.protocol, dstPort: p.dstPort, icmpType: p.icmpType };
      const path = simulatePath(tables, p.from, p.to, probe, 'new');
      if (!path.enforced) { bump('unenforced'); continue; }
      const a = mayConnect(s.policy, s.inventory, { from: p.from.party, to: p.to.party, protocol: p.protocol, port: p.dstPort, icmpType: p.icmpType, family: p.family });
      bump(`${path.verdict}/${a.allowed}`); bump(`hops${path.hops.length}`); bump(`fam${p.family}`);
      bump(a.because.split(' ')[0]!);
      if ((path.verdict === 'permitted') !== a.allowed && !first) first = JSON.stringify({ p, a, s: { policy: s.policy, w: s.inventory.workloads } });
    }
  }), { numRuns: Number(process.env.RUNS ?? 3000), seed: Number(process.env.SEED ?? 1) });
  console.log('STATS', JSON.stringify(stats), first);
});
