/** An open source as far as the cluster it reads goes. */
export interface ClusterReading {
  sourceId: string;
  /** The cluster a Kubernetes source reads (InventoryLoad.cluster); null for any other source, or one not read yet. */
  cluster: string | null;
  inventory: object | null;
}

/**
 * For each open source that reads a cluster an earlier one (in the order they were opened)
 * reads already, with workloads, that source's id. Two contexts of one cluster read the same
 * pods: listed under both, every pod would be a workload twice, each address shared (MS205) and
 * each rule compiled twice. So the first lists them, the others none until it is closed.
 */
export function listedUnder(open: readonly ClusterReading[]): Map<string, string> {
  const lister = new Map<string, string>();
  const under = new Map<string, string>();
  for (const source of open) {
    if (source.cluster === null || source.inventory === null) continue;
    const first = lister.get(source.cluster);
    if (first === undefined) lister.set(source.cluster, source.sourceId);
    else under.set(source.sourceId, first);
  }
  return under;
}
