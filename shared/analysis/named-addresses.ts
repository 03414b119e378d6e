import type { AddressBits, AddressMask } from '../simulator/address-bits';
import type { FlowAction, FlowMatch, SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import { isExactMask } from '../simulator/table-index';

const ADDRESS_FIELDS = ['nwSrc', 'nwDst', 'ipv6Src', 'ipv6Dst'] as const;

/**
 * The addresses a set of tables names: one by one (workloads, resolvers, honeypots), as
 * prefixes, and as redirect targets. The matrix and the impact carve outside address space at
 * the prefixes and keep stand-ins off the addresses named one by one; the impact follows
 * redirects. Flows are added table by table or one by one (the flows a change adds to tables
 * already added); addresses are kept as numbers per family, since printing a key for each of
 * a large table's addresses costs more than the pass itself.
 */
export class NamedAddresses {
  private readonly exact = { 4: new Set<bigint>(), 6: new Set<bigint>() };
  private readonly prefixes = new Map<string, AddressMask>();
  /** Destinations of `ct(commit,nat(dst=…))`. */
  readonly redirectTargets: AddressBits[] = [];
  /**
   * Matches and action lists already read: tables loaded from a compile share them between flows
   * and hosts (CompiledFlowReader), so a large estate's million flows hold far fewer of each.
   */
  private readonly seenMatches = new WeakSet<FlowMatch>();
  private readonly seenActions = new WeakSet<FlowAction[]>();

  /** Every flow of these tables. */
  addTables(tables: HostFlowTables): this {
    for (const byTable of tables.values()) for (const flows of byTable.values()) this.addFlows(flows);
    return this;
  }

  addFlows(flows: Iterable<SimFlow>): this {
    for (const { match, actions } of flows) {
      if (!this.seenMatches.has(match)) {
        this.seenMatches.add(match);
        for (const field of ADDRESS_FIELDS) {
          const mask = match[field];
          if (!mask) continue;
          if (isExactMask(mask)) this.exact[mask.family].add(mask.value);
          else this.prefixes.set(`${mask.family}/${mask.value}/${mask.mask}`, mask);
        }
      }
      if (this.seenActions.has(actions)) continue;
      this.seenActions.add(actions);
      for (const action of actions) if (action.kind === 'ct' && action.nat?.dst) this.redirectTargets.push(action.nat.dst);
    }
    return this;
  }

  /** Whether some flow matches this one address exactly. */
  namesExactly(address: AddressBits): boolean {
    return this.exact[address.family].has(address.value);
  }

  /** Every address some flow matches exactly, once. */
  exactAddresses(): AddressBits[] {
    return ([4, 6] as const).flatMap((family) => [...this.exact[family]].map((value) => ({ family, value })));
  }

  /** Every prefix (not single-address) match in the tables, once. */
  prefixMasks(): AddressMask[] {
    return [...this.prefixes.values()];
  }
}
