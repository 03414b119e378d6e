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
 * Reads as the policy file writes services: `any`, or `tcp/80`, `tcp/8000-8060`, `udp`,
 * `icmp type 8`, `ip proto 47`, comma-separated; `none` for the empty set.
 */
export function formatServices(set: ServiceSet): string {
  if (serviceSetsEqual(set, SERVICE_DOMAIN)) return 'any';
  const parts: string[] = [];
  for (const protocol of SERVICE_PROTOCOLS) {
    const intervals = set[protocol];
    if (intervals.length === 0) continue;
    if (intervalsEqual(intervals, SERVICE_DOMAIN[protocol])) {
      parts.push(protocol === 'other' ? 'other IP protocols' : protocol);
      continue;
    }
    const prefix = protocol === 'icmp' ? 'icmp type ' : protocol === 'other' ? 'ip proto ' : `${protocol}/`;
    for (const [from, to] of intervals) parts.push(`${prefix}${from === to ? from : `${from}-${to}`}`);
  }
  return parts.length === 0 ? 'none' : parts.join(', ');
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

/** `a` minus `b`; both normalised. */
function complementWithin(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [from, to] of a) {
    let start = from;
    for (const [bFrom, bTo] of b) {
      if (bTo < start || bFrom > to) continue;
      if (bFrom > start) out.push([start, bFrom - 1]);
      start = Math.max(start, bTo + 1);
      if (start > to) break;
    }
    if (start <= to) out.push([start, to]);
  }
  return out;
}

function intervalsEqual(a: readonly Interval[], b: readonly Interval[]): boolean {
  return a.length === b.length && a.every(([from, to], i) => b[i]![0] === from && b[i]![1] === to);
}
