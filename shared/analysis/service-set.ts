/**
 * Sets of services as exact interval lists per protocol: destination ports for TCP, UDP and
 * SCTP, ICMP types, and the numbers of every other IP protocol. The reachability matrix and
 * the impact of a change are sets like these, so they can be compared, united and subtracted
 * without sampling.
 */

export const SERVICE_PROTOCOLS = ['tcp', 'udp', 'sctp', 'icmp', 'other'] as const;
export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[number];

/** Inclusive `[from, to]`. */
export type Interval = readonly [number, number];

/** Sorted, disjoint, non-adjacent intervals per protocol. */
export type ServiceSet = Readonly<Record<ServiceProtocol, readonly Interval[]>>;

/** IP protocol numbers that have their own row: ICMP, TCP, UDP, ICMPv6, SCTP. */
const NAMED_IP_PROTOCOLS = [1, 6, 17, 58, 132];

/** Everything each protocol can carry: ports 0–65535, ICMP types 0–255, the other IP protocols. */
export const SERVICE_DOMAIN: ServiceSet = {
  tcp: [[0, 65535]],
  udp: [[0, 65535]],
  sctp: [[0, 65535]],
  icmp: [[0, 255]],
  other: complementWithin([[0, 255]], NAMED_IP_PROTOCOLS.map((n): Interval => [n, n])),
};

export const NO_SERVICES: ServiceSet = { tcp: [], udp: [], sctp: [], icmp: [], other: [] };

export function isEmptyServiceSet(set: ServiceSet): boolean {
  return SERVICE_PROTOCOLS.every((p) => set[p].length === 0);
}

export function serviceSetsEqual(a: ServiceSet, b: ServiceSet): boolean {
  return SERVICE_PROTOCOLS.every((p) => intervalsEqual(a[p], b[p]));
}

export function unionServices(a: ServiceSet, b: ServiceSet): ServiceSet {
  return mapProtocols((p) => normalise([...a[p], ...b[p]]));
}

export function intersectServices(a: ServiceSet, b: ServiceSet): ServiceSet {
  return mapProtocols((p) => intersect(a[p], b[p]));
}

export function subtractServices(a: ServiceSet, b: ServiceSet): ServiceSet {
  return mapProtocols((p) => complementWithin(a[p], b[p]));
}

/** Builds a set from intervals given in any order, overlapping or adjacent. */
export function serviceSetOf(parts: Partial<Record<ServiceProtocol, readonly Interval[]>>): ServiceSet {
  return mapProtocols((p) => normalise(parts[p] ?? []));
}

/**
 * Reads as the policy file writes services where it can (`any`, or `tcp/80`, `tcp/8000-8060`,
 * `udp`, `icmp`, `icmp/8`), and beyond it where the tables tell apart what no policy file names
 * (`ip proto 47`, `other IP protocols`, port 0 as in `tcp/0-79`; the README lists the same),
 * comma-separated; `none` for the empty set. A set that holds most
 * of what it could is written by what it lacks: `tcp except 5432`, `icmp except types 3 and 8`,
 * `other IP protocols except 47`, `any except tcp/5432`, so narrowing `tcp` to `tcp/5432` does
 * not block `tcp/0-5431, tcp/5433-65535` (port 0 there read as a fault). The rule: a protocol
 * takes `except` when the runs it lacks are fewer than those it holds (a tie keeps the runs
 * held, which say plainly what is in the set); the whole set takes `any except` when what it
 * lacks is written in fewer runs than what it holds (a whole protocol counting as one), and
 * none of that needs an `except` itself. Deterministic. listServices gives the runs as they are.
 */
export function formatServices(set: ServiceSet): string {
  if (isEmptyServiceSet(set)) return 'none';
  if (serviceSetsEqual(set, SERVICE_DOMAIN)) return 'any';
  const held = writtenParts(set);
  const lacked = writtenParts(subtractServices(SERVICE_DOMAIN, set));
  if (runsOf(lacked) < runsOf(held) && lacked.every((part) => !part.except)) return `any except ${lacked.map((part) => part.text).join(', ')}`;
  return held.map((part) => part.text).join(', ');
}

/**
 * The set run by run, as formatServices wrote it before it took `except`: `tcp/0-5431,
 * tcp/5433-65535`. For the matrix's CSV, whose cells scripts may split at the commas.
 */
export function listServices(set: ServiceSet): string {
  if (serviceSetsEqual(set, SERVICE_DOMAIN)) return 'any';
  const parts = SERVICE_PROTOCOLS.flatMap((protocol) => {
    const intervals = set[protocol];
    return intervals.length === 0 ? [] : intervalsEqual(intervals, SERVICE_DOMAIN[protocol]) ? [PROTOCOL_NAMES[protocol]] : listedRuns(protocol, intervals);
  });
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** A protocol as one part of a written set; `runs`: how many numbers or ranges it names (a whole protocol: one). */
interface WrittenPart {
  text: string;
  runs: number;
  except: boolean;
}

const PROTOCOL_NAMES: Record<ServiceProtocol, string> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', other: 'other IP protocols' };

/** Each protocol the set holds, written by what it holds or, when shorter, by what it lacks. */
function writtenParts(set: ServiceSet): WrittenPart[] {
  return SERVICE_PROTOCOLS.flatMap((protocol): WrittenPart[] => {
    const held = set[protocol];
    if (held.length === 0) return [];
    if (intervalsEqual(held, SERVICE_DOMAIN[protocol])) return [{ text: PROTOCOL_NAMES[protocol], runs: 1, except: false }];
    const lacked = complementWithin(SERVICE_DOMAIN[protocol], held);
    if (lacked.length < held.length) {
      const noun = protocol !== 'icmp' ? '' : lacked.length === 1 && lacked[0]![0] === lacked[0]![1] ? 'type ' : 'types ';
      return [{ text: `${PROTOCOL_NAMES[protocol]} except ${noun}${inWords(lacked.map(runText))}`, runs: lacked.length, except: true }];
    }
    return [{ text: listedRuns(protocol, held).join(', '), runs: held.length, except: false }];
  });
}

function listedRuns(protocol: ServiceProtocol, intervals: readonly Interval[]): string[] {
  const prefix = protocol === 'other' ? 'ip proto ' : `${protocol}/`;
  return intervals.map((run) => `${prefix}${runText(run)}`);
}

function runText([from, to]: Interval): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

function runsOf(parts: readonly WrittenPart[]): number {
  return parts.reduce((sum, part) => sum + part.runs, 0);
}

/** `22`, `22 and 5432`, `22, 80 and 5432`. */
function inWords(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** How many ports, types and protocol numbers the set holds, for a heat map's shading. */
export function serviceCount(set: ServiceSet): number {
  let count = 0;
  for (const protocol of SERVICE_PROTOCOLS) for (const [from, to] of set[protocol]) count += to - from + 1;
  return count;
}

function mapProtocols(f: (p: ServiceProtocol) => readonly Interval[]): ServiceSet {
  return { tcp: f('tcp'), udp: f('udp'), sctp: f('sctp'), icmp: f('icmp'), other: f('other') };
}

function normalise(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i]![0], b[j]![0]);
    const to = Math.min(a[i]![1], b[j]![1]);
    if (from <= to) out.push([from, to]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`; both normalised, so one pass over each: sets of thousands of runs are common. */
function complementWithin(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const [from, to] of a) {
    // Runs of b that end before this run of a end before every later one too.
    while (j < b.length && b[j]![1] < from) j++;
    let start = from;
    for (let k = j; k < b.length && b[k]![0] <= to; k++) {
      const [bFrom, bTo] = b[k]!;
      if (bFrom > start) out.push([start, bFrom - 1]);
      start = Math.max(start, bTo + 1);
    }
    if (start <= to) out.push([start, to]);
  }
  return out;
}

function intervalsEqual(a: readonly Interval[], b: readonly Interval[]): boolean {
  return a.length === b.length && a.every(([from, to], i) => b[i]![0] === from && b[i]![1] === to);
}
