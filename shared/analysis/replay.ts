import type { Diagnostic } from '../diagnostics';
import { isIPv6 } from '../net/address';
import { icmpOpensConnection } from '../net/icmp-requests';
import type { Inventory, Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { resolveMembership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { EndpointResolver, type EndpointPairParse } from '../simulator/endpoints';
import { addressHosts, type HostFlowTables, type PathEnd, type PathProbe } from '../simulator/path';
import { VerdictEngine, type PathVerdict, type VerdictAsk } from '../simulator/verdict-engine';
import { AddressGroups, groupNames } from './endpoints';
import { finish, type AnalysisSteps } from './steps';

/** One line of a connection log: a connection seen `count` times, from one end to the other. */
export interface ObservedConnection {
  /** A workload's name, `namespace/name`, or an IP address, as `trace` takes them. */
  from: string;
  to: string;
  protocol: 'tcp' | 'udp' | 'sctp' | 'icmp';
  /** The destination port; the ICMP type for `icmp`. */
  port: number;
  count: number;
  line: number;
}

/** Connections of one kind that the policy would not let through as they went. */
export interface ReplayEntry {
  verdict: 'dropped' | 'redirected';
  /** The source's groups (`web, prod`), `(no group) NAME` for a workload in none, `(outside)` for an address of none. */
  from: string;
  to: string;
  /** As formatServices writes one: `tcp/5432`, `icmp/8`. */
  service: string;
  /** With `redirected`: the honeypot's address. */
  redirectedTo?: string;
  /** Connections: log lines times their counts. */
  connections: number;
  /** The first line of the log with this kind of connection. */
  example: { from: string; to: string; line: number };
}

/**
 * The totals are exact: a log whose connections would add up past Number.MAX_SAFE_INTEGER is
 * replayed up to the line that would take them past it, and the rest is left out (MS704).
 */
export interface ReplayResult {
  /** Connections replayed (log lines times their counts), those left out (see diagnostics) not included. */
  connections: number;
  permitted: number;
  dropped: number;
  redirected: number;
  /** Of the permitted: connections with neither end behind one of our switches, which nothing enforces. */
  unenforced: number;
  /**
   * Connections from an end to itself (a workload to its own address, two workloads that share
   * one, MS205), as `trace` refuses them: no switch sees them, so they are neither permitted nor
   * dropped, and not in `connections`.
   */
  withinOneEnd: number;
  /** Dropped and redirected connections by kind, most connections first. */
  entries: ReplayEntry[];
  /** Lines whose ends the inventory cannot place; they are left out. */
  diagnostics: Diagnostic[];
  /** Log lines left out, in all: one MS704 alone names the first of what may be millions. */
  linesLeftOut: number;
}

/**
 * What the command line and the app say of the connections within one end, beside the totals;
 * undefined when there are none.
 */
export function withinOneEndNote(connections: number): string | undefined {
  if (connections === 0) return undefined;
  const one = connections === 1;
  return `${connections.toLocaleString('en-US')} connection${one ? '' : 's'} within one end (a workload to its own address, or to a workload sharing it), which no switch sees: neither permitted nor dropped`;
}

/** Connections open from an ephemeral port, as the matrix and `trace` assume. */
const EPHEMERAL_PORT = 49152;

/**
 * Replays observed connections (a flow log, a firewall export) against compiled tables: what
 * would the policy do to the traffic that really ran? Each connection's first packet is
 * judged by the VerdictEngine, exactly as the simulator would, end to end through both hosts
 * and any redirect; those not let through are summed by group pair and service. Pure.
 */
export function replayConnections(policy: Policy, inventory: Inventory, tables: HostFlowTables, log: readonly ObservedConnection[], file: string): ReplayResult {
  return finish(replaySteps(policy, inventory, tables, log, file));
}

/** Lines read between two progress reports. */
const LINES_PER_STEP = 4096;

/**
 * replayConnections as steps: the lines are read (counted in lines), then every distinct
 * connection is judged host by host (counted in connections; VerdictEngine.verdicts, so a log
 * that spans hundreds of hosts builds each host's classifiers once a round, within the
 * engine's memory budget, where asking line by line built them over and over or ran out of
 * memory), then summed in the log's order.
 */
export function* replaySteps(policy: Policy, inventory: Inventory, tables: HostFlowTables, log: readonly ObservedConnection[], file: string): AnalysisSteps<ReplayResult> {
  const engine = new VerdictEngine(tables, { hostOf: addressHosts(inventory.workloads) });
  const asking = new Asking(engine);
  // Logs name the same ends again and again: place each pair once.
  const placed = new Map<string, { ends: EndpointPairParse; withinOneEnd: boolean }>();
  const resolver = new EndpointResolver(inventory);
  const result: ReplayResult = { connections: 0, permitted: 0, dropped: 0, redirected: 0, unenforced: 0, withinOneEnd: 0, entries: [], diagnostics: [], linesLeftOut: 0 };
  /** Per line replayed: the line, its ends and its connection's place in `asking`. */
  const replayed: { line: ObservedConnection; from: PathEnd; to: PathEnd; asked: number }[] = [];
  // Every total is a sum of some of these counts: while this one stays a safe integer, all are exact.
  let connections = 0;

  for (const [index, c] of log.entries()) {
    if (index % LINES_PER_STEP === LINES_PER_STEP - 1) yield { done: index, total: log.length, unit: 'lines' };
    const key = `${c.from}\u0000${c.to}`;
    let place = placed.get(key);
    if (!place) placed.set(key, (place = placeEnds(resolver, c)));
    const { ends } = place;
    if (!ends.ok) {
      const side = ends.side === 'both' ? '' : `${ends.side}: `;
      result.diagnostics.push({ code: 'MS703', severity: 'error', message: `${side}${ends.message}; the line is left out`, location: { file, line: c.line } });
      result.linesLeftOut++;
      continue;
    }
    if (c.protocol === 'icmp' && !icmpOpensConnection(isIPv6(ends.from.end.address) ? 6 : 4, c.port)) {
      result.diagnostics.push({
        code: 'MS705',
        severity: 'warning',
        message: `ICMP type ${c.port} is a reply or an error, which opens no connection (it passes with the connection it answers, and alone the switch drops it); the line is left out`,
        location: { file, line: c.line, path: 'port' },
      });
      result.linesLeftOut++;
      continue;
    }
    if (connections + c.count > Number.MAX_SAFE_INTEGER) {
      result.diagnostics.push(pastExactCounting(c, log.length - index - 1, file));
      result.linesLeftOut += log.length - index;
      break;
    }
    connections += c.count;
    if (place.withinOneEnd) {
      result.withinOneEnd += c.count;
      continue;
    }
    const probe: PathProbe = c.protocol === 'icmp' ? { protocol: 'icmp', icmpType: c.port, icmpCode: 0 } : { protocol: c.protocol, srcPort: EPHEMERAL_PORT, dstPort: c.port };
    replayed.push({ line: c, from: ends.from.end, to: ends.to.end, asked: asking.ask(ends.from.end, ends.to.end, probe) });
  }

  const steps = engine.verdicts(asking.asked);
  let step = steps.next();
  for (; !step.done; step = steps.next()) yield { done: step.value, total: asking.asked.length, unit: 'connections' };
  result.entries = summed(result, replayed, step.value, new EndNames(policy, inventory));
  return result;
}

/** A line's ends, and whether they are one end (as `trace` decides it), whose connection no switch sees. */
function placeEnds(resolver: EndpointResolver, c: ObservedConnection): { ends: EndpointPairParse; withinOneEnd: boolean } {
  const ends = resolver.endpoints(c.from, c.to);
  return { ends, withinOneEnd: ends.ok && resolver.withinOneEndProblem({ from: ends.from.end, to: ends.to.end }) !== undefined };
}

/** Why a line and those after it are left out: the totals would no longer be whole numbers a double holds. */
function pastExactCounting(c: ObservedConnection, after: number, file: string): Diagnostic {
  const most = Number.MAX_SAFE_INTEGER.toLocaleString('en-US');
  const left = after === 0 ? 'this line is' : `this line and the ${after.toLocaleString('en-US')} after it are`;
  return {
    code: 'MS704',
    severity: 'error',
    message: `count: with this line the connections would add up past ${most}, more than are counted exactly; ${left} left out (replay the log in parts)`,
    location: { file, line: c.line, path: 'count' },
  };
}

/** The distinct connections of a log, as the engine's ends and services. */
class Asking {
  readonly asked: VerdictAsk[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly engine: VerdictEngine) {}

  /** The connection's place in `asked`. */
  ask(from: PathEnd, to: PathEnd, probe: PathProbe): number {
    const key = `${endKey(from)}\u0000${endKey(to)}\u0000${probe.protocol}/${probe.dstPort ?? probe.icmpType}`;
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.asked.length;
      this.index.set(key, at);
      this.asked.push({ from: this.engine.end(from.address, from.host), to: this.engine.end(to.address, to.host), service: this.engine.service(probe) });
    }
    return at;
  }
}

function endKey(end: PathEnd): string {
  return `${end.address}@${end.host ?? ''}`;
}

/** Adds each line's verdict to the totals; the connections not let through by kind, most first. */
function summed(result: ReplayResult, replayed: readonly { line: ObservedConnection; from: PathEnd; to: PathEnd; asked: number }[], verdicts: readonly PathVerdict[], names: EndNames): ReplayEntry[] {
  const entries = new Map<string, ReplayEntry>();
  for (const { line: c, from: fromEnd, to: toEnd, asked } of replayed) {
    const answer = verdicts[asked]!;
    result.connections += c.count;
    if (answer.verdict === 'permitted') {
      result.permitted += c.count;
      if (!answer.enforced) result.unenforced += c.count;
      continue;
    }
    result[answer.verdict] += c.count;
    const from = names.of(fromEnd);
    const to = names.of(toEnd);
    const service = `${c.protocol}/${c.port}`;
    const kind = `${answer.verdict}\u0000${from}\u0000${to}\u0000${service}\u0000${answer.redirectedTo ?? ''}`;
    const entry = entries.get(kind);
    if (entry) entry.connections += c.count;
    else
      entries.set(kind, {
        verdict: answer.verdict,
        from,
        to,
        service,
        ...(answer.redirectedTo ? { redirectedTo: answer.redirectedTo } : {}),
        connections: c.count,
        example: { from: c.from, to: c.to, line: c.line },
      });
  }
  return [...entries.values()].sort((a, b) => b.connections - a.connections || a.example.line - b.example.line);
}

/** How an end is named in the summary: its groups, as the matrix and the impact name them. */
class EndNames {
  private readonly workloadByAddress = new Map<string, Workload>();
  private readonly groups: AddressGroups;
  private readonly known = new Map<string, string>();

  constructor(policy: Policy, inventory: Inventory) {
    const workloads = inventory.workloads.filter(takesPart);
    for (const w of workloads) for (const a of w.addresses) this.workloadByAddress.set(a, w);
    this.groups = new AddressGroups(resolveMembership(policy, workloads));
  }

  of(end: PathEnd): string {
    let name = this.known.get(end.address);
    if (name === undefined) {
      const workload = this.workloadByAddress.get(end.address);
      name = groupNames(this.groups.of(end.address, workload), workload).join(', ');
      this.known.set(end.address, name);
    }
    return name;
  }
}
