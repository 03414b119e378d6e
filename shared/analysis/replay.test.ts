import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { icmpOpensConnection } from '../net/icmp-requests';
import { compilePolicy } from '../compiler/compile';
import type { Inventory } from '../inventory/model';
import type { Policy } from '../policy/model';
import { resolveEndpoints, withinOneEndProblem } from '../simulator/endpoints';
import { addressHosts, loadHostTables, simulatePath } from '../simulator/path';
import { scenarioArbitrary } from '../simulator/testing/random-scenario';
import { replayConnections, type ObservedConnection } from './replay';

describe('replayConnections (property)', () => {
  it('counts each line as simulatePath judges it, lines repeated and protocols mixed', () => {
    let lines = 0;
    fc.assert(
      fc.property(scenarioArbitrary(), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 40 }), (s, counts) => {
        const tables = loadHostTables(compilePolicy(s.policy, s.inventory).hosts);
        const hostOf = addressHosts(s.inventory.workloads);
        // Each probe of the scenario as a log line, some twice: a log repeats its connections.
        const probes = s.probes.filter((p) => p.protocol === 'tcp' || p.protocol === 'udp' || p.protocol === 'sctp' || p.protocol === 'icmp');
        const log: ObservedConnection[] = counts.map((count, i) => {
          const p = probes[i % Math.max(1, probes.length)];
          if (!p) return { from: '203.0.113.1', to: '203.0.113.2', protocol: 'tcp', port: 80, count, line: i + 2 };
          const port = p.protocol === 'icmp' ? (p.icmpType ?? 8) : (p.dstPort ?? 80);
          return { from: p.from.address, to: p.to.address, protocol: p.protocol as ObservedConnection['protocol'], port, count, line: i + 2 };
        });
        const expected = { connections: 0, permitted: 0, dropped: 0, redirected: 0, withinOneEnd: 0 };
        for (const c of log) {
          const ends = resolveEndpoints(s.inventory, c.from, c.to);
          if (!ends.ok) continue;
          lines++;
          // An ICMP reply or error opens no connection: left out with a warning (MS705).
          if (c.protocol === 'icmp' && !icmpOpensConnection(ends.from.end.address.includes(':') ? 6 : 4, c.port)) continue;
          // As trace refuses it: no switch sees a connection within one end.
          if (withinOneEndProblem(s.inventory, { from: ends.from.end, to: ends.to.end })) {
            expected.withinOneEnd += c.count;
            continue;
          }
          const probe = c.protocol === 'icmp' ? { protocol: 'icmp' as const, icmpType: c.port, icmpCode: 0 } : { protocol: c.protocol, srcPort: 49152, dstPort: c.port };
          const path = simulatePath(tables, ends.from.end, ends.to.end, probe, 'new', { hostOf });
          expected.connections += c.count;
          expected[path.verdict === 'permitted' ? 'permitted' : path.verdict === 'redirected' ? 'redirected' : 'dropped'] += c.count;
        }
        const result = replayConnections(s.policy, s.inventory, tables, log, 'log.csv');
        expect({ connections: result.connections, permitted: result.permitted, dropped: result.dropped, redirected: result.redirected, withinOneEnd: result.withinOneEnd }).toEqual(expected);
        expect(result.entries.reduce((sum, e) => sum + e.connections, 0)).toBe(result.dropped + result.redirected);
      }),
      { numRuns: 120 },
    );
    expect(lines).toBeGreaterThan(500);
  }, 60_000);
});

describe('replayConnections and ICMP', () => {
  it('leaves out a line of an ICMP reply or error, which opens no connection, with a warning at its line', () => {
    const inventory: Inventory = {
      readAt: '2026-01-01T00:00:00Z',
      workloads: ['10.0.0.1', '10.0.0.2'].map((address, i) => ({ id: `s/w${i}`, name: `w${i}`, host: 'h1', addresses: [address], labels: {}, origin: { kind: 'static', source: 's' } })),
    };
    const policy: Policy = { apiVersion: 'microseg.dev/v1', name: 't', revision: 1, defaults: { withinGroup: 'allow', betweenGroups: 'monitor' }, groups: [], edges: [] };
    const tables = loadHostTables(compilePolicy(policy, inventory).hosts);
    const line = (port: number, at: number): ObservedConnection => ({ from: 'w0', to: 'w1', protocol: 'icmp', port, count: 2, line: at });
    const result = replayConnections(policy, inventory, tables, [line(8, 2), line(0, 3), line(3, 4)], 'log.csv');
    expect([result.connections, result.permitted, result.linesLeftOut]).toEqual([2, 2, 2]);
    expect(result.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['MS705', 3], ['MS705', 4]]);
    expect(result.diagnostics[0]!.message).toBe('ICMP type 0 is a reply or an error, which opens no connection (it passes with the connection it answers, and alone the switch drops it); the line is left out');
  });
});

describe('replayConnections totals', () => {
  const inventory: Inventory = {
    readAt: '2026-01-01T00:00:00Z',
    workloads: ['10.0.0.1', '10.0.0.2'].map((address, i) => ({
      id: `s/w${i}`,
      name: `w${i}`,
      host: 'h1',
      addresses: [address],
      labels: { tier: 'web' },
      origin: { kind: 'static', source: 's' },
    })),
  };
  const policy: Policy = {
    apiVersion: 'microseg.dev/v1',
    name: 't',
    revision: 1,
    defaults: { withinGroup: 'allow', betweenGroups: 'drop' },
    groups: [{ name: 'web', selector: { labels: 'tier=web' } }],
    edges: [],
  };
  const tables = loadHostTables(compilePolicy(policy, inventory).hosts);
  // Odd counts: their sums past 2^53 are no longer whole numbers a double can hold.
  const count = 999_999_999_999;
  const lines = (n: number): ObservedConnection[] =>
    Array.from({ length: n }, (_, i) => ({ from: 'w0', to: 'w1', protocol: 'tcp', port: 80, count, line: i + 2 }));

  it('stay exact: a log whose connections would pass 2^53 - 1 is cut at the line that would, which is named', () => {
    // 9,007 lines add up to 9,006,999,999,990,993; the 9,008th (line 9,009) would pass 9,007,199,254,740,991.
    const result = replayConnections(policy, inventory, tables, lines(9_010), 'log.csv');
    expect(result.connections).toBe(9_006_999_999_990_993);
    expect(result.permitted).toBe(result.connections);
    expect(result.diagnostics).toEqual([
      {
        code: 'MS704',
        severity: 'error',
        message:
          'count: with this line the connections would add up past 9,007,199,254,740,991, more than are counted exactly; this line and the 2 after it are left out (replay the log in parts)',
        location: { file: 'log.csv', line: 9_009, path: 'count' },
      },
    ]);
    expect(result.linesLeftOut).toBe(3);
  });

  it('count every line left out, those an unknown end leaves out too', () => {
    const unknown = (line: number): ObservedConnection => ({ from: 'w0', to: 'nobody', protocol: 'tcp', port: 80, count: 1, line });
    const log = [unknown(2), ...lines(9_010).map((c) => ({ ...c, line: c.line + 1 })), unknown(9_013)];
    const result = replayConnections(policy, inventory, tables, log, 'log.csv');
    expect(result.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['MS703', 2], ['MS704', 9_010]]);
    // The unknown end on line 2, and the lines 9,010 to 9,013.
    expect(result.linesLeftOut).toBe(1 + 4);
  });

  // QA's defect: a line from a workload to itself counted as dropped, and `replay` exited 1,
  // though no switch sees such a connection and `trace` refuses it.
  it('count apart the connections within one end: a workload to itself, by name or address, or to a workload sharing its address', () => {
    const sharing: Inventory = { ...inventory, workloads: [...inventory.workloads, { ...inventory.workloads[0]!, id: 's/twin', name: 'twin' }] };
    const log: ObservedConnection[] = [
      { from: 'w0', to: 'w0', protocol: 'tcp', port: 5432, count: 2, line: 2 },
      { from: 'w0', to: '10.0.0.1', protocol: 'udp', port: 53, count: 1, line: 3 },
      { from: 'twin', to: 'w0', protocol: 'tcp', port: 22, count: 4, line: 4 },
      { from: 'w0', to: 'w1', protocol: 'tcp', port: 80, count: 1, line: 5 },
    ];
    const result = replayConnections(policy, sharing, loadHostTables(compilePolicy(policy, sharing).hosts), log, 'log.csv');
    expect(result).toMatchObject({ connections: 1, permitted: 1, dropped: 0, redirected: 0, withinOneEnd: 7, entries: [], diagnostics: [], linesLeftOut: 0 });
  });

  it('replay a log just below the bound whole', () => {
    const result = replayConnections(policy, inventory, tables, lines(9_007), 'log.csv');
    expect([result.connections, result.diagnostics, result.linesLeftOut]).toEqual([9_006_999_999_990_993, [], 0]);
  });
});
