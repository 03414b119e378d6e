import type { Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import type { Policy } from '../policy/model';
import type { HostFlowTables } from '../simulator/path';
import { resolveMembership } from '../policy/membership';
import type { AddressBits } from '../simulator/address-bits';
import { addressKey } from '../simulator/table-index';
import { matrixEndpoints, type MatrixEndpoint } from './endpoints';
import { FlowSignatures } from './flow-signatures';
import { ReachabilityAnalysis } from './matrix';
import { isEmptyServiceSet, NO_SERVICES, serviceSetsEqual, subtractServices, unionServices, type ServiceSet } from './service-set';

/** One side of a comparison: a policy and the tables that enforce it (compiled, or read back from the switches). */
export interface ImpactSide {
  policy: Policy;
  tables: HostFlowTables;
}

/** What a change does to the connections from one group to another. */
export interface ImpactEntry {
  /** Group names (of the newer policy where the address is in one, else of the older); a workload's name or an address when in none. */
  from: string;
  to: string;
  newlyPermitted: ServiceSet;
  newlyBlocked: ServiceSet;
  /** Address pairs whose reach changed. */
  pairs: number;
  /** One of them, to trace: `web-1 → app-2`. */
  example: { from: string; to: string };
}

export interface ChangeImpact {
  entries: ImpactEntry[];
  stats: { endpoints: number; classes: number; classPairs: number; simulations: number };
}

/**
 * The connections a change newly permits and newly blocks, exactly: addresses are classed by
 * what both table sets can tell apart, every pair of classes is reached through both, and the
 * differences are reported per group pair and service. A connection sent to a honeypot counts
 * as blocked (it never reaches its destination). Deterministic: entries sorted by group pair.
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
      const reachBefore = older.reach(src, dst).permitted;
      const reachAfter = newer.reach(src, dst).permitted;
      if (serviceSetsEqual(reachBefore, reachAfter)) continue;
      const permitted = subtractServices(reachAfter, reachBefore);
      const blocked = subtractServices(reachBefore, reachAfter);
      for (const s of a.members)
        for (const d of b.members) {
          if (s === d) continue;
          for (const from of namesOf(s))
            for (const to of namesOf(d)) {
              const key = `${from}\u0000${to}`;
              const entry = byPair.get(key);
              if (entry) {
                entry.newlyPermitted = unionServices(entry.newlyPermitted, permitted);
                entry.newlyBlocked = unionServices(entry.newlyBlocked, blocked);
                entry.pairs++;
              } else byPair.set(key, { from, to, newlyPermitted: permitted, newlyBlocked: blocked, pairs: 1, example: { from: labelOf(s), to: labelOf(d) } });
            }
        }
    }

  return {
    entries: [...byPair.values()].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to)),
    stats: { endpoints: newer.endpoints.length, classes: newer.classes.length, classPairs, simulations: older.simulations + newer.simulations },
  };
}

/** True when the change permits or blocks nothing. */
export function impactIsEmpty(impact: ChangeImpact): boolean {
  return impact.entries.every((e) => isEmptyServiceSet(e.newlyPermitted) && isEmptyServiceSet(e.newlyBlocked));
}

/** Every connection permitted or blocked by a change, merged over entries (for a one-line summary). */
export function impactTotals(impact: ChangeImpact): { permitted: ServiceSet; blocked: ServiceSet } {
  let permitted = NO_SERVICES;
  let blocked = NO_SERVICES;
  for (const e of impact.entries) {
    permitted = unionServices(permitted, e.newlyPermitted);
    blocked = unionServices(blocked, e.newlyBlocked);
  }
  return { permitted, blocked };
}

/**
 * Every address either side's groups or tables call for, once, named by the newer policy's
 * groups, or the older's for an address the newer puts in none (a group that was removed).
 */
function impactEndpoints(before: Policy, after: Policy, inventory: Inventory, signatures: readonly FlowSignatures[]): MatrixEndpoint[] {
  const prefixes = signatures.flatMap((s) => s.prefixMasks());
  const named = (a: AddressBits): boolean => signatures.some((s) => s.namesExactly(a));
  const workloads = inventory.workloads.filter(takesPart);
  const newer = matrixEndpoints(workloads, resolveMembership(after, workloads), prefixes, named);
  const older = matrixEndpoints(workloads, resolveMembership(before, workloads), prefixes, named);
  const byAddress = new Map(newer.map((e) => [addressKey(e.address), e]));
  for (const e of older) {
    const same = byAddress.get(addressKey(e.address));
    if (!same) byAddress.set(addressKey(e.address), e);
    else if (same.groups.length === 0) same.groups = e.groups;
  }
  return [...byAddress.values()];
}

function namesOf(endpoint: MatrixEndpoint): string[] {
  return endpoint.groups.length > 0 ? endpoint.groups : [labelOf(endpoint)];
}

function labelOf(endpoint: MatrixEndpoint): string {
  return endpoint.workload?.name ?? endpoint.text;
}

