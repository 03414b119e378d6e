import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compiler/compile';
import { mayConnect, type ReferenceAnswer } from '../policy/reference-evaluator';
import { addressBits, formatAddress } from './address-bits';
import { consequentialTies } from './ambiguity';
import { addressHosts, loadHostTables, simulatePath, type PathResult } from './path';
import { pathProbeOf, scenarioArbitrary, type Probe, type Scenario } from './testing/random-scenario';
import { describePacket, formatTrace } from './trace-format';

const RUNS = 300;
const counts = { compared: 0, redirected: 0 };


/** `permitted`, `dropped` or `redirected to ADDRESS`: what the compiled tables do with the connection. */
function tablesSay(path: PathResult): string {
  return path.verdict === 'redirected' ? `redirected to ${path.redirectedTo ?? '?'}` : path.verdict;
}

/** The same three outcomes, as the reference semantics answer. */
function referenceSays(answer: ReferenceAnswer): string {
  if (answer.redirectedTo !== undefined) return `redirected to ${formatAddress(addressBits(answer.redirectedTo)!)}`;
  return answer.allowed ? 'permitted' : 'dropped';
}

/** Everything a person needs to see why the compiled tables and the reference disagree. */
function explain(s: Scenario, p: Probe, path: PathResult, what: string): string {
  const packet = {
    ...pathProbeOf(p),
    ethType: p.family === 6 ? ('ipv6' as const) : ('ipv4' as const),
    src: p.from.address,
    dst: p.to.address,
  };
  const hops = path.hops.map((h) => formatTrace(h.result, `--- ${h.host}`)).join('\n');
  return [
    `${describePacket(packet, 'new')}: ${what}`,
    hops,
    JSON.stringify({ policy: s.policy, workloads: s.inventory.workloads }),
  ].join('\n');
}

/** Runs every probe of a scenario through the compiled tables and the reference; returns the first disagreement. */
function firstDisagreement(s: Scenario): string | null {
  const compiled = compilePolicy(s.policy, s.inventory);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const tables = loadHostTables(compiled.hosts);
  const hostOf = addressHosts(s.inventory.workloads);

  for (const p of s.probes) {
    const path = simulatePath(tables, p.from, p.to, pathProbeOf(p), 'new', { hostOf });
    if (!path.enforced) continue;
    const answer = mayConnect(s.policy, s.inventory, {
      from: p.from.party,
      to: p.to.party,
      protocol: p.protocol,
      port: p.dstPort,
      sourcePort: p.srcPort,
      icmpType: p.icmpType,
      icmpCode: p.icmpCode,
      family: p.family,
    });
    // Conjunctions of different outcome must never complete at one priority: OVS would pick either.
    const ties = path.hops.flatMap((h) => consequentialTies(h.result));
    if (ties.length > 0) return explain(s, p, path, 'flows of different outcome tie at one priority');
    counts.compared++;
    if (tablesSay(path) !== referenceSays(answer))
      return explain(
        s,
        p,
        path,
        `tables say ${tablesSay(path)}, reference says ${referenceSays(answer)}: "${answer.because}"`,
      );
    if (path.verdict === 'redirected') {
      counts.redirected++;
      const problem = redirectProblem(s, path);
      if (problem) return explain(s, p, path, problem);
    }
    // Whatever the policy, packets of a connection conntrack knows, and ARP, always pass: to the
    // honeypot its first packet was redirected to, or else to where they were sent.
    const later = simulatePath(tables, p.from, p.to, pathProbeOf(p), 'established');
    const laterSays = later.verdict === 'redirected' ? `redirected to ${later.redirectedTo}` : later.verdict;
    const firstSays = path.verdict === 'redirected' ? `redirected to ${path.redirectedTo}` : 'permitted';
    if (laterSays !== firstSays) return explain(s, p, path, `established packets must go where the first went (${firstSays}), went ${laterSays}`);
    if (p.family === 4 && simulatePath(tables, p.from, p.to, { ethType: 'arp' }, 'new').verdict !== 'permitted')
      return explain(s, p, path, 'ARP must pass');
  }
  return null;
}

/** A redirected connection must leave with the honeypot's MAC and end on the honeypot's host. */
function redirectProblem(s: Scenario, path: PathResult): string | null {
  const honeypot = s.inventory.workloads.find((w) =>
    w.addresses.some((a) => formatAddress(addressBits(a)!) === path.redirectedTo),
  );
  const hop = path.hops.find((h) => h.result.verdict === 'redirected');
  if (!honeypot || !hop) return `redirected to ${path.redirectedTo ?? '?'}, which is no workload`;
  if (hop.result.ethDst !== honeypot.mac)
    return `redirected with MAC ${hop.result.ethDst ?? '(unchanged)'}, not the honeypot's ${honeypot.mac ?? '?'}`;
  if (path.hops.at(-1)?.host !== honeypot.host)
    return `the path ends on ${path.hops.at(-1)?.host ?? '?'}, not on the honeypot's host ${honeypot.host}`;
  return null;
}

describe('compiled tables agree with the reference semantics (property)', () => {
  it(`gives the reference outcome (permitted, dropped, redirected to X) for random policies, inventories and packets (${RUNS} runs)`, () => {
    Object.assign(counts, { compared: 0, redirected: 0 });
    fc.assert(
      fc.property(scenarioArbitrary({ dualHomed: true }), (s) => {
        const disagreement = firstDisagreement(s);
        if (disagreement) throw new Error(disagreement);
      }),
      { numRuns: RUNS },
    );
    console.info(
      `compiler-vs-reference: ${counts.compared} compared (${counts.redirected} redirected)`,
    );
    expect(counts.compared).toBeGreaterThan(RUNS * 10);
    expect(counts.redirected).toBeGreaterThan(RUNS / 2);
  });
});
