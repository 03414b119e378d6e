import type { Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { addressBits, formatAddress } from '../simulator/address-bits';
import { EndpointResolver, sameFamilyPair } from '../simulator/endpoints';
import { echoRequestType } from '../simulator/packet';
import { addressHosts, type PathProbe } from '../simulator/path';
import type { PathVerdict, VerdictAsk, VerdictEngine } from '../simulator/verdict-engine';
import { isMemberPair, type CellServices, type MatrixMembers } from './matrix-grid';
import { icmpValue, type Interval } from './service-set';

/** A connection the Trace tab can send: to a port for TCP, UDP and SCTP; for ICMP an echo request of the pair's family. */
export type TracedService = { protocol: 'tcp' | 'udp' | 'sctp'; port: number } | { protocol: 'icmp' };

/** What a trace of a cell's example must show: one of the services the cell names, and the verdict the cell gives it. */
export interface ExampleGoal {
  service: TracedService;
  verdict: 'permitted' | 'redirected' | 'dropped';
}

export interface NamedPair {
  from: string;
  to: string;
}

/** The result of looking for an example: a member pair whose trace shows the goal, or how many were tried in vain. */
export type ExampleSearch =
  { found: true; pair: NamedPair; tried: number } | { found: false; tried: number; first: NamedPair | undefined };

/** Member pairs traced at most when a cell is looked at: each is a simulation on the node side. */
export const EXAMPLE_TRACE_LIMIT = 48;

/** Pairs of members looked at at most while gathering those to trace: cheap checks, but a cell can have millions. */
const PAIR_SCAN_LIMIT = 1_000_000;

const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

/** ICMP echo requests, the only ICMP the Trace tab sends (IPv4, IPv6). */
const ECHO_REQUESTS = [8, 128];

/**
 * Services an architect recognises at a glance, most familiar first. A cell that opens one of
 * them shows it rather than its lowest port: for a cell that permits anything, tcp/443, not tcp/1.
 */
const FAMILIAR_SERVICES = [
  { protocol: 'tcp', port: 443 },
  { protocol: 'tcp', port: 80 },
  { protocol: 'tcp', port: 22 },
  { protocol: 'udp', port: 53 },
] as const;

/**
 * The service a cell's example shows and what a trace of it must say: one every member pair may
 * open, else one only some may (permitted for the example), else one sent to a honeypot
 * (redirected), else tcp/80, dropped, to see what blocks it. Within each of those, a familiar
 * service (FAMILIAR_SERVICES) the set holds, else its first port by protocol, else an ICMP echo.
 * Only services the Trace tab can send are taken. Deterministic.
 */
export function exampleGoal(cell: CellServices): ExampleGoal {
  return chosenGoal(cell).goal;
}

/** exampleGoal, and whether its service is one every member pair opens (from `always`). */
function chosenGoal(cell: CellServices): { goal: ExampleGoal; everyPair: boolean } {
  const choices = [
    [cell.always, 'permitted'],
    [cell.sometimes, 'permitted'],
    [cell.redirected, 'redirected'],
  ] as const;
  for (const [index, [set, verdict]] of choices.entries()) {
    const everyPair = index === 0;
    const familiar = FAMILIAR_SERVICES.find(({ protocol, port }) => holds(set[protocol], port));
    if (familiar) return { goal: { service: { ...familiar }, verdict }, everyPair };
    for (const protocol of PORT_PROTOCOLS) {
      const port = firstPort(set[protocol]);
      if (port !== undefined) return { goal: { service: { protocol, port }, verdict }, everyPair };
    }
    if (ECHO_REQUESTS.some((type) => holds(set.icmp, icmpValue(type, 0)))) return { goal: { service: { protocol: 'icmp' }, verdict }, everyPair };
  }
  return { goal: { service: { protocol: 'tcp', port: 80 }, verdict: 'dropped' }, everyPair: false };
}

/**
 * Up to `limit` distinct member pairs of cell (row, column), named as the Trace tab reads
 * names, in an order that varies both ends: round r pairs the i-th source with the
 * ((i + r) mod n)-th destination, so the first pairs tried have different sources and
 * different destinations (when only some members open a service, they are found sooner than
 * by walking one source's pairs first). The first is the first member pair in endpoint order
 * whenever the first source and destination make one. Deterministic.
 */
export function pairsToTry(members: MatrixMembers, row: number, column: number, limit: number): NamedPair[] {
  const sources = members.byGroup[row]!;
  const destinations = members.byGroup[column]!;
  const pairs: NamedPair[] = [];
  const seen = new Set<string>();
  let scanned = 0;
  for (let round = 0; round < destinations.length; round++)
    for (let i = 0; i < sources.length; i++) {
      if (pairs.length >= limit || ++scanned > PAIR_SCAN_LIMIT) return pairs;
      const a = sources[i]!;
      const b = destinations[(i + round) % destinations.length]!;
      if (!isMemberPair(members, a, b)) continue;
      // The addresses of one workload share its name, which the trace reads as one end.
      const pair = { from: members.labels[a]!, to: members.labels[b]! };
      const key = `${pair.from}\n${pair.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push(pair);
    }
  return pairs;
}

/**
 * The first of `pairs` whose trace (`verdictOf`, asked one pair at a time, in order) gives the
 * goal's verdict; otherwise how many were tried. A failing `verdictOf` rejects the search.
 */
export async function findExample(
  pairs: readonly NamedPair[],
  goal: ExampleGoal,
  verdictOf: (pair: NamedPair) => Promise<ExampleGoal['verdict']>,
): Promise<ExampleSearch> {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    if ((await verdictOf(pair)) === goal.verdict) return { found: true, pair, tried: i + 1 };
  }
  return { found: false, tried: pairs.length, first: pairs[0] };
}

/** A cell's example as the command line prints it: a member pair, and the service the cell gives it. */
export interface CheckedExample extends NamedPair {
  service: string;
}

/** A cell of the grid and its services. */
export interface CellPlace {
  row: number;
  column: number;
  services: CellServices;
}

/**
 * An example for each cell, as the panel finds one (exampleGoal, pairsToTry) but asked of the
 * verdict engine: for a service every member pair opens, the first member pair; for one only
 * some open or send to a honeypot, the first of up to EXAMPLE_TRACE_LIMIT pairs whose first
 * packet gets the cell's verdict, undefined when none does or the cell opens nothing the trace can send. Each batch asks the next pairs of
 * every cell still without one, all together and host by host (VerdictEngine.verdicts), so
 * thousands of cells on hundreds of hosts build each host's classifiers once a batch.
 */
export function checkedExamples(members: MatrixMembers, cells: readonly CellPlace[], inventory: Inventory, engine: VerdictEngine): (CheckedExample | undefined)[] {
  const found: (CheckedExample | undefined)[] = cells.map(() => undefined);
  const chosen = cells.map((c) => chosenGoal(c.services));
  const goals = chosen.map((c) => c.goal);
  // Every member pair opens a service of `always`: the first pair is an example as it stands.
  const sure = chosen.map((c) => c.everyPair);
  const candidates = cells.map((c, i) => pairsToTry(members, c.row, c.column, sure[i] ? 1 : EXAMPLE_TRACE_LIMIT));
  const asker = new ExampleAsker(inventory, engine);
  let pending: number[] = [];
  candidates.forEach((pairs, i) => {
    // A cell that opens nothing the trace can send (GRE alone, say) has no service to show
    // passing: its goal, tcp/80 dropped, would read as a service it opens.
    if (pairs.length === 0 || goals[i]!.verdict === 'dropped') return;
    if (sure[i]) found[i] = { ...pairs[0]!, service: tracedServiceText(goals[i]!.service) };
    else pending.push(i);
  });
  // Candidates are asked in batches that grow fourfold (1, 4, 16, then the rest of 48): every
  // batch walks the hosts again, and past the engine's budget (the huge estate's 500 hosts)
  // each walk builds their classifiers again, so 48 rounds of one pair took most of an hour.
  // The example is still the first candidate, in order, that gets the cell's verdict.
  for (let from = 0, size = 1; pending.length > 0; from += size, size *= 4) {
    const asked: VerdictAsk[] = [];
    const askedFor: { cell: number; candidate: number }[] = [];
    for (const i of pending)
      for (let k = from; k < Math.min(from + size, candidates[i]!.length); k++) {
        const ask = asker.ask(candidates[i]![k]!, goals[i]!.service);
        if (ask) {
          asked.push(ask);
          askedFor.push({ cell: i, candidate: k });
        }
      }
    const verdicts = everyVerdict(engine, asked);
    askedFor.forEach(({ cell, candidate }, k) => {
      if (found[cell] === undefined && verdicts[k]!.verdict === goals[cell]!.verdict) found[cell] = { ...candidates[cell]![candidate]!, service: tracedServiceText(goals[cell]!.service) };
    });
    pending = pending.filter((i) => found[i] === undefined && from + size < candidates[i]!.length);
  }
  return found;
}

function everyVerdict(engine: VerdictEngine, asked: readonly VerdictAsk[]): PathVerdict[] {
  const steps = engine.verdicts(asked);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * Member pairs and services as the engine's ends and services. Names and addresses are placed
 * as `trace` places them (a name is one workload, of any namespace unless it says which, found
 * by the same EndpointResolver; a pair takes both ends' first addresses of one family,
 * sameFamilyPair), each label once: a matrix asks for millions of pairs.
 */
class ExampleAsker {
  private readonly places = new Map<string, Place | null>();
  private readonly resolver: EndpointResolver;
  private readonly hostOf: ReadonlyMap<string, string>;

  constructor(
    inventory: Inventory,
    private readonly engine: VerdictEngine,
  ) {
    this.resolver = new EndpointResolver(inventory);
    this.hostOf = addressHosts(inventory.workloads.filter(takesPart));
  }

  /** Null for a pair `trace` could not place either. */
  ask(pair: NamedPair, service: TracedService): VerdictAsk | null {
    const from = this.place(pair.from);
    const to = this.place(pair.to);
    if (!from || !to) return null;
    const addresses = sameFamilyPair(from.addresses, to.addresses);
    if (!addresses) return null;
    const [a, b] = addresses;
    const probe: PathProbe = service.protocol === 'icmp' ? { protocol: 'icmp', icmpType: echoRequestType(b) } : { protocol: service.protocol, srcPort: TRACE_SOURCE_PORT, dstPort: service.port };
    return { from: this.engine.end(a, from.host ?? this.hostOf.get(a)), to: this.engine.end(b, to.host ?? this.hostOf.get(b)), service: this.engine.service(probe) };
  }

  /** A label's addresses and host: an address as it stands, a name as its one workload. */
  private place(label: string): Place | null {
    let place = this.places.get(label);
    if (place === undefined) {
      const bits = addressBits(label);
      const named = bits ? [] : this.resolver.workloadsNamed(label);
      const workload = named.length === 1 && takesPart(named[0]!) ? named[0] : undefined;
      place = bits ? { addresses: [formatAddress(bits)] } : workload ? { addresses: workload.addresses, host: workload.host } : null;
      this.places.set(label, place);
    }
    return place;
  }
}

interface Place {
  addresses: readonly string[];
  /** A workload's host; an address takes the host of the workload that has it, if any. */
  host?: string;
}

/** The source port `microseg trace` sends from. */
const TRACE_SOURCE_PORT = 49152;

/** How the Trace tab and the cell name a service: `tcp/443`, `icmp`. */
export function tracedServiceText(service: TracedService): string {
  return service.protocol === 'icmp' ? 'icmp' : `${service.protocol}/${service.port}`;
}

/** The first port of a set's intervals that is a service anyone opens (not 0). */
function firstPort(intervals: readonly Interval[]): number | undefined {
  const interval = intervals.find(([, to]) => to >= 1);
  return interval ? Math.max(1, interval[0]) : undefined;
}

function holds(intervals: readonly Interval[], value: number): boolean {
  return intervals.some(([from, to]) => from <= value && value <= to);
}
