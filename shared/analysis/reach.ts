import type { AddressBits } from '../simulator/address-bits';
import { addressBits } from '../simulator/address-bits';
import type { HopOutcome, HostReach, Segment, Segments } from './host-reach';
import { SERVICE_DOMAIN, SERVICE_PROTOCOLS, serviceSetOf, type Interval, type ServiceProtocol, type ServiceSet } from './service-set';

/** One end of a connection: an address and the host whose switch it sits behind (none: outside). */
export interface ReachEnd {
  address: AddressBits;
  host?: string;
}

/** Which services a source may open to a destination, end to end through every switch on the way. */
export interface PairReach {
  /** Connections that reach the destination. */
  permitted: ServiceSet;
  /** Connections a switch sends to a honeypot instead, by honeypot address. */
  redirected: { to: string; services: ServiceSet }[];
}

/** Mirrors simulatePath: no real path needs more hops, a longer one is a redirect loop and drops. */
const MAX_HOPS = 8;

/**
 * End-to-end reach for every service at once: the source's switch, then the destination's
 * (or, after a redirect, the honeypot's), as simulatePath walks one packet, but over the
 * per-switch segments of HostReach so each run of ports is decided by one simulation.
 * `hostOf` maps canonical address text to its host, as addressHosts builds it.
 */
export function pairReach(hostReach: HostReach, hostOf: Pick<ReadonlyMap<string, string>, 'get'>, src: ReachEnd, dst: ReachEnd): PairReach {
  // A path meets each switch once or twice, for every protocol: ask HostReach once per switch.
  const visited: { host: string; dst: AddressBits; segments: Segments }[] = [];
  const segmentsAt = (host: string, dstAddress: AddressBits): Segments => {
    const known = visited.find((v) => v.host === host && v.dst === dstAddress);
    if (known) return known.segments;
    const segments = hostReach.at(host, src.address, dstAddress);
    visited.push({ host, dst: dstAddress, segments });
    return segments;
  };
  return reachThrough(segmentsAt, hostOf, src, dst);
}

/**
 * pairReach over segments from anywhere: `segmentsAt(host, destination)` is what `host` does
 * with the source's connections to `destination` (the real one, or a honeypot after a redirect).
 */
export function reachThrough(segmentsAt: (host: string, dst: AddressBits) => Segments, hostOf: Pick<ReadonlyMap<string, string>, 'get'>, src: ReachEnd, dst: ReachEnd): PairReach {
  const first = src.host ?? dst.host;
  const redirected = new Map<string, Partial<Record<ServiceProtocol, Interval[]>>>();
  const permitted: Partial<Record<ServiceProtocol, Interval[]>> = {};
  const add = (into: Partial<Record<ServiceProtocol, Interval[]>>, protocol: ServiceProtocol, from: number, to: number): void => {
    (into[protocol] ??= []).push([from, to]);
  };

  // Neither end is behind one of our switches: nothing enforces the policy.
  if (first === undefined) return { permitted: SERVICE_DOMAIN, redirected: [] };
  const honeypotParts = (to: string): Partial<Record<ServiceProtocol, Interval[]>> => {
    let parts = redirected.get(to);
    if (!parts) redirected.set(to, (parts = {}));
    return parts;
  };

  const walk = (protocol: ServiceProtocol, host: string, dstAddress: AddressBits, dstHost: string | undefined, redirectedTo: string | undefined, from: number, to: number, hops: number): void => {
    if (hops >= MAX_HOPS) return;
    for (const segment of clip(segmentsAt(host, dstAddress)[protocol], from, to)) {
      const outcome: HopOutcome = segment.outcome;
      if (outcome.kind === 'dropped') continue;
      if (outcome.kind === 'redirected') {
        const honeypot = addressBits(outcome.to);
        const honeypotHost = hostOf.get(outcome.to);
        if (honeypot && honeypotHost !== undefined && honeypotHost !== host)
          walk(protocol, honeypotHost, honeypot, honeypotHost, outcome.to, segment.from, segment.to, hops + 1);
        else add(honeypotParts(outcome.to), protocol, segment.from, segment.to);
        continue;
      }
      if (dstHost !== undefined && dstHost !== host) walk(protocol, dstHost, dstAddress, dstHost, redirectedTo, segment.from, segment.to, hops + 1);
      else if (redirectedTo !== undefined) add(honeypotParts(redirectedTo), protocol, segment.from, segment.to);
      else add(permitted, protocol, segment.from, segment.to);
    }
  };
  for (const protocol of SERVICE_PROTOCOLS) walk(protocol, first, dst.address, dst.host, undefined, 0, Number.MAX_SAFE_INTEGER, 0);
  return {
    permitted: serviceSetOf(permitted),
    redirected: [...redirected.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([to, parts]) => ({ to, services: serviceSetOf(parts) })),
  };
}

/**
 * The segments' parts within from..to. Segments come in port order and do not overlap (see
 * HostReach), so the first one reaching `from` is found by halving: an edge of thousands of
 * ports gives thousands of segments on each switch, each clipped against the other's.
 */
function clip(segments: readonly Segment[], from: number, to: number): Segment[] {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (segments[middle]!.to < from) low = middle + 1;
    else high = middle;
  }
  const out: Segment[] = [];
  for (let i = low; i < segments.length && segments[i]!.from <= to; i++) {
    const s = segments[i]!;
    out.push({ from: Math.max(s.from, from), to: Math.min(s.to, to), outcome: s.outcome });
  }
  return out;
}
