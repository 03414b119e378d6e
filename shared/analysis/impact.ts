import type { Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import type { Policy } from '../policy/model';
import type { HostFlowTables } from '../simulator/path';
import { resolveMembership } from '../policy/membership';
import type { AddressBits } from '../simulator/address-bits';
import { addressKey } from '../simulator/table-index';
import { matrixEndpoints, type MatrixEndpoint } from './endpoints';
import { FlowSignatures } from './flow-signatures';
import { endpointLabel, ReachabilityAnalysis } from './matrix';
import type { PairReach } from './reach';
import { isEmptyServiceSet, NO_SERVICES, subtractServices, unionServices, type ServiceSet } from './service-set';

/** One side of a comparison: a policy and the tables that enforce it (compiled, or read back from the switches). */
export interface ImpactSide {
  policy: Policy;
  tables: HostFlowTables;
}

/** What a change does to the connections from one group to another. */
export interface ImpactEntry {
  /**
   * Group names (of the newer policy where the address is in one, else of the older);
   * `(no group) NAME` for a workload in none, `(outside)` for an address of no workload.
   */
  from: string;
  to: string;
  newlyPermitted: ServiceSet;
  newlyBlocked: ServiceSet;
  /** Services now sent to a honeypot (or to another one than before). */
  newlyRedirected: ServiceSet;
  /** Services no longer sent to the honeypot they went to. */
  noLongerRedirected: ServiceSet;
  /** Address pairs whose reach changed. */
  pairs: number;
  /** One of them, to trace: `web-1 → app-2`. */
  example: { from: string; to: string };
}

export interface ChangeImpact {
  entries: ImpactEntry[];
  stats: { endpoints: number; classes: number; classPairs: number; simulations: number };
}

type Changes = Pick<ImpactEntry, 'newlyPermitted' | 'newlyBlocked' | 'newlyRedirected' | 'noLongerRedirected'>;

/**
 * The connections a change newly permits, blocks and redirects, exactly: addresses (the
 * workloads', and stand-ins for every stretch of outside address space the tables tell apart)
 * are classed by what both table sets can tell apart, every pair of classes is reached through
 * both, and the differences are reported per group pair and service. Deterministic: entries
 * sorted by group pair.
 */
export function changeImpact(before: ImpactSide, after: ImpactSide, inventory: Inventory): ChangeImpact {
  const was = new FlowSignatures(before.tables);
  const now = new FlowSignatures(after.tables);
  const endpoints = impactEndpoints(before.policy, after.policy, inventory, [was, now]);
  const older = new ReachabilityAnalysis(before.tables, was, [was, now], endpoints, inventory);
  const newer = new ReachabilityAnalysis(after.tables, now, [was, now], endpoints, inventory);
  const byPair = new Map<string, ImpactEntry>();
  let classPairs = 0;

  for (const a of newer.classes)
    for (const b of newer.classes) {
      if (a.members[0]!.address.family !== b.members[0]!.address.family) continue;
      if (a === b && a.members.length < 2) continue;
      classPairs++;
      const [src, dst] = a === b ? [a.members[0]!, a.members[1]!] : [a.members[0]!, b.members[0]!];
      const changes = changesBetween(older.reach(src, dst), newer.reach(src, dst));
      if (!changes) continue;
      for (const s of a.members)
        for (const d of b.members) {
          if (s === d) continue;
          for (const from of namesOf(s))
            for (const to of namesOf(d)) {
              const key = `${from}\u0000${to}`;
              const entry = byPair.get(key);
              if (entry) {
                entry.newlyPermitted = unionServices(entry.newlyPermitted, changes.newlyPermitted);
                entry.newlyBlocked = unionServices(entry.newlyBlocked, changes.newlyBlocked);
                entry.newlyRedirected = unionServices(entry.newlyRedirected, changes.newlyRedirected);
                entry.noLongerRedirected = unionServices(entry.noLongerRedirected, changes.noLongerRedirected);
                entry.pairs++;
              } else byPair.set(key, { from, to, ...changes, pairs: 1, example: { from: endpointLabel(s), to: endpointLabel(d) } });
            }
        }
    }

  return {
    entries: [...byPair.values()].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to)),
    stats: { endpoints: newer.endpoints.length, classes: newer.classes.length, classPairs, simulations: older.simulations + newer.simulations },
  };
}

/** What changed between two reaches of one pair, or null when nothing did; a new honeypot counts as both. */
function changesBetween(before: PairReach, after: PairReach): Changes | null {
  const targets = new Set([...before.redirected, ...after.redirected].map((r) => r.to));
  const redirectedTo = (reach: PairReach, to: string): ServiceSet => reach.redirected.find((r) => r.to === to)?.services ?? NO_SERVICES;
  let newlyRedirected = NO_SERVICES;
  let noLongerRedirected = NO_SERVICES;
  for (const to of targets) {
    newlyRedirected = unionServices(newlyRedirected, subtractServices(redirectedTo(after, to), redirectedTo(before, to)));
    noLongerRedirected = unionServices(noLongerRedirected, subtractServices(redirectedTo(before, to), redirectedTo(after, to)));
  }
  const changes: Changes = {
    newlyPermitted: subtractServices(after.permitted, before.permitted),
    newlyBlocked: subtractServices(before.permitted, after.permitted),
    newlyRedirected,
    noLongerRedirected,
  };
  return Object.values(changes).every(isEmptyServiceSet) ? null : changes;
}

/**
 * Every address either side's groups or tables call for, once, named by the newer policy's
 * groups, or the older's for an address the newer puts in none (a group that was removed).
 */
function impactEndpoints(before: Policy, after: Policy, inventory: Inventory, signatures: readonly FlowSignatures[]): MatrixEndpoint[] {
  const prefixes = signatures.flatMap((s) => s.prefixMasks());
  const named = (a: AddressBits): boolean => signatures.some((s) => s.namesExactly(a));
  const workloads = inventory.workloads.filter(takesPart);
  const newer = matrixEndpoints(workloads, resolveMembership(after, workloads), prefixes, named, { outside: true });
  const older = matrixEndpoints(workloads, resolveMembership(before, workloads), prefixes, named, { outside: true });
  const byAddress = new Map(newer.map((e) => [addressKey(e.address), e]));
  for (const e of older) {
    const same = byAddress.get(addressKey(e.address));
    if (!same) byAddress.set(addressKey(e.address), e);
    else if (same.groups.length === 0) same.groups = e.groups;
  }
  return [...byAddress.values()];
}

function namesOf(endpoint: MatrixEndpoint): string[] {
  if (endpoint.groups.length > 0) return endpoint.groups;
  return [endpoint.workload ? `(no group) ${endpointLabel(endpoint)}` : '(outside)'];
}

