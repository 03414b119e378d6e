import type { ChangeImpact } from '../analysis/impact';
import type { ReachabilityMatrix } from '../analysis/matrix';
import type { ReplayResult } from '../analysis/replay';
import type { AnalysisProgress } from '../analysis/steps';
import type { CompileResult } from '../compiler/compile';
import type { PortGuardLoss } from '../compiler/port-guard-loss';
import type { Diagnostic } from '../diagnostics';
import type { ContainerPortRead } from '../inventory/container-ports';
import type { Inventory } from '../inventory/model';
import type { Policy } from '../policy/model';
import type { Decision } from '../simulator/decision';
import type { PathEnd, PathResult } from '../simulator/path';
import type { SimulationResult } from '../simulator/simulate';

/**
 * The one contract between the UI and the node-side services. Both transports (Electron IPC
 * and the browser-mode HTTP host) are typed from these two maps; names read `area:verb`.
 */
export interface ApiRequests {
  'app:info': { args: void; result: AppInfo };
  'examples:list': { args: void; result: ExampleProject[] };
  'file:read': { args: { path: string }; result: { path: string; text: string } };
  /** Atomic: the file is either the old or the new text, never half-written. */
  'file:write': { args: { path: string; text: string }; result: { path: string } };
  /** Native file dialogs (`folder`: pick a folder); null when cancelled or when the transport has none (browser mode). */
  'dialog:open': { args: { title: string; extensions: string[]; folder?: boolean }; result: string | null };
  'dialog:save': { args: { title: string; defaultPath?: string; extensions: string[] }; result: string | null };
  'inventory:sources': { args: void; result: InventorySourceInfo[] };
  /** Opens a source; a Kubernetes source stays open and watched, its changes arrive as `inventory:changed`. */
  'inventory:load': { args: { sourceId: string }; result: InventoryLoad };
  /** Stops watching a live source; idempotent. */
  'inventory:close': { args: { sourceId: string }; result: void };
  /** Checks the text of a static inventory file (YAML or CSV, by the path's extension) without writing it. */
  'inventory:check': { args: { path: string; text: string }; result: { diagnostics: Diagnostic[]; workloads: number } };
  'policy:compile': { args: { policy: Policy; inventory: Inventory }; result: CompileOutcome };
  /** One host's table of the latest compile, printed as `ovs-ofctl` text with comments naming the rules. */
  'policy:hostTable': { args: { compileId: string; host: string }; result: { host: string; text: string } };
  /** Simulates a connection's first or later packet through the latest compile's tables, on the hosts of its path. */
  'trace:simulate': { args: { compileId: string; from: PathEnd; to: PathEnd; packet: SimulatedPacket; state: 'new' | 'established' }; result: TraceOutcome };
  'hosts:list': { args: void; result: HostTargets };
  /**
   * Saves one host's target; the others stay as saved. `base`: the target the form started from
   * (null: none); when another window has changed it since, the save fails with code `conflict`.
   */
  'hosts:save': { args: { target: HostTarget; base: HostTarget | null }; result: HostTargets };
  /**
   * Forgets one host's target. `base`: the target the form showed; when another window has
   * changed it since, nothing is forgotten and it fails with code `conflict`.
   */
  'hosts:remove': { args: { host: string; base: HostTarget }; result: HostTargets };
  /**
   * Compiles on the node side and deploys to the named hosts; progress arrives as events. A host
   * whose switch guards a port the new table does not (see ImpactOutcome.portGuardsLost) keeps
   * its flows and fails, unless `removePortGuards` names each such port of that host: the losses
   * the user was shown and agreed to.
   */
  'deploy:start': { args: { policy: Policy; inventory: Inventory; hosts: string[]; removePortGuards?: PortGuardLoss[] }; result: { deployId: string } };
  /**
   * Stops a running deploy where that is safe, from any window: hosts not yet applying keep their
   * flows and end as `cancelled`; a host applying its bundle is not interrupted (the bundle is
   * atomic) and reports its real result in `deploy:finished`. Fails for a deploy that has ended,
   * is unknown, or is being cancelled already.
   */
  'deploy:cancel': { args: { deployId: string }; result: DeployCancel };
  /** The deploys running on the node side and each host's last outcome, for a window that reloads. */
  'deploy:status': { args: void; result: DeployStatus };
  /**
   * What a rollback of the host would put back and which spoof guards it would take away, read from its switch; nothing is changed.
   * Stopped (`work:stop`), it fails with code `stopped`.
   */
  'deploy:rollbackPreview': { args: { host: string } & Stoppable; result: RollbackPreview };
  /**
   * Puts back the flows a host had before our last deploy to it. A host whose switch guards a
   * port the backup does not (a backup from before the guard) keeps its flows and fails, unless
   * `removePortGuards` names each such port: the losses the user was shown and agreed to.
   * Stopped (`work:stop`) before its bundle is sent, it ends as `cancelled` and the host keeps its
   * flows; once sent, it is not interrupted (the bundle is atomic) and reports its real result.
   */
  'deploy:rollback': { args: { host: string; removePortGuards?: string[] } & Stoppable; result: DeployHostResult };
  /** Which of a host's bridge ports lead to which Docker container (ovs-docker's external_ids), read over SSH. Stopped, it fails with code `stopped`. */
  'hosts:containerPorts': { args: { host: string } & Stoppable; result: HostContainerPorts };
  /** Asks a host's own switch (`ofproto/trace` over SSH) what it does with a packet. Stopped, it fails with code `stopped`. */
  'trace:switch': { args: { host: string; packet: TracePacket; state: 'new' | 'established' } & Stoppable; result: SwitchTrace };
  /** Which services each group may open to each other group, exactly, from the tables the policy compiles to. */
  'analysis:matrix': { args: { policy: Policy; inventory: Inventory } & Stoppable; result: MatrixOutcome };
  /**
   * What the policy would newly permit and newly block, compared with a saved version or with what the hosts run now.
   * Stopped (`work:stop` with its own stopId), it fails with code `stopped`: nothing of it is shown. The deployed
   * baseline's stopId stops only the read of the hosts (see ImpactBaseline).
   */
  'analysis:impact': { args: { policy: Policy; inventory: Inventory; against: ImpactBaseline } & Stoppable; result: ImpactOutcome };
  /**
   * Stops the work of every request that carries `stopId` (see Stoppable): a connection still
   * opening is dropped at once, an open session is closed, a matrix, impact or replay ends at its next
   * slice, and each request answers as its own entry says. A stop that arrives before its request (two HTTP requests may overtake each
   * other) stops that request as it comes. Idempotent: work that has ended has nothing to stop.
   */
  'work:stop': { args: { stopId: string }; result: void };
  /** What the policy would do to the connections of a log (CSV from,to,protocol,port[,count]) that really ran. */
  'analysis:replay': { args: { policy: Policy; inventory: Inventory; path: string } & Stoppable; result: ReplayOutcome };
  /** NetworkPolicies (YAML files, or a context's cluster) as a design with the same connectivity; nothing is written. */
  'kubernetes:import': { args: { from: NetworkPolicyOrigin }; result: NetworkPolicyImport };
  /** The design as NetworkPolicy YAML, one `NAMESPACE.yaml` per namespace in `folder`, each written atomically. */
  'kubernetes:export': { args: { policy: Policy; inventory?: Inventory; folder: string }; result: NetworkPolicyExport };
}

/** A host's container ports, as its switch names them (see shared/inventory/container-ports.ts). */
export interface HostContainerPorts extends ContainerPortRead {
  host: string;
}

/** A packet to trace on a real switch: addresses, protocol and destination port or ICMP type and code. */
export interface TracePacket {
  src: string;
  dst: string;
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp';
  dstPort?: number;
  icmpType?: number;
  /** 0 when absent. */
  icmpCode?: number;
  /** For an established packet: its connection's ct_mark on this host (TraceOutcome's hops say it). */
  ctMark?: number;
  /** On the sender's own host: the switch port it comes in by (a workload's switchPort), which the spoof guard checks; elsewhere the bridge's own port. */
  inPort?: string;
}

export interface SwitchTrace {
  host: string;
  verdict: 'forwarded' | 'dropped' | 'redirected';
  redirectedTo?: string;
  /** The MAC the packet left with, when the switch set one. */
  ethDst?: string;
  /** The switch's own trace text, as `ovs-appctl ofproto/trace` printed it. */
  output: string;
  durationMs: number;
}

export interface MatrixOutcome {
  matrix: ReachabilityMatrix;
  durationMs: number;
}

/**
 * What a change is measured against: a policy file compiled with the same inventory, or the
 * flows the named hosts' switches hold now (read over SSH); hosts left out keep their tables.
 * The deployed baseline's stopId stopped (`work:stop`), only the read ends: hosts not yet read free
 * their SSH sessions and are listed as unread, and the impact answers with the hosts read so far
 * (the deploy dialog's "show what was read"). The request's own stopId ends the whole impact.
 */
export type ImpactBaseline = { kind: 'file'; path: string } | ({ kind: 'deployed'; hosts: string[] } & Stoppable);

/**
 * A request whose work (SSH, or a long analysis) the asker may stop: `stopId`, chosen by the
 * asker (a random UUID, never reused), names it to `work:stop`. Several requests may carry one
 * id, to stop together.
 */
export interface Stoppable {
  stopId?: string;
}

/** A host whose deployed flows could not be read for an impact, and why. */
export interface UnreadHost {
  host: string;
  /** The SSH server asked, as `user@address:port`. */
  server: string;
  reason: string;
}

export interface ReplayOutcome {
  /**
   * Its diagnostics include the log's own (lines that could not be read), in line order: the
   * first 50, then one saying how many more; its `linesLeftOut` counts the log's own too.
   */
  replay: ReplayResult;
  /** The problems with the log in all, those past the first 50 too. */
  problems: number;
  /** The log's path. */
  log: string;
  durationMs: number;
}

export interface ImpactOutcome {
  impact: ChangeImpact;
  /** In words: `revision 3 of shop.yaml`, `the flows on h1 and h2 now`. */
  baseline: string;
  /**
   * Against deployed hosts: per host, the switch ports guarded now (spoof guard, cookie kind 7)
   * that the drawing's table leaves unguarded. `impact` cannot show this: it compares packets sent
   * from their own addresses, which a guard never changes. Empty against a file (same inventory).
   */
  portGuardsLost: PortGuardLoss[];
  /**
   * Against deployed hosts: those whose flows could not be read (no answer, an error, or the read
   * stopped), in the order named. They keep their tables in the comparison, so `impact` says
   * nothing of what changes on them. Empty against a file.
   */
  unread: UnreadHost[];
  durationMs: number;
}

/** Where NetworkPolicies come from: YAML files on the services' machine, or every namespace of a kubeconfig context. */
export type NetworkPolicyOrigin = { kind: 'files'; paths: string[] } | { kind: 'cluster'; context: string };

/** The imported design, or null when the API server would refuse a policy (the diagnostics say which, where and why). */
export interface NetworkPolicyImport {
  policy: Policy | null;
  diagnostics: Diagnostic[];
}

/** The files written, and what NetworkPolicy cannot say (each names its edge, group or setting). */
export interface NetworkPolicyExport {
  files: string[];
  warnings: Diagnostic[];
}

export interface ApiEvents {
  'deploy:progress': DeployProgress;
  'deploy:finished': { deployId: string; results: DeployHostResult[] };
  /** A rollback from any window ended well: every window's host row shows it. */
  'deploy:rolledBack': { result: DeployHostResult };
  'inventory:changed': InventoryChange;
  /**
   * How far a running matrix, impact or replay has got; sent now and then while it runs, to every
   * window. `runId` is the stopId of the request it reports on, when it carried one: a window shows
   * only its own run's progress.
   */
  'analysis:progress': AnalysisProgress & { task: 'matrix' | 'impact' | 'replay'; runId?: string };
  /** A compile (from any window) became the latest: a window holding another compile id must compile again to read tables or trace. */
  'compile:replaced': { latestCompileId: string };
}

export type RequestChannel = keyof ApiRequests;
export type EventChannel = keyof ApiEvents;
export type RequestArgs<C extends RequestChannel> = ApiRequests[C]['args'];
export type RequestResult<C extends RequestChannel> = ApiRequests[C]['result'];

/** Every request channel, for allowlists at both ends of a transport. */
export const REQUEST_CHANNELS = [
  'app:info',
  'examples:list',
  'file:read',
  'file:write',
  'dialog:open',
  'dialog:save',
  'inventory:sources',
  'inventory:load',
  'inventory:close',
  'inventory:check',
  'policy:compile',
  'policy:hostTable',
  'trace:simulate',
  'hosts:list',
  'hosts:save',
  'hosts:remove',
  'deploy:start',
  'deploy:cancel',
  'deploy:status',
  'deploy:rollbackPreview',
  'deploy:rollback',
  'hosts:containerPorts',
  'trace:switch',
  'analysis:matrix',
  'analysis:impact',
  'analysis:replay',
  'kubernetes:import',
  'kubernetes:export',
  'work:stop',
] as const satisfies readonly RequestChannel[];

export const EVENT_CHANNELS = ['deploy:progress', 'deploy:finished', 'deploy:rolledBack', 'inventory:changed', 'analysis:progress', 'compile:replaced'] as const satisfies readonly EventChannel[];

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name);
}

export interface AppInfo {
  name: string;
  version: string;
  transport: 'electron' | 'web';
  nativeDialogs: boolean;
  /** The user's home folder on the machine the services run on: where new files go by default. */
  homeDir: string;
}

/** A bundled example a newcomer can open without any Docker engine. */
export interface ExampleProject {
  name: string;
  description: string;
  policyPath: string;
  inventoryPath: string;
  /** A connection log of the example's workloads to replay; absent when it has none. */
  connectionLogPath?: string;
}

export interface InventorySourceInfo {
  /** `docker:CONTEXT`, `kubernetes:CONTEXT` or `static:PATH`. */
  id: string;
  kind: 'docker' | 'kubernetes' | 'static';
  name: string;
  /** Docker endpoint, Kubernetes API server or file path, shown so the user knows what will be contacted. */
  endpoint: string;
  /** The context the docker CLI or kubectl would use now. */
  current: boolean;
  /**
   * Why the source cannot be read (a kubeconfig file that does not parse, whose contexts are
   * therefore not listed), in a few words for its line in the picker. A new window opens such a
   * source, current or not, so that the reason shows at once: nothing else would tell.
   */
  unreadable?: string;
}

export interface InventoryLoad {
  sourceId: string;
  inventory: Inventory;
  diagnostics: Diagnostic[];
  /** Enforcement hosts the source knows apart from its workloads (Kubernetes nodes). */
  hosts?: SourceHost[];
  /** For a watched source: whether its picture is current. */
  live?: LiveState;
  /**
   * For a Kubernetes source: the cluster it reads, so a window lists the pods of contexts of one
   * cluster once (renderer/src/model/same-cluster.ts).
   */
  cluster?: ClusterReach;
}

/** What of a cluster a Kubernetes source reads. */
export interface ClusterReach {
  /** The API server's URL, spelled one way however kubeconfigs spell it. */
  server: string;
  /** The one namespace read, when the credentials may not read pods in all of them. */
  namespace?: string;
}

/** A host a source reports, e.g. a Kubernetes node, with the address to offer for its SSH target. */
export interface SourceHost {
  name: string;
  addresses: { type: string; address: string }[];
  suggestedAddress?: string;
}

/** `live` while the watch is connected; `stale` since the connection was lost, until it is back. */
export interface LiveState {
  status: 'live' | 'stale';
  /** ISO time of the last list or watch event that reached us. */
  updatedAt: string;
  /** Why the source is stale, naming the context and what failed. */
  message?: string;
}

/** A watched source changed: its whole new picture, so a missed event never leaves the UI wrong. */
export interface InventoryChange extends LiveState {
  sourceId: string;
  inventory: Inventory;
  hosts: SourceHost[];
}

/**
 * A compile as the UI receives it: per host only counts. A host's printed table
 * (`policy:hostTable`) and traces (`trace:simulate`) are asked for by `compileId`: a large
 * estate's tables hold a million flows, too many to send and parse for the one host on screen.
 */
export interface CompileOutcome extends Omit<CompileResult, 'hosts'> {
  /** Names this compile, unique across restarts of the node side, which answers for its latest compile only. */
  compileId: string;
  hosts: CompiledHost[];
  /** Time to compute the flows, in milliseconds. */
  durationMs: number;
  /** Set when this compile patched the previous one (same policy, this many workloads changed) instead of compiling anew. */
  patchedWorkloads?: number;
  /** Set when the policy and inventory were those of the previous compile (from any window): its result is kept, nothing computed. */
  unchanged?: true;
}

/** One host of a compile: its name and counts. */
export interface CompiledHost {
  host: string;
  flowCount: number;
  workloadCount: number;
}

/** A packet to simulate, apart from its ends: the destination port, or the ICMP type (echo when absent) and code (0 when absent). */
export interface SimulatedPacket {
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp';
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
}

/**
 * A simulated connection as the Trace tab shows it: PathResult's verdict, each host's verdict and
 * printed trace, and the flow that decided on each host, mapped back to its rule.
 */
export interface TraceOutcome extends Pick<PathResult, 'verdict' | 'redirectedTo' | 'enforced' | 'reason'> {
  /** `ethDst`: the MAC the packet left with, when an action set one; `ctMark`: see PathHop. */
  hops: { host: string; verdict: SimulationResult['verdict']; ethDst?: string; ctMark?: number; trace: string }[];
  decisions: Decision[];
}

/** How to reach one enforcement point's Open vSwitch over SSH. */
export interface HostTarget {
  /** The host name workloads report (Docker engine name, node name). */
  host: string;
  address: string;
  port: number;
  user: string;
  auth: { kind: 'key'; keyPath: string } | { kind: 'agent' };
  bridge: string;
}

/**
 * The saved targets, sorted by host, and which of them reach one switch as the service tells it
 * (electron/services/switch-identity.ts): a deploy or rollback to such a host is refused before
 * anything is sent, so the deploy question leaves it out and says why.
 */
export interface HostTargets {
  targets: HostTarget[];
  /** One entry per host whose switch another saved target reaches too (a hand-edited hosts.json); both hosts of a pair have one. */
  sharedSwitches: SharedSwitch[];
}

/** `host`'s target reaches the switch that `sharer`'s target reaches, however each spells it. */
export interface SharedSwitch {
  host: string;
  sharer: string;
}

export type DeployStep = 'queued' | 'connect' | 'backup' | 'apply' | 'verify' | 'done' | 'failed' | 'cancelled';

export interface DeployProgress {
  deployId: string;
  host: string;
  step: DeployStep;
  message: string;
  /** Set on a `queued` host whose turn has not come: which bound on SSH sessions holds it (the message says it in words). */
  waiting?: SshWait;
}

/**
 * Why work on a host waits for an SSH session: the bound that is full, with the sessions that
 * fill it. `server`: sessions to the host's SSH server (address:port), from any operation;
 * `operation`: the hosts of the same deploy (or read) in flight; `total`: every session of the process.
 */
export type SshWait = { bound: 'server'; server: string; open: number } | { bound: 'operation'; open: number } | { bound: 'total'; open: number };

export interface DeployStatus {
  /** Each running deploy with the last step reported per host; `cancelling` once a cancel was asked for. */
  running: { deployId: string; cancelling: boolean; progress: DeployProgress[] }[];
  /** How each host's last finished deploy or rollback ended. */
  outcomes: DeployHostResult[];
  /** The configured hosts that have a backup to roll back to (a deploy from this machine took effect). */
  backups: string[];
  /** Of `backups`, those read from another switch than the host's target reaches now (Edit target moved it): a rollback is refused. */
  backupsElsewhere: BackupElsewhere[];
}

/** A host's backup read from the switch at `readFrom`, while its target now reaches the switch at `now`. */
export interface BackupElsewhere {
  host: string;
  readFrom: string;
  now: string;
}

/** What rolling a host back would do, read from its switch and its backup. */
export interface RollbackPreview {
  host: string;
  /** Our flows in the backup, the ones the rollback puts back. */
  flowCount: number;
  /** Switch ports the host guards now and the backup does not: after the rollback, the workload behind each may send from any address. Sorted. */
  portGuardsLost: string[];
}

/** What a cancel did, host by host, at the moment it was asked for. */
export interface DeployCancel {
  deployId: string;
  /** Still queued: never touched, ended as `cancelled` at once. */
  notStarted: string[];
  /** Connecting or reading their switch: their SSH session is closed; each ends as `cancelled`. */
  stopping: string[];
  /** Applying their bundle or reading it back: not interrupted; each reports its real result. */
  finishing: string[];
}

export interface DeployHostResult {
  host: string;
  /** `cancelled`: a cancel stopped the deploy before anything was sent to this host; its switch keeps its flows. */
  status: 'applied' | 'failed' | 'rolled-back' | 'cancelled';
  message: string;
  flowCount: number;
  durationMs: number;
  /** A deploy kept the host's flows from before it, for Rollback: it took effect, or may have (failed, status unknown). */
  backedUp?: boolean;
}

/** Failures of the outside world or of a request, carried across the boundary as data. */
export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  /** Extra facts, e.g. the command's stderr. Never secrets. */
  detail?: string;
}

export type ApiErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'io'
  | 'docker-unreachable'
  | 'cluster-unreachable'
  | 'ssh-failed'
  | 'ovs-failed'
  | 'no-target'
  | 'unauthorized'
  /** The change was made from data that another window (or a hand edit) has changed since. */
  | 'conflict'
  /** The asker stopped the request (`work:stop`). */
  | 'stopped'
  | 'internal';

export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

/** The error a client throws for a failed request; it keeps the code so the UI can react to it. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly detail?: string;

  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.detail = data.detail;
  }
}

/** What either transport gives the UI. */
export interface ApiClient {
  request<C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResult<C>>;
  subscribe<E extends EventChannel>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
