import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { InventoryLoad, InventorySourceInfo } from '@shared/api/contract';
import { formatDiagnostic } from '@shared/diagnostics';
import { listDockerContexts } from './docker-contexts';
import { readDockerInventory } from './docker-inventory';
import { parseInventoryText } from './inventory-file';
import { kubeconfigContents, kubeconfigFiles, unreadableKubeconfigMessage, unreadableKubeconfigs } from './kubernetes-contexts';
import type { KubernetesInventory } from './kubernetes-inventory';
import type { Logger } from './logger';
import { readTextFile } from './project-files';
import { ServiceError } from './service-error';

/** Lists and reads the places workloads come from: Docker and Kubernetes contexts, static inventory files. */
export class InventoryService {
  constructor(
    private readonly examplesDir: string,
    private readonly kubernetes: KubernetesInventory,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async sources(): Promise<InventorySourceInfo[]> {
    const docker = (await listDockerContexts()).map((c): InventorySourceInfo => ({
      id: `docker:${c.name}`,
      kind: 'docker',
      name: `Docker: ${c.name}`,
      endpoint: c.host,
      current: c.current,
    }));
    const kubernetes = this.kubernetesSources();
    const examples = await this.exampleInventories();
    return [...docker, ...kubernetes, ...examples.map((path): InventorySourceInfo => ({ id: `static:${path}`, kind: 'static', name: `File: ${path.split('/').slice(-2).join('/')}`, endpoint: path, current: false }))];
  }

  /** Loads one source; `static:PATH` may name any inventory file, not only listed ones. */
  async load(sourceId: string): Promise<InventoryLoad> {
    const started = performance.now();
    const [kind, ...rest] = sourceId.split(':');
    const ref = rest.join(':');
    const result =
      kind === 'docker'
        ? await this.loadDocker(ref, sourceId)
        : kind === 'kubernetes'
          ? await this.kubernetes.load(ref, sourceId)
          : kind === 'static'
            ? await this.loadStatic(ref, sourceId)
            : kind === 'kubeconfig'
              ? this.loadKubeconfigFile(ref)
              : undefined;
    if (!result) throw new ServiceError('bad-request', `Unknown inventory source "${sourceId}"; expected docker:CONTEXT, kubernetes:CONTEXT or static:PATH.`);
    this.log.info('inventory loaded', { source: sourceId, workloads: result.inventory.workloads.length, ms: Math.round(performance.now() - started) });
    return result;
  }

  /** Stops watching a Kubernetes source; Docker and file sources hold nothing open. */
  async close(sourceId: string): Promise<void> {
    if (sourceId.startsWith('kubernetes:')) await this.kubernetes.close(sourceId.slice('kubernetes:'.length));
  }

  async shutdown(): Promise<void> {
    await this.kubernetes.closeAll();
  }

  /**
   * Contexts as `kubectl config get-contexts` lists them. A kubeconfig file that cannot be read is
   * listed too, with its reason, as a source that fails with the reason when opened; a new window
   * opens it and says so at once (see InventorySourceInfo.unreadable): its contexts are missing,
   * and nothing else would tell. It is never current: that is the context kubectl would use.
   */
  private kubernetesSources(): InventorySourceInfo[] {
    const { contexts: found, unreadable: unread } = kubeconfigContents(this.env);
    const contexts = found.map((c): InventorySourceInfo => ({
      id: `kubernetes:${c.name}`,
      kind: 'kubernetes',
      name: `Kubernetes: ${c.name}`,
      endpoint: c.server,
      current: c.current,
    }));
    const unreadable = [...unread].map(([file, reason]): InventorySourceInfo => {
      this.log.warn('kubeconfig file unreadable; its contexts are not listed', { file, reason });
      return { id: `kubeconfig:${file}`, kind: 'kubernetes', name: `Kubernetes: kubeconfig ${basename(file)}`, endpoint: file, current: false, unreadable: reason };
    });
    return [...contexts, ...unreadable];
  }

  /** The reason a kubeconfig file listed as unreadable cannot be read; once it can, where its contexts are. */
  private loadKubeconfigFile(file: string): never {
    const reason = unreadableKubeconfigs(this.env).get(file);
    if (reason) throw new ServiceError('bad-request', unreadableKubeconfigMessage(file, reason));
    const now = kubeconfigFiles(this.env).includes(file) ? 'reads now: its contexts are listed under Open a source' : 'is no longer in KUBECONFIG';
    throw new ServiceError('not-found', `The kubeconfig file ${file} ${now}; close this line.`);
  }

  private async loadDocker(contextName: string, sourceId: string): Promise<InventoryLoad> {
    const context = (await listDockerContexts()).find((c) => c.name === contextName);
    if (!context) throw new ServiceError('not-found', `There is no Docker context "${contextName}"; \`docker context ls\` lists the ones that exist.`);
    return { sourceId, inventory: await readDockerInventory(context), diagnostics: [] };
  }

  private async loadStatic(path: string, sourceId: string): Promise<InventoryLoad> {
    const { path: full, text } = await readTextFile(path);
    const parsed = parseInventoryText(text, full, new Date().toISOString());
    if (!parsed.inventory) {
      throw new ServiceError('bad-request', `Inventory file ${full} has errors, so nothing of this read is used; fix them (below) and read it again.`, parsed.diagnostics.map(formatDiagnostic).join('\n'));
    }
    return { sourceId, inventory: parsed.inventory, diagnostics: parsed.diagnostics };
  }

  private async exampleInventories(): Promise<string[]> {
    const names = await readdir(this.examplesDir).catch(() => [] as string[]);
    return names.sort().map((n) => join(this.examplesDir, n, 'inventory.yaml'));
  }
}
