import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { refusal, type DoubleUser, type NamespaceBinding, type Verb } from './access';
import { DOUBLE_CONTEXTS, writeKubeconfig } from './kubeconfig';
import { ObjectStore } from './object-store';
import { jobObject, namespaceObject, networkPolicyObject, nodeObject, podObject, replicaSetObject, type KubeObject, type NetworkPolicySpecInput, type PodSpecInput } from './objects';
import { createPki, type DoublePki } from './pki';
import { resourceOfKind, routeOf, type CollectionRoute, type ResourceType } from './resources';
import { bookmarkObject, eventLine, listBody, sendStatus, statusObject } from './wire';

/** A request the double answered, for tests that check what the client asked. */
export interface SeenRequest {
  resource: string;
  /** The namespace of a namespaced path (`/api/v1/namespaces/shop/pods`); absent for a cluster-wide one. */
  namespace?: string;
  /** The object a get names (`/api/v1/namespaces/shop`), or the one a list or watch selects by `metadata.name`. */
  name?: string;
  verb: Verb;
  /** Refused with 403 Forbidden by the access rule (access.ts). */
  forbidden: boolean;
  watch: boolean;
  resourceVersion: string | null;
  allowWatchBookmarks: boolean;
  /** performance.now() when a list response's last byte was handed to the socket. */
  finishedAt?: number;
}

interface OpenWatch {
  resource: ResourceType;
  /** Only this namespace's events, for a watch on a namespaced path. */
  namespace?: string;
  /** Only this object's events, for a watch selecting one by `metadata.name`. */
  name?: string;
  res: ServerResponse;
  bookmarks: boolean;
}

export interface KubeApiDoubleOptions {
  /** How an expired resourceVersion is refused: an ERROR event in a 200 stream (as the watch
   * cache does) or a plain 410 response. */
  expiry?: 'event' | 'status';
  /** Context the kubeconfig names as current. */
  currentContext?: string;
  /** The one namespace `namespaceToken` may read (`shop` unless told). */
  readableNamespace?: string;
  /**
   * What `namespaceToken`'s bindings grant besides that namespace's collections (access.ts):
   * a RoleBinding of `view` unless told (it may get its namespace object, not list or watch
   * it), and no ClusterRoleBinding naming the namespace.
   */
  namespaceUser?: Partial<Pick<NamespaceBinding, 'role' | 'namespaceByName'>>;
}

/**
 * A Kubernetes API server double over real HTTPS: its own CA made at start, bearer-token and
 * client-certificate authentication, and the real list and watch wire format for pods,
 * namespaces, nodes, replicasets, jobs and networkpolicies, cluster-wide and (namespaced ones)
 * per namespace, selected by `fieldSelector=metadata.name=NAME` if asked, with bookmarks,
 * expiry (410) and disconnects; and a cluster-scoped object by name (`/api/v1/namespaces/shop`).
 * Besides the admin token and certificate, it knows a token bound to one namespace and one
 * bound to nothing, refused with 403 Status bodies as RBAC refuses them (access.ts).
 * It listens on 127.0.0.1 only. Tests drive it through the methods below.
 */
export class KubeApiDouble {
  readonly store = new ObjectStore();
  readonly requests: SeenRequest[] = [];
  readonly token = randomBytes(18).toString('base64url');
  /** May list and watch the namespaced collections of `readableNamespace` only, and (as `namespaceUser` says) get or watch that namespace. */
  readonly namespaceToken = randomBytes(18).toString('base64url');
  /** Authenticated, but may read nothing. */
  readonly noAccessToken = randomBytes(18).toString('base64url');
  readonly readableNamespace: string;
  readonly contexts = DOUBLE_CONTEXTS;
  private readonly watches = new Set<OpenWatch>();
  private readonly sockets = new Set<Socket>();
  private down = false;
  private server!: Server;
  private pki!: DoublePki;
  private nextIp = 1;
  kubeconfigFile = '';
  url = '';

  private constructor(
    readonly dir: string,
    private readonly options: KubeApiDoubleOptions,
  ) {
    this.readableNamespace = options.readableNamespace ?? 'shop';
  }

  static async start(options: KubeApiDoubleOptions = {}): Promise<KubeApiDouble> {
    const double = new KubeApiDouble(mkdtempSync(join(tmpdir(), 'kube-api-double-')), options);
    await double.listen();
    return double;
  }

  private async listen(): Promise<void> {
    this.pki = createPki(this.dir);
    const otherDir = join(this.dir, 'other-ca');
    mkdirSync(otherDir);
    const other = createPki(otherDir);

    this.server = createServer({ key: this.pki.serverKey, cert: this.pki.serverCert, ca: this.pki.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      // An outage: the address still accepts TCP, but every connection is cut at once.
      if (this.down) return socket.destroy();
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.store.onChange((resource, event) => {
      for (const w of this.watches) {
        if (w.resource.name === resource && (w.namespace === undefined || w.namespace === event.object.metadata.namespace) && (w.name === undefined || w.name === event.object.metadata.name)) {
          w.res.write(eventLine(event.type, event.object));
        }
      }
    });
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    const address = this.server.address();
    this.url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    this.kubeconfigFile = join(this.dir, 'kubeconfig');
    writeKubeconfig(this.kubeconfigFile, { server: this.url, pki: this.pki, otherCaFile: other.caFile, token: this.token,
      limited: { namespaceToken: this.namespaceToken, noAccessToken: this.noAccessToken, namespace: this.readableNamespace }, current: this.options.currentContext });
  }

  /** Watches open now, per resource: a closed source leaves none behind. */
  get openWatches(): number {
    return this.watches.size;
  }

  // ---- objects ----

  addNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
    return this.store.put(namespaceObject(name, labels));
  }

  addNode(name: string, internalIp: string): KubeObject {
    return this.store.put(nodeObject(name, internalIp));
  }

  addReplicaSet(namespace: string, name: string, deployment: string): KubeObject {
    return this.store.put(replicaSetObject(namespace, name, deployment));
  }

  addJob(namespace: string, name: string, cronJob?: string): KubeObject {
    return this.store.put(jobObject(namespace, name, cronJob));
  }

  /** Adds a running pod with a fresh IPv4 and IPv6 address unless `ips` is given ([] = pending). */
  addPod(input: PodSpecInput): KubeObject {
    const n = this.nextIp++;
    const ips = input.ips ?? [`10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`, `fd00:10:244::${n.toString(16)}`];
    return this.store.put(podObject({ ...input, ips }));
  }

  /** Stores a NetworkPolicy as the API server would after `kubectl apply`: with its defaults filled in. */
  addNetworkPolicy(namespace: string, name: string, spec: NetworkPolicySpecInput): KubeObject {
    return this.store.put(networkPolicyObject(namespace, name, spec));
  }

  /** Changes a stored object; the watchers see MODIFIED. */
  modify(kind: string, namespace: string | undefined, name: string, change: (object: KubeObject) => KubeObject): KubeObject {
    const resource = resourceOfKind(kind).name;
    const current = this.store.get(resource, namespace, name);
    if (!current) throw new Error(`The double has no ${kind} ${namespace ?? ''}/${name}.`);
    return this.store.put(change(structuredClone(current)));
  }

  deletePod(namespace: string, name: string): void {
    this.store.delete('Pod', namespace, name);
  }

  // ---- the wire ----

  /** Sends a BOOKMARK with the current resourceVersion on every watch that asked for them. */
  bookmark(): void {
    for (const w of this.watches) if (w.bookmarks) w.res.write(eventLine('BOOKMARK', bookmarkObject(w.resource, this.store.resourceVersion)));
  }

  /** Ends every watch response cleanly, as an API server does when a watch times out. */
  endWatches(): void {
    for (const w of this.watches) w.res.end();
    this.watches.clear();
  }

  /** Cuts every connection (watches and idle keep-alive ones) without a clean end. */
  dropConnections(): void {
    this.watches.clear();
    for (const socket of this.sockets) socket.destroy();
  }

  /** While down, every new connection is cut at once; existing ones are cut too. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) this.dropConnections();
  }

  /** Forgets history and ends the watches: watching again from the old version gets 410. */
  expireHistory(): void {
    this.store.compact();
    this.endWatches();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const user = this.authenticated(req);
    if (!user) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', this.url);
    const path = routeOf(url.pathname);
    if (req.method !== 'GET' || !path) return sendStatus(res, 404, 'NotFound', `the server could not find the requested resource (${req.method ?? ''} ${url.pathname})`);

    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb: Verb = path.name !== undefined ? 'get' : watch ? 'watch' : 'list';
    const selected = selectedName(url.searchParams.get('fieldSelector'));
    if (selected === null || (verb === 'get' && (watch || selected !== undefined))) {
      return sendStatus(res, 400, 'BadRequest', `the double serves a get without watch or fieldSelector, and lists and watches selected by metadata.name only (${url.search})`);
    }
    const route: CollectionRoute = selected === undefined ? path : { ...path, name: selected };
    const { resource, namespace, name } = route;
    const resourceVersion = url.searchParams.get('resourceVersion');
    const allowWatchBookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
    const refused = refusal(user, verb, route);
    const seen: SeenRequest = { resource: resource.name, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}), verb, forbidden: refused !== undefined, watch, resourceVersion, allowWatchBookmarks };
    this.requests.push(seen);
    if (refused) return sendStatus(res, 403, 'Forbidden', refused, { ...(name !== undefined ? { name } : {}), kind: resource.name });

    if (verb === 'get') return this.sendObject(res, resource, name!);
    if (verb === 'list') {
      res.on('finish', () => (seen.finishedAt = performance.now()));
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(listBody(resource, this.selected(route), this.store.resourceVersion));
    }
    this.startWatch(route, res, resourceVersion, allowWatchBookmarks);
  }

  private sendObject(res: ServerResponse, resource: ResourceType, name: string): void {
    const object = this.store.get(resource.name, undefined, name);
    if (!object) return sendStatus(res, 404, 'NotFound', `${resource.name} "${name}" not found`, { name, kind: resource.name });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(object));
  }

  /** A collection's objects, or only the one a fieldSelector names. */
  private selected({ resource, namespace, name }: CollectionRoute): KubeObject[] {
    return this.store.list(resource.name, namespace).filter((o) => name === undefined || o.metadata.name === name);
  }

  private startWatch(route: CollectionRoute, res: ServerResponse, resourceVersion: string | null, bookmarks: boolean): void {
    const { resource, namespace, name } = route;
    const from = resourceVersion === null || resourceVersion === '' || resourceVersion === '0' ? null : Number(resourceVersion);
    if (from !== null && (!Number.isFinite(from) || !this.store.canWatchFrom(from))) {
      const message = `too old resource version: ${resourceVersion} (${this.store.resourceVersion})`;
      if (this.options.expiry === 'status') return sendStatus(res, 410, 'Expired', message);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(eventLine('ERROR', statusObject(410, 'Expired', message)));
    }

    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // The API server sends the headers at once, before any event: the client's watch has begun.
    res.flushHeaders();
    // Without a version, a watch starts with the current state as ADDED events, as the real one does.
    const backlog = from === null
      ? this.selected(route).map((o) => eventLine('ADDED', o))
      : this.store.eventsSince(resource.name, from, namespace).filter((e) => name === undefined || e.object.metadata.name === name).map((e) => eventLine(e.type, e.object));
    for (const line of backlog) res.write(line);
    const open: OpenWatch = { resource, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}), res, bookmarks };
    this.watches.add(open);
    res.on('close', () => this.watches.delete(open));
  }

  /** The user a request authenticates as, or undefined (401). */
  private authenticated(req: IncomingMessage): DoubleUser | undefined {
    const header = req.headers.authorization ?? '';
    if (header === `Bearer ${this.token}`) return { name: 'double-admin', reads: 'everything' };
    if (header === `Bearer ${this.namespaceToken}`) {
      const { role = 'view', namespaceByName = false } = this.options.namespaceUser ?? {};
      return { name: 'namespace-reader', reads: { namespace: this.readableNamespace, role, namespaceByName } };
    }
    if (header === `Bearer ${this.noAccessToken}`) return { name: 'nobody', reads: 'nothing' };
    const socket = req.socket as TLSSocket;
    return socket.authorized && socket.getPeerCertificate().subject?.CN === this.pki.clientName ? { name: this.pki.clientName, reads: 'everything' } : undefined;
  }
}

/**
 * The name a `fieldSelector` selects (`metadata.name=shop`, or `==`), undefined without one,
 * null for any other selector: the double filters by name only.
 */
function selectedName(fieldSelector: string | null): string | undefined | null {
  if (fieldSelector === null || fieldSelector === '') return undefined;
  const match = /^metadata\.name==?([^,=]+)$/.exec(fieldSelector);
  return match ? match[1]! : null;
}
