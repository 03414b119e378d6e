import type { ClusterReach } from '@shared/api/contract';

/** An open source as far as the cluster it reads goes. */
export interface ClusterReading {
  sourceId: string;
  /** What of a cluster a Kubernetes source reads (InventoryLoad.cluster); null for any other source, or one not read yet. */
  cluster: ClusterReach | null;
  inventory: object | null;
}

/**
 * For each open source whose pods another open source lists already, that other source's id.
 * Two contexts of one cluster read the same pods: listed under both, every pod would be a
 * workload twice, each address shared (MS205) and each rule compiled twice. So among the
 * sources reading a whole cluster the first opened lists it; a source limited to one namespace
 * lists nothing while a source reading the whole cluster is open (whichever was opened first,
 * since the whole reading holds its pods), nor while an earlier one reads the same namespace.
 */
export function listedUnder(open: readonly ClusterReading[]): Map<string, string> {
  const read = open.filter((s): s is ClusterReading & { cluster: ClusterReach } => s.cluster !== null && s.inventory !== null);
  const whole = new Map<string, string>();
  for (const source of read) if (source.cluster.namespace === undefined && !whole.has(source.cluster.server)) whole.set(source.cluster.server, source.sourceId);

  const oneNamespace = new Map<string, string>();
  const under = new Map<string, string>();
  for (const { sourceId, cluster } of read) {
    const wholeLister = whole.get(cluster.server);
    if (cluster.namespace === undefined) {
      if (wholeLister !== sourceId) under.set(sourceId, wholeLister!);
      continue;
    }
    const key = `${cluster.server} ${cluster.namespace}`;
    const lister = wholeLister ?? oneNamespace.get(key);
    if (lister === undefined) oneNamespace.set(key, sourceId);
    else under.set(sourceId, lister);
  }
  return under;
}
