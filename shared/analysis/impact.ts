import { qualifiedName, type Inventory, type Workload } from '../inventory/model';
import { addressBits } from '../simulator/address-bits';
import type { Policy } from '../policy/model';
import { addressHosts, type HostFlowTables } from '../simulator/path';
import { resolveMembership } from '../policy/membership';
import { addressKey } from '../simulator/table-index';
import { AddressGroups, endpointLabel, endpointsAt, groupNames, matrixEndpoints, sameParty, type MatrixEndpoint, type WorkloadAddresses } from './endpoints';
import { ChangedAddresses } from './changed-addresses';
import { boxedPairCount, boxedPairs, changedPairs, EndpointLocator, type PairBox } from './changed-pairs';
import { FlowSignatures } from './flow-signatures';
import { HostReach } from './host-reach';
import { ReachabilityAnalysis } from './class-reach';
import { NamedAddresses } from './named-addresses';
import { participantsOf, type Participants } from './participants';
import { pairReach } from './reach';
import { bySwappedHoneypots, changesBetween, mergeChanges, type ReachChanges } from './reach-changes';
import { flowRedirectTargets, tableRedirectTargets } from './redirect-targets';
import { diffTables, type TablesDiff } from './table-diff';
import { finish, PAIRS_PER_STEP, type AnalysisProgress, type AnalysisSteps } from './steps';
import { withoutPortGuards } from '../simulator/port-guards';
import { exampleGoal, tracedServiceText } from './matrix-example';
import { NO_SERVICES, unionServices } from './service-set';
import { withoutInfrastructurePasses, type InfrastructureTraffic, type UnknownPass } from './infrastructure-passes';
import { infrastructureChanges, type InfrastructureChange } from './infrastructure-changes';

/** One side of a comparison: a policy and the tables that enforce it (compiled, or read back from the switches). */
export interface ImpactSide {
  policy: Policy;
  tables: HostFlowTables;
}

/**
 * What a change does to the connections from one group to another: ReachChanges gathered over
 * its address pairs, honeypots named as workloads.
 */
export interface ImpactEntry extends ReachChanges {
  /**
   * Group names (of the newer policy where the address is in one, else of the older);
   * `(no group) NAME` for a workload in none, `(outside)` for an address of no workload.
   */
  from: string;
  to: string;
  /** Address pairs whose reach changed; none of one workload's addresses with each other (sameParty). */
  pairs: number;
  /**
   * The first of them by name, to trace: `web-1 → app-2`, with a service whose connections its
   * own change is about (`tcp/8080`, as exampleGoal picks one), when it changed one that
   * `trace` sends: the entry's services gather every pair's, which this pair's need not hold.
   */
  example: { from: string; to: string; service?: string };
}

export interface ChangeImpact {
  entries: ImpactEntry[];
  /**
   * `changed-flows`: only the address pairs the differing flows can touch were compared (see
   * changedPairs); `every-pair`: every pair of address classes was. `endpoints`: the addresses
   * compared from, or, when the changed flows named only single addresses and the outside
   * address space was not carved up, the workloads' and those (a lower bound).
   */
  stats: { endpoints: number; scope: ImpactScope; pairsCompared: number; simulations: number };
  /** Traffic either side lets through between every pair whatever the groups, which no entry shows (leftOutNote says so). */
  leftOut: InfrastructureTraffic[];
  /**
   * Where that traffic passes on one side's hosts and not on the other's (DHCP turned off): a
   * change no entry can show, since both sides are compared without it. Empty when none.
   */
  infrastructureChanges: InfrastructureChange[];
  /**
   * Flows either side holds under our cookie that pass IP traffic before any policy and that no
   * policy writes (a host's, made by hand): the entries count what they pass, and
   * unknownPassLines says where they are. Each once, by host.
   */
  unknownPasses: UnknownPass[];
}

export type ImpactScope = 'changed-flows' | 'every-pair';

/** What the policy's rules change, before the infrastructure traffic is added. */
type PolicyChanges = Pick<ChangeImpact, 'entries' | 'stats'>;

/** Whether the change does anything at all: some connection, or some traffic passed before any policy. */
export function impactChangesSomething(impact: ChangeImpact): boolean {
  return impact.entries.length > 0 || impact.infrastructureChanges.length > 0;
}

/** Address pairs counted into the entries between two yields; each takes a few microseconds. */
const ADDS_PER_STEP = 1024;

/**
 * The steps before the first pair is compared, at most: each side read, the changed flows'
 * addresses, every address named, then four to class them (a comparison of the changed flows'
 * pairs skips the last five). Each reads every host's tables, so each is a step of its own.
 */
const PREPARATION_STEPS = 8;

function preparation(done: number): AnalysisProgress {
  return { done, total: PREPARATION_STEPS, unit: 'preparation steps' };
}

/**
 * Above this share of all address pairs, narrowing to the changed flows' pairs saves less than
 * classing every address costs: compare classes instead.
 */
const NARROWED_SHARE = 0.25;

/**
 * The connections a change newly permits, blocks and redirects, exactly: addresses (the
 * workloads', and stand-ins for every stretch of outside address space the tables tell apart)
 * are reached through both table sets and the differences reported per group pair and service.
 * Only the pairs some differing flow can touch are compared when they are few (a one-edge
 * change); otherwise the addresses are classed by what both table sets can tell apart and
 * every pair of classes is compared. `scope` forces one way (the tests hold the two to each
 * other). What the pipeline passes between every pair before any policy is left out of both
 * ways and named in `leftOut`; a pass before any policy that no policy writes stays in, and is
 * named in `unknownPasses`. Deterministic: entries sorted by group pair.
 */
export function changeImpact(before: ImpactSide, after: ImpactSide, inventory: Inventory, options: { scope?: ImpactScope } = {}): ChangeImpact {
  return finish(impactSteps(before, after, inventory, options));
}

/** changeImpact as steps of a few dozen pairs (of addresses, or of address classes). */
export function* impactSteps(beforeAsGiven: ImpactSide, afterAsGiven: ImpactSide, inventory: Inventory, options: { scope?: ImpactScope } = {}): AnalysisSteps<ChangeImpact> {
  // Connections between workloads, sent from their own addresses: a spoof guard changes none.
  // What passes every pair before any policy (neighbour discovery once IPv6 comes in) is no
  // change of the policy: both sides are compared without it, as the matrix reads them.
  const older = withoutInfrastructurePasses(withoutPortGuards(beforeAsGiven.tables));
  yield preparation(1);
  const newer = withoutInfrastructurePasses(withoutPortGuards(afterAsGiven.tables));
  yield preparation(2);
  const leftOut = [...new Set([...older.leftOut, ...newer.leftOut])].sort();
  // A host not read keeps the same tables on both sides: its passes are said once.
  const unknownPasses = [...new Map([...older.unknownPasses, ...newer.unknownPasses].map((p) => [JSON.stringify(p), p])).values()].sort((a, b) => a.host.localeCompare(b.host));
  const policyChanges = yield* policyImpact({ ...beforeAsGiven, tables: older.tables }, { ...afterAsGiven, tables: newer.tables }, inventory, options);
  return { ...policyChanges, leftOut, infrastructureChanges: infrastructureChanges(older, newer), unknownPasses };
}

/** The impact on tables that hold only what the policy decides, by the cheaper of the two ways. */
function* policyImpact(before: ImpactSide, after: ImpactSide, inventory: Inventory, options: { scope?: ImpactScope }): AnalysisSteps<PolicyChanges> {
  const diff = diffTables(before.tables, after.tables);
  const participants = participantsOf(inventory);
  const { workloads } = participants;
  if (diff && options.scope !== 'every-pair') {
    const few = pairsOfNamedAddresses(diff, before, after, participants);
    if (few && (options.scope === 'changed-flows' || few.count <= NARROWED_SHARE * few.fewestEndpoints ** 2)) return yield* narrowedImpact(before, after, inventory, few);
    yield preparation(3);
  }

  // Both sides' addresses: the older side's, and those of the flows the newer one adds.
  const named = new NamedAddresses().addTables(before.tables);
  if (diff) for (const table of diff) named.addFlows(table.added);
  else named.addTables(after.tables);
  const endpoints = impactEndpoints(before.policy, after.policy, workloads, named);
  yield preparation(4);
  if (options.scope !== 'every-pair') {
    const boxes = changedPairs(diff, new EndpointLocator(endpoints), named.redirectTargets);
    const count = boxedPairCount(boxes, endpoints.length);
    if (options.scope === 'changed-flows' || count <= NARROWED_SHARE * endpoints.length ** 2) return yield* narrowedImpact(before, after, inventory, { endpoints, boxes, count, fewestEndpoints: endpoints.length });
  }
  return yield* classwiseImpact(before, after, inventory, endpoints);
}

/** The pairs to compare: boxes of endpoint indexes, how many pairs they hold at most, and at least how many endpoints there are. */
interface NarrowedPairs {
  endpoints: MatrixEndpoint[];
  boxes: readonly PairBox[];
  count: number;
  fewestEndpoints: number;
}

/**
 * The changed pairs when every changed flow names its addresses one by one: then only those
 * addresses are endpoints of changed pairs, and the others (every workload's, stand-ins for
 * outside address space) need not be worked out, nor every flow read for the addresses it
 * names. Null when a box takes a prefix or a whole side (every endpoint), as a honeypot does.
 */
function pairsOfNamedAddresses(diff: TablesDiff, before: ImpactSide, after: ImpactSide, { workloads, addresses: owners }: Participants): NarrowedPairs | null {
  const changed = new ChangedAddresses();
  const redirectTargets = [...tableRedirectTargets(before.tables), ...diff.flatMap((table) => flowRedirectTargets(table.added))];
  const boxes = changedPairs(diff, changed, redirectTargets);
  if (changed.prefixAsked || boxes.some((b) => b.sources === null || b.destinations === null)) return null;

  const endpoints = endpointsAt(changed.addresses, owners, AddressGroups.forFew(after.policy, workloads));
  // Groups decide the names; an address the newer policy puts in none keeps the older's.
  if (!sameGroups(before.policy, after.policy)) {
    const older = endpointsAt(changed.addresses, owners, AddressGroups.forFew(before.policy, workloads));
    endpoints.forEach((e, i) => {
      if (e.groups.length === 0) e.groups = older[i]!.groups;
    });
  }
  const outside = endpoints.filter((e) => !e.workload).length;
  return { endpoints, boxes, count: boxedPairCount(boxes, endpoints.length), fewestEndpoints: owners.size + outside };
}

/** Each pair the changed flows can touch, reached through both sides. */
function* narrowedImpact(before: ImpactSide, after: ImpactSide, inventory: Inventory, { endpoints, boxes, count: boxed, fewestEndpoints }: NarrowedPairs): AnalysisSteps<PolicyChanges> {
  const hostOf = hostsWhenAsked(inventory);
  const older = new HostReach(before.tables);
  const newer = new HostReach(after.tables);
  const entries = new ImpactEntries(participantsOf(inventory).addresses);
  let pairsCompared = 0;
  let visited = 0;
  for (const [s, d] of boxedPairs(boxes, endpoints.length)) {
    // A step per pair: the first reach of a host indexes its tables (tens of milliseconds on a
    // large host, where a pair after takes microseconds), and a one-edge change has few pairs.
    // Boxes overlap, so `boxed` only bounds the pairs: the bar may end early, never overrun.
    yield { done: visited++, total: boxed, unit: 'address pairs' };
    const src = endpoints[s]!;
    const dst = endpoints[d]!;
    if (sameParty(src, dst) || src.address.family !== dst.address.family) continue;
    pairsCompared++;
    const changes = changesBetween(pairReach(older, hostOf, src, dst), pairReach(newer, hostOf, src, dst));
    if (changes) entries.add(src, dst, changes);
  }
  return { entries: entries.sorted(), stats: { endpoints: fewestEndpoints, scope: 'changed-flows', pairsCompared, simulations: older.simulations + newer.simulations } };
}

/** Every pair of address classes (what neither side's flows can tell apart), reached through both sides. */
function* classwiseImpact(before: ImpactSide, after: ImpactSide, inventory: Inventory, endpoints: MatrixEndpoint[]): AnalysisSteps<PolicyChanges> {
  const was = new FlowSignatures(before.tables);
  yield preparation(5);
  const now = new FlowSignatures(after.tables);
  yield preparation(6);
  const older = new ReachabilityAnalysis(before.tables, was, [was, now], endpoints, inventory);
  yield preparation(7);
  const newer = new ReachabilityAnalysis(after.tables, now, [was, now], endpoints, inventory);
  yield preparation(8);
  const entries = new ImpactEntries(participantsOf(inventory).addresses);
  let pairsCompared = 0;

  const total = newer.classes.length ** 2;
  let visited = 0;
  let added = 0;
  for (const a of newer.classes)
    for (const b of newer.classes) {
      if (++visited % PAIRS_PER_STEP === 0) yield { done: visited, total, unit: 'class pairs' };
      if (a.members[0]!.address.family !== b.members[0]!.address.family) continue;
      if (a === b && a.members.length < 2) continue;
      pairsCompared++;
      const [src, dst] = a === b ? [a.members[0]!, a.members[1]!] : [a.members[0]!, b.members[0]!];
      const changes = changesBetween(older.reach(src, dst), newer.reach(src, dst));
      if (!changes) continue;
      // Two classes of a thousand addresses each make a million address pairs to count in; a
      // workload's pairs among its own addresses are none (its connections to itself stay inside it).
      for (const s of a.members)
        for (const d of b.members) {
          if (sameParty(s, d)) continue;
          entries.add(s, d, changes);
          if (++added % ADDS_PER_STEP === 0) yield { done: visited, total, unit: 'class pairs' };
        }
    }

  return { entries: entries.sorted(), stats: { endpoints: endpoints.length, scope: 'every-pair', pairsCompared, simulations: older.simulations + newer.simulations } };
}

/** The entries being gathered, one per group pair. */
class ImpactEntries {
  private readonly byPair = new Map<string, ImpactEntry>();
  /** Per group pair, its example so far, with how many of its ends are named by their workload. */
  private readonly examples = new Map<string, RankedExample>();
  /** Per group pair, the workload addresses (with their side) already counted with outside addresses. */
  private readonly countedWithOutside = new Map<string, Set<string>>();
  /**
   * Per group pair, the changes last merged into it. Every address pair of two classes brings the
   * same changes object, and a union with what is in already changes nothing: merged once, not
   * for each of a million pairs.
   */
  private readonly lastMerged = new Map<string, ReachChanges>();

  constructor(private readonly owners: WorkloadAddresses) {}

  /** A honeypot by its workload's name (as trace names it), or its address when no workload has it. */
  private honeypotName(address: string): string {
    const bits = addressBits(address);
    const owner = bits && this.owners.owner(bits);
    return owner ? qualifiedName(owner.workload) : address;
  }

  /**
   * One address pair whose reach changed, counted under every group pair it belongs to. The
   * example is, of the pairs with the most ends named by their workload (a dual-stack
   * workload's IPv6 address is shown bare: trace would take its IPv4 one by name), the first by
   * name, so it says which workloads the change concerns and does not depend on the order
   * pairs come in. As the
   * matrix counts (matrix-grid.ts), a workload address with all the outside addresses of its
   * family (stand-ins for a group's address blocks, named outside addresses) is one pair: how
   * the tables cut the blocks into stand-ins is no count a user can use.
   */
  add(s: MatrixEndpoint, d: MatrixEndpoint, changes: ReachChanges): void {
    const ranked = exampleOf(s, d);
    // Its service only when it is an entry's example: most of a large change's pairs are not.
    let example: ImpactEntry['example'] | undefined;
    const withService = (): ImpactEntry['example'] => (example ??= { from: ranked.from, to: ranked.to, ...changedService(changes) });
    let namedOnce: ReachChanges | undefined;
    const namedOf = (): ReachChanges => (namedOnce ??= { ...changes, honeypotChanged: changes.honeypotChanged.map((swap) => ({ ...swap, from: this.honeypotName(swap.from), to: this.honeypotName(swap.to) })).sort(bySwappedHoneypots) });
    const withOutside = outsideCountKey(s, d);
    for (const from of namesOf(s))
      for (const to of namesOf(d)) {
        const key = `${from}\u0000${to}`;
        const counts = withOutside === undefined || this.firstWithOutside(key, withOutside) ? 1 : 0;
        const entry = this.byPair.get(key);
        if (entry) {
          if (betterExample(ranked, this.examples.get(key)!)) {
            this.examples.set(key, ranked);
            entry.example = withService();
          }
          if (this.lastMerged.get(key) !== changes) Object.assign(entry, mergeChanges(entry, namedOf()));
          this.lastMerged.set(key, changes);
          entry.pairs += counts;
        } else {
          this.examples.set(key, ranked);
          this.lastMerged.set(key, changes);
          this.byPair.set(key, { from, to, ...namedOf(), pairs: counts, example: withService() });
        }
      }
  }

  private firstWithOutside(groupPair: string, key: string): boolean {
    let counted = this.countedWithOutside.get(groupPair);
    if (!counted) this.countedWithOutside.set(groupPair, (counted = new Set()));
    if (counted.has(key)) return false;
    counted.add(key);
    return true;
  }

  sorted(): ImpactEntry[] {
    return [...this.byPair.values()].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  }
}

/** A service the change of one pair is about, as `trace` sends it; none when it changed only what trace cannot send (another IP protocol). */
function changedService(changes: ReachChanges): { service?: string } {
  const changed = [changes.newlyPermitted, changes.newlyBlocked, changes.newlyRedirected, changes.noLongerRedirected, ...changes.honeypotChanged.map((swap) => swap.services)].reduce(unionServices);
  // exampleGoal falls back to a dropped tcp/80 when the set holds nothing trace sends.
  const goal = exampleGoal({ always: changed, sometimes: NO_SERVICES, redirected: NO_SERVICES });
  return goal.verdict === 'dropped' ? {} : { service: tracedServiceText(goal.service) };
}

/**
 * For a pair with an outside end (no switch in front of it), what it counts as: its workload end
 * and the outside end's family, so every outside address of that family makes one pair with it;
 * undefined for a pair of two addresses behind switches, each its own pair.
 */
function outsideCountKey(s: MatrixEndpoint, d: MatrixEndpoint): string | undefined {
  if (s.host !== undefined && d.host !== undefined) return undefined;
  const family = s.address.family;
  return `${s.host !== undefined ? s.text : `outside ${family}`}\u0000${d.host !== undefined ? d.text : `outside ${family}`}`;
}

/**
 * Every address either side's groups or tables call for, once, named by the newer policy's
 * groups, or the older's for an address the newer puts in none (a group that was removed).
 */
function impactEndpoints(before: Policy, after: Policy, workloads: readonly Workload[], named: NamedAddresses): MatrixEndpoint[] {
  const newer = matrixEndpoints(workloads, resolveMembership(after, workloads), named, { outside: true });
  // Groups decide the names; when they are the same, so are the older side's endpoints.
  if (sameGroups(before, after)) return newer;
  const older = matrixEndpoints(workloads, resolveMembership(before, workloads), named, { outside: true });
  const byAddress = new Map(newer.map((e) => [addressKey(e.address), e]));
  for (const e of older) {
    const same = byAddress.get(addressKey(e.address));
    if (!same) byAddress.set(addressKey(e.address), e);
    else if (same.groups.length === 0) same.groups = e.groups;
  }
  return [...byAddress.values()];
}

function sameGroups(before: Policy, after: Policy): boolean {
  return before.groups === after.groups || JSON.stringify(before.groups) === JSON.stringify(after.groups);
}

/**
 * The host of each workload address, as addressHosts gives it, worked out only when a reach
 * asks (a redirect to a honeypot): a narrowed comparison mostly never does.
 */
function hostsWhenAsked(inventory: Inventory): Pick<ReadonlyMap<string, string>, 'get'> {
  let hosts: ReadonlyMap<string, string> | undefined;
  return { get: (address) => (hosts ??= addressHosts(inventory.workloads)).get(address) };
}

function namesOf(endpoint: MatrixEndpoint): readonly string[] {
  return groupNames(endpoint.groups, endpoint.workload);
}

/** An example pair, and how many of its two ends are workload names rather than bare addresses. */
interface RankedExample {
  from: string;
  to: string;
  named: number;
}

function exampleOf(s: MatrixEndpoint, d: MatrixEndpoint): RankedExample {
  const from = endpointLabel(s);
  const to = endpointLabel(d);
  return { from, to, named: Number(from !== s.text) + Number(to !== d.text) };
}

/** Whether `a` makes a better example than `b`: more ends named, then first by name. */
function betterExample(a: RankedExample, b: RankedExample): boolean {
  if (a.named !== b.named) return a.named > b.named;
  return a.from.localeCompare(b.from) < 0 || (a.from === b.from && a.to.localeCompare(b.to) < 0);
}
