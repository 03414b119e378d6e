import type { PairReach } from './reach';
import { intersectServices, isEmptyServiceSet, NO_SERVICES, subtractServices, unionServices, type ServiceSet } from './service-set';

/** Services sent to one honeypot before and to another one now (honeypot addresses, or names once named). */
export interface HoneypotSwap {
  from: string;
  to: string;
  services: ServiceSet;
}

/**
 * What changed for the connections of one address pair, by what each service did before and
 * does now: reach the destination, go to a honeypot, or be dropped.
 */
export interface ReachChanges {
  /** Now reach the destination, and did not. */
  newlyPermitted: ServiceSet;
  /** Reached the destination and now do not (dropped, or sent to a honeypot), or went to a honeypot and are now dropped. */
  newlyBlocked: ServiceSet;
  /** Now sent to a honeypot, and were sent to none. */
  newlyRedirected: ServiceSet;
  /** Were sent to a honeypot, and now to none. */
  noLongerRedirected: ServiceSet;
  /** Still sent to a honeypot, but to another one; sorted by the honeypots. */
  honeypotChanged: HoneypotSwap[];
}

/** What changed between two reaches of one pair, or null when nothing did. */
export function changesBetween(before: PairReach, after: PairReach): ReachChanges | null {
  const wasRedirected = redirectedAtAll(before);
  const isRedirected = redirectedAtAll(after);
  const honeypotChanged: HoneypotSwap[] = [];
  for (const was of before.redirected)
    for (const now of after.redirected) {
      if (was.to === now.to) continue;
      const services = intersectServices(was.services, now.services);
      if (!isEmptyServiceSet(services)) honeypotChanged.push({ from: was.to, to: now.to, services });
    }

  const changes: ReachChanges = {
    newlyPermitted: subtractServices(after.permitted, before.permitted),
    // Redirected then dropped is blocked too: a honeypot answered, now nothing does.
    newlyBlocked: unionServices(subtractServices(before.permitted, after.permitted), subtractServices(wasRedirected, unionServices(after.permitted, isRedirected))),
    newlyRedirected: subtractServices(isRedirected, wasRedirected),
    noLongerRedirected: subtractServices(wasRedirected, isRedirected),
    honeypotChanged,
  };
  const { honeypotChanged: swaps, ...sets } = changes;
  return swaps.length === 0 && Object.values(sets).every(isEmptyServiceSet) ? null : changes;
}

/** Two sets of changes as one, as a group pair gathers its address pairs'. */
export function mergeChanges(a: ReachChanges, b: ReachChanges): ReachChanges {
  return {
    newlyPermitted: unionServices(a.newlyPermitted, b.newlyPermitted),
    newlyBlocked: unionServices(a.newlyBlocked, b.newlyBlocked),
    newlyRedirected: unionServices(a.newlyRedirected, b.newlyRedirected),
    noLongerRedirected: unionServices(a.noLongerRedirected, b.noLongerRedirected),
    honeypotChanged: mergeSwaps(a.honeypotChanged, b.honeypotChanged),
  };
}

/** One swap per pair of honeypots, sorted by them; most pairs swap none, and cost nothing here. */
function mergeSwaps(a: HoneypotSwap[], b: HoneypotSwap[]): HoneypotSwap[] {
  if (b.length === 0) return a;
  const swaps = new Map<string, HoneypotSwap>();
  for (const swap of [...a, ...b]) {
    const key = `${swap.from}\u0000${swap.to}`;
    const known = swaps.get(key);
    swaps.set(key, known ? { ...known, services: unionServices(known.services, swap.services) } : swap);
  }
  return [...swaps.values()].sort(bySwappedHoneypots);
}

/** Swaps in the order a group pair lists them: by the honeypot left, then the one sent to. */
export function bySwappedHoneypots(x: HoneypotSwap, y: HoneypotSwap): number {
  return x.from.localeCompare(y.from) || x.to.localeCompare(y.to);
}

function redirectedAtAll(reach: PairReach): ServiceSet {
  return reach.redirected.reduce((all, r) => unionServices(all, r.services), NO_SERVICES);
}
