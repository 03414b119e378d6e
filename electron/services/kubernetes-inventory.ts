import type { InventoryChange, InventoryLoad } from '@shared/api/contract';
import { kubeconfigForContext } from './kubernetes-contexts';
import { DEFAULT_SOURCE_OPTIONS, KubernetesSource, type KubernetesSourceOptions } from './kubernetes/kubernetes-source';
import type { Logger } from './logger';

/**
 * The Kubernetes contexts the user has open, each kept live until it is closed. Opening an
 * open context again answers from its current picture; every change is handed to `publish`.
 */
export class KubernetesInventory {
  private readonly open = new Map<string, Promise<KubernetesSource>>();

  constructor(
    private readonly publish: (change: InventoryChange) => void,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly options: KubernetesSourceOptions = DEFAULT_SOURCE_OPTIONS,
  ) {}

  async load(context: string, sourceId: string): Promise<InventoryLoad> {
    let opening = this.open.get(context);
    if (!opening) {
      opening = this.start(context, sourceId);
      this.open.set(context, opening);
      // A failed open is forgotten, so that the next attempt tries again.
      opening.catch(() => this.open.delete(context));
    }
    const source = await opening;
    const snapshot = source.current();
    if (!snapshot) throw new Error(`Kubernetes context "${context}" has no picture after opening; this is a bug.`);
    const { inventory, hosts, ...live } = snapshot;
    // What the credentials do not let it read is said beside the source, as a file's warnings are.
    return { sourceId, inventory, diagnostics: source.warnings, hosts, live, cluster: { server: clusterOf(source.ref.server), ...(source.namespace !== undefined ? { namespace: source.namespace } : {}) } };
  }

  async close(context: string): Promise<void> {
    const opening = this.open.get(context);
    this.open.delete(context);
    const source = await opening?.catch(() => undefined);
    source?.close();
    if (source) this.log.info('kubernetes source closed', { context });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((context) => this.close(context)));
  }

  private async start(context: string, sourceId: string): Promise<KubernetesSource> {
    const config = kubeconfigForContext(context, this.env);
    const server = config.getCurrentCluster()?.server ?? '';
    const source = await KubernetesSource.open({ context, server }, config, this.log, this.options);
    let status = 'live';
    source.onChange((snapshot) => {
      if (snapshot.status !== status) {
        if (snapshot.status === 'stale') this.log.warn('kubernetes source stale', { context, reason: snapshot.message });
        else this.log.info('kubernetes source live again', { context });
        status = snapshot.status;
      }
      this.publish({ sourceId, ...snapshot });
    });
    this.log.info('kubernetes source live', { context, server, namespace: source.namespace ?? 'all', pods: source.current()?.inventory.workloads.length });
    for (const warning of source.warnings) this.log.warn('kubernetes source limited', { context, code: warning.code });
    return source;
  }
}

/**
 * One spelling of an API server's URL, so that two contexts of one cluster are seen as one:
 * `https://API.example:443/` and `https://api.example` are the same server. Text that is no URL is kept as it is.
 */
export function clusterOf(server: string): string {
  try {
    const url = new URL(server);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return server;
  }
}
