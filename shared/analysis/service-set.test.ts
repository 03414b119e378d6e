import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatServices, icmpValue, intersectServices, listServices, NO_SERVICES, SERVICE_DOMAIN, serviceSetOf, subtractServices, unionServices, type Interval, type ServiceSet } from './service-set';

// Users' report: narrowing an edge from `tcp` to `tcp/5432` said the pair newly blocks
// `tcp/0-5431, tcp/5433-65535`, and port 0 read as a fault of the tool.

describe('services written for people', () => {
  const allBut = (lacked: Parameters<typeof serviceSetOf>[0]) => subtractServices(SERVICE_DOMAIN, serviceSetOf(lacked));
  /** Every ICMP message but those of the runs, each run given as its first and last (type, code). */
  const allIcmpBut = (...bounds: [number, number][]) => {
    const runs: Interval[] = [];
    for (let i = 0; i < bounds.length; i += 2) runs.push([icmpValue(...bounds[i]!), icmpValue(...bounds[i + 1]!)]);
    return subtractServices(serviceSetOf({ icmp: SERVICE_DOMAIN.icmp }), serviceSetOf({ icmp: runs }));
  };

  it('writes a protocol by what it lacks when that takes fewer runs', () => {
    expect(formatServices(serviceSetOf({ tcp: [[0, 5431], [5433, 65535]] }))).toBe('tcp except 5432');
    expect(formatServices(serviceSetOf({ udp: [[0, 52], [54, 122], [124, 65535]] }))).toBe('udp except 53 and 123');
    expect(formatServices(serviceSetOf({ sctp: [[0, 2904], [2906, 3867], [3869, 9999], [10001, 65535]] }))).toBe('sctp except 2905, 3868 and 10000');
    expect(formatServices(serviceSetOf({ tcp: [[0, 7999], [8081, 65535]] }))).toBe('tcp except 8000-8080');
    expect(formatServices(allIcmpBut([8, 0], [8, 255]))).toBe('icmp except type 8');
    expect(formatServices(allIcmpBut([3, 0], [3, 255], [8, 0], [8, 255]))).toBe('icmp except types 3 and 8');
    expect(formatServices(allIcmpBut([133, 0], [136, 255]))).toBe('icmp except types 133-136');
    expect(formatServices(allIcmpBut([3, 4], [3, 4]))).toBe('icmp except type 3 code 4');
    expect(formatServices(allIcmpBut([3, 0], [3, 4], [8, 0], [8, 255]))).toBe('icmp except type 3 codes 0-4 and type 8');
    expect(formatServices(subtractServices(serviceSetOf({ other: SERVICE_DOMAIN.other }), serviceSetOf({ other: [[47, 47]] })))).toBe('other IP protocols except 47');
  });

  it('keeps the runs it holds when they are as few as those it lacks, or fewer', () => {
    expect(formatServices(serviceSetOf({ tcp: [[1, 65535]] }))).toBe('tcp/1-65535');
    expect(formatServices(serviceSetOf({ tcp: [[0, 79]] }))).toBe('tcp/0-79');
    expect(formatServices(serviceSetOf({ tcp: [[80, 80], [443, 443]] }))).toBe('tcp/80, tcp/443');
    expect(formatServices(serviceSetOf({ tcp: [[53, 53]], udp: [[53, 53]] }))).toBe('tcp/53, udp/53');
    expect(formatServices(serviceSetOf({ tcp: [[0, 5431], [5433, 65535]], udp: [[53, 53]] }))).toBe('tcp except 5432, udp/53');
  });

  it('writes the whole set by what it lacks when that is shorter and needs no except of its own', () => {
    expect(formatServices(allBut({ tcp: [[5432, 5432]] }))).toBe('any except tcp/5432');
    expect(formatServices(allBut({ tcp: [[22, 22]], udp: SERVICE_DOMAIN.udp }))).toBe('any except tcp/22, udp');
    expect(formatServices(allBut({ icmp: [[icmpValue(8, 0), icmpValue(8, 255)]], other: [[47, 47]] }))).toBe('any except icmp/8, ip proto 47');
    // Lacking all of TCP but one port: `any except tcp except 5432` would read as nonsense.
    expect(formatServices(allBut({ tcp: [[0, 5431], [5433, 65535]] }))).toBe('tcp/5432, udp, sctp, icmp, other IP protocols');
    // Three protocols held whole against two lacked whole.
    expect(formatServices(allBut({ tcp: SERVICE_DOMAIN.tcp, udp: SERVICE_DOMAIN.udp }))).toBe('any except tcp, udp');
    expect(formatServices(serviceSetOf({ tcp: SERVICE_DOMAIN.tcp, udp: SERVICE_DOMAIN.udp }))).toBe('tcp, udp');
    expect([formatServices(SERVICE_DOMAIN), formatServices(NO_SERVICES)]).toEqual(['any', 'none']);
  });

  it('writes ICMP messages as the policy names them: whole types, or codes of one type', () => {
    const icmp = (...runs: [number, number][]) => formatServices(serviceSetOf({ icmp: runs }));
    expect(icmp([icmpValue(8, 0), icmpValue(8, 255)])).toBe('icmp/8');
    expect(icmp([icmpValue(0, 0), icmpValue(8, 255)])).toBe('icmp/0-8');
    expect(icmp([icmpValue(3, 4), icmpValue(3, 4)])).toBe('icmp/3/4');
    expect(icmp([icmpValue(3, 0), icmpValue(3, 4)])).toBe('icmp/3/0-4');
    // A run that starts and ends inside types: the codes of the first, the whole types between, the codes of the last.
    expect(icmp([icmpValue(3, 4), icmpValue(8, 0)])).toBe('icmp/3/4-255, icmp/4-7, icmp/8/0');
    expect(listServices(serviceSetOf({ icmp: [[icmpValue(0, 0), icmpValue(3, 3)]] }))).toBe('icmp/0-2, icmp/3/0-3');
  });

  it('lists the runs one by one for readers that split them (the matrix CSV)', () => {
    expect(listServices(serviceSetOf({ tcp: [[0, 5431], [5433, 65535]] }))).toBe('tcp/0-5431, tcp/5433-65535');
    expect(listServices(allBut({ tcp: [[5432, 5432]] }))).toBe('tcp/0-5431, tcp/5433-65535, udp, sctp, icmp, other IP protocols');
    expect([listServices(SERVICE_DOMAIN), listServices(NO_SERVICES)]).toEqual(['any', 'none']);
  });
});

describe('service set algebra (property)', () => {
  // Runs within the first 64 TCP ports, so each set can be checked port by port.
  const runs = fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 3 })).map(([from, length]): Interval => [from, Math.min(63, from + length)]), { maxLength: 24 });
  const ports = (set: ServiceSet): number[] => set.tcp.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
  const portsOf = (list: readonly Interval[]): Set<number> => new Set(ports(serviceSetOf({ tcp: list })));

  it('unites, intersects and subtracts sets of many runs as sets of ports do', () => {
    fc.assert(
      fc.property(runs, runs, (a, b) => {
        const [inA, inB] = [portsOf(a), portsOf(b)];
        const [setA, setB] = [serviceSetOf({ tcp: a }), serviceSetOf({ tcp: b })];
        const all = Array.from({ length: 64 }, (_, i) => i);
        expect(ports(subtractServices(setA, setB))).toEqual(all.filter((p) => inA.has(p) && !inB.has(p)));
        expect(ports(intersectServices(setA, setB))).toEqual(all.filter((p) => inA.has(p) && inB.has(p)));
        expect(ports(unionServices(setA, setB))).toEqual(all.filter((p) => inA.has(p) || inB.has(p)));
        // Each result is as a set is kept: sorted runs, neither overlapping nor touching.
        for (const result of [subtractServices(setA, setB), intersectServices(setA, setB)])
          result.tcp.forEach(([from, to], i) => {
            expect(from).toBeLessThanOrEqual(to);
            if (i > 0) expect(from).toBeGreaterThan(result.tcp[i - 1]![1] + 1);
          });
      }),
      { numRuns: 500 },
    );
  });
});
