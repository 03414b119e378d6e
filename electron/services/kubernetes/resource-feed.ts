import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../logger';

/**
 * The client's Watch, asking the server for BOOKMARK events. ListWatch does not ask by itself;
 * with bookmarks a watch that ends cleanly resumes from a recent resourceVersion instead of
 * one old enough to have expired (which would cost a full list). It also ends its requests on
 * `abort()`: ListWatch.stop() misses a watch whose response headers have not arrived yet.
 */
class BookmarkingWatch extends Watch {
  private readonly requests = new Set<AbortController>();
  private aborted = false;

  override async watch(...[path, query, callback, done]: Parameters<Watch['watch']>): ReturnType<Watch['watch']> {
    // ListWatch asks for its next watch after an awaited list without looking whether it was
    // stopped meanwhile: open none then (the kubeconfig's files may be gone by now, too).
    if (this.aborted) return abortedRequest();
    const request = await super.watch(path, { ...query, allowWatchBookmarks: true }, callback, (error: unknown) => {
      // Runs before `request` exists when the connection is refused; the set holds it only later.
      for (const r of this.requests) if (r.signal.aborted) this.requests.delete(r);
      done(error);
    });
    if (this.aborted) request.abort();
    else this.requests.add(request);
    return request;
  }

  abort(): void {
    this.aborted = true;
    for (const request of this.requests) request.abort();
    this.requests.clear();
  }
}

function abortedRequest(): AbortController {
  const request = new AbortController();
  request.abort();
  return request;
}

export type FeedState = 'syncing' | 'live' | 'failed';

export interface FeedListener<T> {
  /** An object was added, changed or deleted in the cache the feed reads from. */
  changed(object: T): void;
  /** A full list arrived and replaced the cache: derive everything again. */
  synced(): void;
  failed(error: unknown): void;
}

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

/**
 * One collection (pods, nodes, …) listed and then watched through the client's ListWatch,
 * which resumes clean watch ends from the last resourceVersion and lists again on 410 Gone.
 * Any other failure stops that informer; after a backoff a new one lists afresh. Until the new
 * one has listed, lookups keep reading the old cache, so the picture never empties meanwhile.
 */
export class ResourceFeed<T extends KubernetesObject> {
  private current: ListWatch<T> | undefined;
  private pending: ListWatch<T> | undefined;
  private readonly watches = new Map<ListWatch<T>, BookmarkingWatch>();
  private retry: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private closed = false;
  state: FeedState = 'syncing';

  constructor(
    readonly path: string,
    private readonly config: KubeConfig,
    private readonly list: () => Promise<KubernetesListObject<T>>,
    private readonly listener: FeedListener<T>,
    private readonly backoff: Backoff,
    private readonly log: Logger,
  ) {}

  start(): void {
    const watch = new BookmarkingWatch(this.config);
    const informer: ListWatch<T> = new ListWatch<T>(this.path, watch, () => this.listed(informer), false);
    this.watches.set(informer, watch);
    this.pending = informer;
    this.state = 'syncing';
    const changed = (object: T): void => {
      if (informer === this.current) this.listener.changed(object);
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (error: unknown) => this.fail(informer, error));
    informer.start().catch((error: unknown) => this.fail(informer, error));
  }

  get(name: string, namespace?: string): T | undefined {
    return this.current?.get(name, namespace);
  }

  items(namespace?: string): readonly T[] {
    return this.current?.list(namespace) ?? [];
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    for (const informer of [this.current, this.pending]) if (informer) this.stop(informer);
  }

  private stop(informer: ListWatch<T>): void {
    void informer.stop();
    this.watches.get(informer)?.abort();
    this.watches.delete(informer);
  }

  /** Wraps the list call: once the informer has filled its cache from it, it becomes the one read. */
  private async listed(informer: ListWatch<T>): Promise<KubernetesListObject<T>> {
    const result = await this.list();
    // ListWatch fills its cache right after this promise settles, within the same tick.
    setImmediate(() => {
      if (this.closed || informer !== this.pending && informer !== this.current) return;
      if (informer === this.pending) {
        if (this.current && this.current !== informer) this.stop(this.current);
        this.current = informer;
        this.pending = undefined;
      }
      this.failures = 0;
      this.state = 'live';
      this.listener.synced();
    });
    return result;
  }

  private fail(informer: ListWatch<T>, error: unknown): void {
    if (this.closed || (informer !== this.current && informer !== this.pending)) return;
    this.stop(informer);
    if (informer === this.pending) this.pending = undefined;
    this.state = 'failed';
    const delay = Math.min(this.backoff.firstMs * 2 ** this.failures, this.backoff.maxMs);
    this.failures += 1;
    this.log.warn('watch failed; retrying', { path: this.path, retryMs: delay, error: error instanceof Error ? error.message : String(error) });
    this.listener.failed(error);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.start(), delay);
  }
}
