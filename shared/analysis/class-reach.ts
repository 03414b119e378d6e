import type { Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { resolveMembership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { addressHosts, type HostFlowTables } from '../simulator/path';
import { matrixEndpoints, type MatrixEndpoint } from './endpoints';
import { FlowSignatures } from './flow-signatures';
import { HostReach } from './host-reach';
import { NamedAddresses } from './named-addresses';
import { pairReach, type PairReach } from './reach';
import { withoutPortGuards } from '../simulator/port-guards';

interface EndpointClass {
  id: number;
  members: MatrixEndpoint[];
}

/**
 * The reachability of one set of compiled tables between any two addresses: addresses sorted
 * into classes the flows cannot tell apart, and each pair of classes reached once (per run of
 * ports) when first asked. The impact of a change compares two of these class by class; the
 * group matrix counts instead (matrix.ts), which needs no pair it cannot count.
 */
export class ReachabilityAnalysis {
  readonly endpoints: MatrixEndpoint[];
  readonly classes: EndpointClass[];
  private readonly classOf = new Map<MatrixEndpoint, EndpointClass>();
  private readonly hostReach: HostReach;
  private readonly hostOf: Map<string, string>;
  private readonly memo = new Map<number, PairReach>();

  /**
   * `classing` lists every table set whose distinctions the classes must respect (for an
   * impact comparison, both sides, in the same order for both analyses); `own` is the one this
   * analysis simulates, and must be among them.
   */
  constructor(tables: HostFlowTables, own: FlowSignatures, classing: readonly FlowSignatures[], endpoints: MatrixEndpoint[], inventory: Inventory) {
    this.endpoints = endpoints;
    this.hostReach = new HostReach(tables, own);
    this.hostOf = addressHosts(inventory.workloads);
    const byKey = new Map<string, EndpointClass>();
    this.classes = [];
    for (const endpoint of endpoints) {
      const key = classing.map((s) => s.classOf(endpoint.address, endpoint.host)).join('#');
      let c = byKey.get(key);
      if (!c) {
        c = { id: this.classes.length, members: [] };
        byKey.set(key, c);
        this.classes.push(c);
      }
      c.members.push(endpoint);
      this.classOf.set(endpoint, c);
    }
  }

  /** The analysis of one policy's tables, with the endpoints its groups and the tables call for. */
  static of(policy: Policy, inventory: Inventory, tablesAsGiven: HostFlowTables): ReachabilityAnalysis {
    // Connections between workloads, sent from their own addresses: a spoof guard changes none.
    const tables = withoutPortGuards(tablesAsGiven);
    const signatures = new FlowSignatures(tables);
    // As in the compiler: a workload without a host or an address is in no group and no table.
    const workloads = inventory.workloads.filter(takesPart);
    const named = new NamedAddresses().addTables(tables);
    const endpoints = matrixEndpoints(workloads, resolveMembership(policy, workloads), named);
    return new ReachabilityAnalysis(tables, signatures, [signatures], endpoints, inventory);
  }

  get simulations(): number {
    return this.hostReach.simulations;
  }

  /** Reach between two endpoints; equal for every pair drawn from the same two classes. */
  reach(src: MatrixEndpoint, dst: MatrixEndpoint): PairReach {
    return this.classReach(this.classOf.get(src)!, this.classOf.get(dst)!);
  }

  classReach(a: EndpointClass, b: EndpointClass): PairReach {
    const key = a.id * this.classes.length + b.id;
    let reach = this.memo.get(key);
    if (!reach) {
      const [src, dst] = a === b ? [a.members[0]!, a.members[1]!] : [a.members[0]!, b.members[0]!];
      reach = pairReach(this.hostReach, this.hostOf, src, dst);
      this.memo.set(key, reach);
    }
    return reach;
  }

  classOfEndpoint(endpoint: MatrixEndpoint): EndpointClass {
    return this.classOf.get(endpoint)!;
  }

  get classPairs(): number {
    return this.memo.size;
  }
}

