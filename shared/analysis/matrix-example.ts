import { isMemberPair, type CellServices, type MatrixMembers } from './matrix-grid';
import type { Interval } from './service-set';

/** A connection the Trace tab can send: to a port for TCP, UDP and SCTP; for ICMP an echo request of the pair's family. */
export type TracedService = { protocol: 'tcp' | 'udp' | 'sctp'; port: number } | { protocol: 'icmp' };

/** What a trace of a cell's example must show: one of the services the cell names, and the verdict the cell gives it. */
export interface ExampleGoal {
  service: TracedService;
  verdict: 'permitted' | 'redirected' | 'dropped';
}

export interface NamedPair {
  from: string;
  to: string;
}

/** The result of looking for an example: a member pair whose trace shows the goal, or how many were tried in vain. */
export type ExampleSearch =
  { found: true; pair: NamedPair; tried: number } | { found: false; tried: number; first: NamedPair | undefined };

/** Member pairs traced at most when a cell is looked at: each is a simulation on the node side. */
export const EXAMPLE_TRACE_LIMIT = 48;

/** Pairs of members looked at at most while gathering those to trace: cheap checks, but a cell can have millions. */
const PAIR_SCAN_LIMIT = 1_000_000;

const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

/** ICMP echo requests, the only ICMP the Trace tab sends (IPv4, IPv6). */
const ECHO_REQUESTS = [8, 128];

/**
 * The service a cell's example shows and what a trace of it must say: one every member pair may
 * open, else one only some may (permitted for the example), else one sent to a honeypot
 * (redirected), else tcp/80, dropped, to see what blocks it. Only services the Trace tab can
 * send are taken. Deterministic.
 */
export function exampleGoal(cell: CellServices): ExampleGoal {
  const choices = [
    [cell.always, 'permitted'],
    [cell.sometimes, 'permitted'],
    [cell.redirected, 'redirected'],
  ] as const;
  for (const [set, verdict] of choices) {
    for (const protocol of PORT_PROTOCOLS) {
      const port = firstPort(set[protocol]);
      if (port !== undefined) return { service: { protocol, port }, verdict };
    }
    if (ECHO_REQUESTS.some((type) => holds(set.icmp, type))) return { service: { protocol: 'icmp' }, verdict };
  }
  return { service: { protocol: 'tcp', port: 80 }, verdict: 'dropped' };
}

/**
 * Up to `limit` distinct member pairs of cell (row, column), named as the Trace tab reads
 * names, in an order that varies both ends: round r pairs the i-th source with the
 * ((i + r) mod n)-th destination, so the first pairs tried have different sources and
 * different destinations (when only some members open a service, they are found sooner than
 * by walking one source's pairs first). The first is the first member pair in endpoint order
 * whenever the first source and destination make one. Deterministic.
 */
export function pairsToTry(members: MatrixMembers, row: number, column: number, limit: number): NamedPair[] {
  const sources = members.byGroup[row]!;
  const destinations = members.byGroup[column]!;
  const pairs: NamedPair[] = [];
  const seen = new Set<string>();
  let scanned = 0;
  for (let round = 0; round < destinations.length; round++)
    for (let i = 0; i < sources.length; i++) {
      if (pairs.length >= limit || ++scanned > PAIR_SCAN_LIMIT) return pairs;
      const a = sources[i]!;
      const b = destinations[(i + round) % destinations.length]!;
      if (!isMemberPair(members, a, b)) continue;
      // The addresses of one workload share its name, which the trace reads as one end.
      const pair = { from: members.labels[a]!, to: members.labels[b]! };
      const key = `${pair.from}\n${pair.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push(pair);
    }
  return pairs;
}

/**
 * The first of `pairs` whose trace (`verdictOf`, asked one pair at a time, in order) gives the
 * goal's verdict; otherwise how many were tried. A failing `verdictOf` rejects the search.
 */
export async function findExample(
  pairs: readonly NamedPair[],
  goal: ExampleGoal,
  verdictOf: (pair: NamedPair) => Promise<ExampleGoal['verdict']>,
): Promise<ExampleSearch> {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    if ((await verdictOf(pair)) === goal.verdict) return { found: true, pair, tried: i + 1 };
  }
  return { found: false, tried: pairs.length, first: pairs[0] };
}

/** How the Trace tab and the cell name a service: `tcp/443`, `icmp`. */
export function tracedServiceText(service: TracedService): string {
  return service.protocol === 'icmp' ? 'icmp' : `${service.protocol}/${service.port}`;
}

/** The first port of a set's intervals that is a service anyone opens (not 0). */
function firstPort(intervals: readonly Interval[]): number | undefined {
  const interval = intervals.find(([, to]) => to >= 1);
  return interval ? Math.max(1, interval[0]) : undefined;
}

function holds(intervals: readonly Interval[], value: number): boolean {
  return intervals.some(([from, to]) => from <= value && value <= to);
}
