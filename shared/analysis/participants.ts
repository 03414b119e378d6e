import type { Inventory, Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { WorkloadAddresses } from './endpoints';

/** The workloads of an inventory that take part in enforcement, and their addresses filed (worked out when first asked). */
export class Participants {
  private filed?: WorkloadAddresses;

  constructor(readonly workloads: readonly Workload[]) {}

  get addresses(): WorkloadAddresses {
    return (this.filed ??= new WorkloadAddresses(this.workloads));
  }
}

/**
 * Per workload list. Inventories are replaced, never edited in place (each source publishes a
 * new one, and the stores swap it), as loaded tables are, so a list seen before still holds
 * the same workloads; at 50,000 workloads, filtering and filing them took about 20 ms of every
 * comparison.
 */
const byList = new WeakMap<readonly Workload[], Participants>();

/** The participants of an inventory, worked out once per workload list. */
export function participantsOf(inventory: Inventory): Participants {
  let participants = byList.get(inventory.workloads);
  if (!participants) byList.set(inventory.workloads, (participants = new Participants(inventory.workloads.filter(takesPart))));
  return participants;
}
