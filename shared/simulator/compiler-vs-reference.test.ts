import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { mayConnect } from '../policy/reference-evaluator';
import { loadHostTables, simulatePath, type PathProbe, type PathResult } from './path';
import { scenarioArbitrary, type Probe, type Scenario } from './testing/random-scenario';
import { describePacket, formatTrace } from './trace-format';

const RUNS = 300;
let compared = 0;

function probeOf(p: Probe): PathProbe {
  return {
    protocol: p.protocol,
    srcPort: p.srcPort,
    ...(p.dstPort !== undefined ? { dstPort: p.dstPort } : {}),
    ...(p.icmpType !== undefined ? { icmpType: p.icmpType } : {}),
  };
}

/** Everything a person needs to see why the compiled tables and the reference disagree. */
function explain(s: Scenario, p: Probe, path: PathResult, because: string): string {
  const packet = {
    ...probeOf(p),
    ethType: p.family === 6 ? ('ipv6' as const) : ('ipv4' as const),
    src: p.from.address,
    dst: p.to.address,
  };
  const hops = path.hops.map((h) => formatTrace(h.result, `--- ${h.host}`)).join('\n');
  return [
    `${describePacket(packet, 'new')}: tables say ${path.verdict}, reference says "${because}"`,
    hops,
    JSON.stringify({ policy: s.policy, workloads: s.inventory.workloads }),
  ].join('\n');
}

/** Runs every probe of a scenario through the compiled tables and the reference; returns the first disagreement. */
function firstDisagreement(s: Scenario): string | null {
  const compiled = compilePolicy(s.policy, s.inventory);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const tables = loadHostTables(compiled.hosts);

  for (const p of s.probes) {
    const path = simulatePath(tables, p.from, p.to, probeOf(p), 'new');
    if (!path.enforced) continue;
    const answer = mayConnect(s.policy, s.inventory, {
      from: p.from.party,
      to: p.to.party,
      protocol: p.protocol,
      port: p.dstPort,
      sourcePort: p.srcPort,
      icmpType: p.icmpType,
      family: p.family,
    });
    compared++;
    if ((path.verdict === 'permitted') !== answer.allowed) return explain(s, p, path, answer.because);
    // Whatever the policy, packets of a connection conntrack knows, and ARP, always pass.
    if (simulatePath(tables, p.from, p.to, probeOf(p), 'established').verdict !== 'permitted')
      return explain(s, p, path, 'established must pass');
    if (p.family === 4 && simulatePath(tables, p.from, p.to, { ethType: 'arp' }, 'new').verdict !== 'permitted')
      return explain(s, p, path, 'ARP must pass');
  }
  return null;
}

describe('compiled tables agree with the reference semantics (property)', () => {
  it(`gives the reference verdict for random policies, inventories and packets (${RUNS} runs)`, () => {
    compared = 0;
    const started = Date.now();
    fc.assert(
      fc.property(scenarioArbitrary(), (s) => {
        const disagreement = firstDisagreement(s);
        if (disagreement) throw new Error(disagreement);
      }),
      { numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS * 10);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
