import type { Diagnostic } from '../diagnostics';
import type { Inventory, Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { parseCidr } from '../net/address';
import { cidrMatcher } from '../net/cidr-set';
import { lintPolicy } from '../policy/lint';
import { groupCriteria, resolveMembership } from '../policy/membership';
import type { Policy } from '../policy/model';
import { validatePolicy } from '../policy/validate';
import { addressMatch } from './clauses';
import { compileInDetail, type CompileDetail, type CompileResult, type HostTable } from './compile';
import { conjunctionAction, conjunctionCode } from './conjunction-bands';
import { MatchChangeLog, type CountedMatches, type Flips } from './counted-matches';
import { compareFlows, type Flow } from './flow';
import { diffCompiles, sameFlow, type HostTableChange } from './flow-diff';
import { ByFlowIdentity, flowsByIdentity, type Filed } from './flow-identities';
import { conjunctionVerdict, defaultFlow, type HostTableOptions, type PolicySide } from './host-table';
import { MAX_CONJUNCTIONS_PER_FLOW, TABLES } from './pipeline';
import { bumpMember, groupsByWorkload, sessionRules, type SessionRule, type SessionRules } from './session-rules';

/** Workloads put (added, or replaced by id) and removed (by id). */
export interface InventoryChange {
  put?: readonly Workload[];
  remove?: readonly string[];
}

interface HostState {
  flows: ByFlowIdentity<Flow>;
  workloadCount: number;
  /** Local addresses' matches: one default flow each, per direction. */
  defaults: Record<'src' | 'dst', CountedMatches>;
  /** The table in canonical order, until patches outnumber MAX_PENDING_ORDER. */
  sorted?: readonly Flow[];
  /** Patches since `sorted` was last in order: placed when result() asks, as most patches are never asked for. */
  pending: { add: Flow[]; remove: Flow[] }[];
}

/**
 * What a patch does to one flow identity: set it (null deletes it) or change its conjunction
 * codes (a code to add as itself, one to remove as its complement, `~code`).
 */
type FlowEdit = { table: number; priority: number; match: string } & ({ set: Flow | null } | { codes: number[] });

/** What lets a session patch its tables rather than recompile; absent when the policy rules that out. */
interface PatchState {
  rules: SessionRules;
  groupsOf: Map<string, string[]>;
  /** Addresses inside a group's blocks or the DNS resolvers: a change there recompiles. */
  inBlocks: (address: string) => boolean;
  options: HostTableOptions;
  /** Whether IPv6 comes from the policy itself, else from how many workloads have an IPv6 address. */
  ipv6: { fromPolicy: boolean; workloads: number };
  /** Conjunction actions made by patches, by code (see actionOf). */
  actionTexts: string[];
}

const EMPTY: CountedMatches = new Map();
/** Patches kept to place into a host's ordered table; past this many, it is sorted anew when asked for. */
const MAX_PENDING_ORDER = 16;

/**
 * A compile kept alive between inventory changes. `apply` returns the flows each host must add
 * and delete, exactly what `diffCompiles` of two full compiles gives, but patches only the
 * rules and hosts a changed workload touches. Changes it cannot patch exactly (address blocks,
 * named ports, honeypots, a host appearing or vanishing, IPv6 appearing, a match overflowing
 * its flow) recompile in full and diff.
 */
export class CompileSession {
  private readonly listed = new Map<string, Workload>();
  private hosts = new Map<string, HostState>();
  private summary: Pick<CompileResult, 'rules'> = { rules: [] };
  private diagnostics: Diagnostic[] | undefined;
  private patch: PatchState | undefined;
  /** Groups of the workloads arriving in the change being applied: resolved once, used twice. */
  private readonly arriving = new Map<Workload, string[]>();
  /** The groups a workload's own criteria put it in, with the policy's selectors parsed once. */
  private readonly criteria: (workload: Workload) => string[];
  /** Whether the last `apply` patched the tables (rather than recompiling): for tests and figures. */
  lastApplyPatched = false;

  constructor(
    private readonly policy: Policy,
    private readonly inventory: Inventory,
  ) {
    for (const w of inventory.workloads) this.listed.set(w.id, w);
    this.criteria = groupCriteria(policy);
    this.restart(compileInDetail(policy, inventory));
  }

  /** The current compile result, equal to `compilePolicy` of the current inventory. */
  result(): CompileResult {
    const hosts: HostTable[] = [...this.hosts.keys()].sort().map((host) => {
      const state = this.hosts.get(host)!;
      // Sorting a large host's table anew costs a hundred times a patch: move only what changed.
      for (const { add, remove } of state.pending) if (state.sorted) state.sorted = patchedOrder(state.sorted, remove, add);
      state.pending = [];
      state.sorted ??= [...state.flows.values()].sort(compareFlows);
      return { host, flows: state.sorted, flowCount: state.sorted.length, workloadCount: state.workloadCount };
    });
    // Patching never changes validation, and no patchable policy has honeypot diagnostics: only lint can change.
    this.diagnostics ??= [...validatePolicy(this.policy), ...lintPolicy(this.policy, resolveMembership(this.policy, this.participants()), this.sortedListed())];
    return { hosts, rules: this.summary.rules, diagnostics: this.diagnostics, flowCount: hosts.reduce((n, h) => n + h.flowCount, 0) };
  }

  /** Applies an inventory change; returns each changed host's flows to add and delete (as `diffCompiles`). */
  apply(change: InventoryChange): HostTableChange[] {
    const pairs = new Map<string, { before?: Workload; after?: Workload }>();
    for (const id of change.remove ?? []) pairs.set(id, { before: pairs.get(id)?.before ?? this.listed.get(id) });
    for (const w of change.put ?? []) pairs.set(w.id, { before: pairs.get(w.id)?.before ?? this.listed.get(w.id), after: w });
    for (const [id, { after }] of pairs) {
      if (after) this.listed.set(id, after);
      else this.listed.delete(id);
    }
    const taking = [...pairs.values()].map(({ before, after }) => ({ before: before && takesPart(before) ? before : undefined, after: after && takesPart(after) ? after : undefined }));
    const patched = this.patch && this.patchable(this.patch, taking) ? this.patchTables(this.patch, taking) : undefined;
    this.arriving.clear();
    this.lastApplyPatched = patched !== undefined;
    if (patched) {
      this.diagnostics = undefined;
      return patched;
    }
    const before = this.result();
    this.restart(compileInDetail(this.policy, { ...this.inventory, workloads: [...this.listed.values()] }));
    return diffCompiles(before, this.result());
  }

  private restart(detail: CompileDetail): void {
    const { result, resolved } = detail;
    this.summary = { rules: result.rules };
    this.diagnostics = result.diagnostics;
    this.hosts = new Map(result.hosts.map((h) => [h.host, { flows: flowsByIdentity(h.flows), workloadCount: h.workloadCount, defaults: { src: new Map(), dst: new Map() }, sorted: h.flows, pending: [] }]));
    this.patch = undefined;
    if (!resolved || resolved.options.redirects.length > 0 || this.wantsRedirects()) return;

    for (const w of resolved.workloads) this.bumpDefaults(w, 1);
    const rules = sessionRules(this.policy, resolved.rules, resolved.options.withIPv6);
    // A rule spilled below its band's top (a match serving too many rules) needs the bands' own placement.
    for (const host of this.hosts.values()) {
      for (const f of host.flows.values()) if (f.match.startsWith('conj_id=') && rules.byNumber[Number(f.match.slice(8)) - 1]?.top !== f.priority) return;
    }
    const blocks = [...this.policy.groups.flatMap((g) => g.selector.cidrs ?? []), ...(this.policy.infrastructure?.dnsResolvers ?? [])];
    this.patch = {
      rules,
      groupsOf: groupsByWorkload(resolved.membership),
      inBlocks: cidrMatcher(blocks),
      options: resolved.options,
      ipv6: { fromPolicy: blocks.some((b) => parseCidr(b)?.family === 6), workloads: resolved.workloads.filter(hasIPv6).length },
      actionTexts: [],
    };
  }

  private wantsRedirects(): boolean {
    return this.policy.defaults.betweenGroups === 'redirect' || this.policy.edges.some((e) => e.action === 'redirect');
  }

  /** Whether every changed workload stays clear of what only a full compile resolves. */
  private patchable(patch: PatchState, pairs: readonly { before?: Workload; after?: Workload }[]): boolean {
    const counts = new Map<string, number>();
    let ipv6 = patch.ipv6.workloads;
    for (const { before, after } of pairs) {
      if (!keepsPortGuard(before, after)) return false;
      for (const [w, delta] of [[before, -1], [after, 1]] as const) {
        if (!w) continue;
        if (w.addresses.some(patch.inBlocks)) return false;
        if (this.groupsOf(patch, w, delta).some((g) => patch.rules.namedPortDestinations.has(g))) return false;
        counts.set(w.host, (counts.get(w.host) ?? 0) + delta);
        if (hasIPv6(w)) ipv6 += delta;
      }
    }
    // IPv6 appearing or vanishing changes every host's pipeline.
    if ((patch.ipv6.fromPolicy || ipv6 > 0) !== patch.options.withIPv6) return false;
    patch.ipv6.workloads = ipv6;
    // A host whose first workload arrives or last one leaves gains or loses its whole table.
    return [...counts].every(([host, delta]) => {
      const count = this.hosts.get(host)?.workloadCount ?? 0;
      return count > 0 && count + delta > 0;
    });
  }

  /** The groups of a workload leaving (delta -1, as resolved before) or arriving (delta 1). */
  private groupsOf(patch: PatchState, w: Workload, delta: 1 | -1): string[] {
    if (delta < 0) return patch.groupsOf.get(w.id) ?? [];
    let groups = this.arriving.get(w);
    if (!groups) this.arriving.set(w, (groups = this.criteria(w)));
    return groups;
  }

  /** Patches the tables; undefined when a flow would outgrow one OpenFlow message (the bands must then spill). */
  private patchTables(patch: PatchState, pairs: readonly { before?: Workload; after?: Workload }[]): HostTableChange[] | undefined {
    const log = new MatchChangeLog();
    const touched = new Set<SessionRule>();
    const changedHosts = new Set<string>();
    for (const { before, after } of pairs) {
      for (const [w, delta] of [[before, -1], [after, 1]] as const) {
        if (!w) continue;
        const groups = this.groupsOf(patch, w, delta);
        const asSource = [...patch.rules.everyone, ...groups.flatMap((g) => patch.rules.bySource.get(g) ?? [])];
        const asDestination = groups.flatMap((g) => patch.rules.byDestination.get(g) ?? []);
        bumpMember(w, asSource, asDestination, delta, log);
        for (const rule of [...asSource, ...asDestination]) touched.add(rule);
        this.bumpDefaults(w, delta, log);
        this.hosts.get(w.host)!.workloadCount += delta;
        changedHosts.add(w.host);
        if (delta < 0) patch.groupsOf.delete(w.id);
        else patch.groupsOf.set(w.id, groups);
      }
    }

    const edits = new Map<string, ByFlowIdentity<FlowEdit>>();
    const editsOf = (host: string): ByFlowIdentity<FlowEdit> => {
      let filed = edits.get(host);
      if (!filed) edits.set(host, (filed = new ByFlowIdentity<FlowEdit>()));
      return filed;
    };
    for (const rule of touched) {
      for (const side of ['egress', 'ingress'] as const) {
        for (const host of changedHosts) this.editRule(rule, side, host, log, editsOf);
        // The remote end changed: every host holding the local end may serve it differently.
        const remoteFlips = log.flips(rule.all[side === 'egress' ? 'dst' : 'src']);
        if (remoteFlips.entered.length + remoteFlips.left.length === 0) continue;
        for (const host of rule.local[side === 'egress' ? 'src' : 'dst'].keys()) if (!changedHosts.has(host)) this.editRule(rule, side, host, log, editsOf);
      }
    }
    for (const host of changedHosts) {
      const state = this.hosts.get(host)!;
      for (const side of ['egress', 'ingress'] as const) {
        const { entered, left } = log.flips(state.defaults[side === 'egress' ? 'src' : 'dst']);
        for (const match of entered) setFlow(editsOf(host), defaultFlow(side, match, patch.options));
        for (const match of left) setFlow(editsOf(host), defaultFlow(side, match, patch.options), false);
      }
    }
    return this.commit(patch, edits);
  }

  /**
   * The edits one rule's change makes in one host's policy table. A relabel asks this of every
   * host holding one of the rule's ends (thousands of calls for a few hundred edits), so the
   * calls that edit nothing return before allocating anything.
   */
  private editRule(rule: SessionRule, side: PolicySide, host: string, log: MatchChangeLog, editsOf: (host: string) => ByFlowIdentity<FlowEdit>): void {
    const egress = side === 'egress';
    const local = rule.local[egress ? 'src' : 'dst'].get(host) ?? EMPTY;
    const remote = rule.all[egress ? 'dst' : 'src'];
    const withServices = rule.services?.length !== 0;
    const now = withServices && local.size > 0 && remote.size > 0;
    const was = withServices && log.sizeBefore(local) > 0 && log.sizeBefore(remote) > 0;
    if (!now && !was) return;

    const table = TABLES[side].id;
    const sources = egress ? local : remote;
    const destinations = egress ? remote : local;
    const edits = editsOf(host);
    if (now && was) {
      this.editFlips(rule, table, 1, log.flips(sources), edits);
      this.editFlips(rule, table, 2, log.flips(destinations), edits);
      return;
    }
    // The rule starts or stops applying on this host: all its clauses and its conj_id flow come or go.
    for (const m of now ? sources.keys() : log.matchesBefore(sources)) editCode(edits, table, rule, m, 1, now);
    for (const m of now ? destinations.keys() : log.matchesBefore(destinations)) editCode(edits, table, rule, m, 2, now);
    for (const m of rule.services ?? []) editCode(edits, table, rule, m, 3, now);
    setFlow(edits, { table, priority: rule.top, cookie: rule.rule.cookie, match: rule.conjunctionMatch, actions: conjunctionVerdict(rule.rule, side) }, now);
  }

  /** The edits of a clause whose matches entered and left it. */
  private editFlips(rule: SessionRule, table: number, clause: number, { entered, left }: Flips, edits: ByFlowIdentity<FlowEdit>): void {
    for (const m of entered) editCode(edits, table, rule, m, clause, true);
    for (const m of left) editCode(edits, table, rule, m, clause, false);
  }

  /** Turns the edits into flows, checks they fit, stores them; returns the changes per host. */
  private commit(patch: PatchState, edits: Map<string, ByFlowIdentity<FlowEdit>>): HostTableChange[] | undefined {
    const changes: HostTableChange[] = [];
    const written: { state: HostState; edits: FlowEdit[]; flows: (Flow | null)[]; slots: (Filed<Flow> | undefined)[]; add: Flow[]; remove: Flow[] }[] = [];
    // Hosts in name order, as diffCompiles gives them: the session's hosts are filed that way.
    for (const [host, state] of this.hosts) {
      const hostEdits = edits.get(host);
      if (!hostEdits) continue;
      const add: Flow[] = [];
      const remove: Flow[] = [];
      const made: FlowEdit[] = [];
      const flows: (Flow | null)[] = [];
      const slots: (Filed<Flow> | undefined)[] = [];
      for (const edit of hostEdits.values()) {
        const slot = state.flows.filed(edit.table, edit.priority, edit.match);
        const before = slot?.value;
        const after = 'set' in edit ? edit.set : this.conjunctionFlow(patch, before, edit);
        if (after && after.actions.length > MAX_CONJUNCTIONS_PER_FLOW) return undefined;
        if (after && sameFlow(before, after)) continue;
        if (before) remove.push(before);
        if (after) add.push(after);
        made.push(edit);
        flows.push(after);
        slots.push(slot);
      }
      if (add.length + remove.length === 0) continue;
      changes.push({ host, add: inOrder(add), remove: inOrder(remove) });
      written.push({ state, edits: made, flows, slots, add, remove });
    }
    // Nothing is stored until every host's flows fit: a patch that cannot be made recompiles from the state as it was.
    for (const { state, edits: made, flows, slots, add, remove } of written) {
      if (state.pending.length >= MAX_PENDING_ORDER) state.sorted = undefined;
      if (state.sorted) state.pending.push({ add, remove });
      else state.pending = [];
      for (let i = 0; i < made.length; i++) {
        const { table, priority, match } = made[i]!;
        const flow = flows[i]!;
        const slot = slots[i];
        if (flow && slot) slot.value = flow;
        else if (flow) state.flows.set(table, priority, match, flow);
        else state.flows.delete(table, priority, match);
      }
    }
    return changes;
  }

  /**
   * A match's flow after its conjunction codes changed; null when it serves no rule any more.
   * Its actions are in code order (rules are placed by ascending number), so each changed code
   * finds its place by bisection: a popular match's flow carries thousands of actions, and
   * reading them all back into codes made one relabel cost milliseconds.
   */
  private conjunctionFlow(patch: PatchState, before: Flow | undefined, edit: FlowEdit & { codes: number[] }): Flow | null {
    const kept = before?.actions ?? [];
    const codes = edit.codes;
    // Usually one code changes; more are taken in code order.
    sortCodes(codes);
    const actions: string[] = [];
    let from = 0;
    for (const change of codes) {
      const adding = change >= 0;
      const code = adding ? change : ~change;
      const at = firstAtOrAfter(kept, code, from);
      for (let i = from; i < at; i++) actions.push(kept[i]!);
      from = at;
      const present = at < kept.length && conjunctionCode(kept[at]!) === code;
      if (present) from++;
      if (adding) actions.push(present ? kept[at]! : this.actionOf(patch, code));
    }
    for (let i = from; i < kept.length; i++) actions.push(kept[i]!);
    if (actions.length === 0) return null;
    return { table: edit.table, priority: edit.priority, cookie: ruleOfCode(patch, conjunctionCode(actions[0]!)).rule.cookie, match: edit.match, actions };
  }

  /** A code's `conjunction(…)` action, one string per code for the session: relabels add the same few over and over. */
  private actionOf(patch: PatchState, code: number): string {
    return (patch.actionTexts[code] ??= conjunctionAction(code, ruleOfCode(patch, code).services ? 3 : 2));
  }

  private bumpDefaults(w: Workload, delta: 1 | -1, log = new MatchChangeLog()): void {
    const defaults = this.hosts.get(w.host)?.defaults;
    if (!defaults) return;
    for (const a of w.addresses) {
      for (const direction of ['src', 'dst'] as const) {
        const match = addressMatch(a, direction);
        if (match !== undefined) log.bump(defaults[direction], match, delta);
      }
    }
  }

  private participants(): Workload[] {
    return this.sortedListed().filter(takesPart);
  }

  private sortedListed(): Workload[] {
    return [...this.listed.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}

/**
 * Whether a change leaves table 0's spoof guard as it was (compiler/port-guard.ts): no switch port
 * before or after, or the same port on the same host with the same addresses. Guards are not
 * patched: workloads with known ports come from static files, which change by whole reloads.
 */
function keepsPortGuard(before: Workload | undefined, after: Workload | undefined): boolean {
  if (before?.switchPort === undefined && after?.switchPort === undefined) return true;
  return (
    before !== undefined &&
    after !== undefined &&
    before.switchPort === after.switchPort &&
    before.host === after.host &&
    before.addresses.length === after.addresses.length &&
    before.addresses.every((a, i) => a === after.addresses[i])
  );
}

function hasIPv6(w: Workload): boolean {
  return w.addresses.some((a) => parseCidr(a)?.family === 6);
}

/** The first index from `from` on whose conjunction action's code is `code` or more (actions in code order). */
function ruleOfCode(patch: PatchState, code: number): SessionRule {
  return patch.rules.byNumber[(code >> 2) - 1]!;
}

/** Flows in canonical order; most hosts change one or two flows, which a sort would still copy. */
function inOrder(flows: Flow[]): Flow[] {
  return flows.length > 1 ? flows.sort(compareFlows) : flows;
}

/**
 * Puts edited codes (`~code` for a removal) in code order, in place, by insertion: an edit holds
 * a few codes (each at most once: a clause's flips are net), and the engine's sort allocated
 * more than the edit itself.
 */
function sortCodes(codes: number[]): void {
  for (let i = 1; i < codes.length; i++) {
    const change = codes[i]!;
    const code = change < 0 ? ~change : change;
    let j = i;
    for (; j > 0; j--) {
      const previous = codes[j - 1]!;
      if ((previous < 0 ? ~previous : previous) <= code) break;
      codes[j] = previous;
    }
    codes[j] = change;
  }
}

function firstAtOrAfter(actions: readonly string[], code: number, from: number): number {
  let low = from;
  let high = actions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (conjunctionCode(actions[middle]!) < code) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Files the adding (or removing) of one clause's conjunction code on a match's flow. */
function editCode(edits: ByFlowIdentity<FlowEdit>, table: number, rule: SessionRule, match: string, clause: number, add: boolean): void {
  let edit = edits.get(table, rule.top, match);
  if (!edit) edits.set(table, rule.top, match, (edit = { table, priority: rule.top, match, codes: [] }));
  const code = rule.rule.number * 4 + clause;
  if ('codes' in edit) edit.codes.push(add ? code : ~code);
}

/** Files the edit that sets `flow`'s identity to it, or deletes that identity (`keep` false). */
function setFlow(edits: ByFlowIdentity<FlowEdit>, flow: Flow, keep = true): void {
  edits.set(flow.table, flow.priority, flow.match, { table: flow.table, priority: flow.priority, match: flow.match, set: keep ? flow : null });
}

/**
 * A table in canonical order without `remove` and with `add` (both in canonical order), as a
 * new array: earlier results keep theirs. A table holds one flow per identity, so a flow's
 * place is where compareFlows puts it; a replaced flow's successor lands where it was.
 */
function patchedOrder(sorted: readonly Flow[], remove: readonly Flow[], add: readonly Flow[]): Flow[] {
  const removed = new Set(remove.map((f) => firstNotBefore(sorted, f)));
  // Each added flow goes before the first flow not before it (a replaced one, which leaves).
  const places = add.map((f) => firstNotBefore(sorted, f));
  const out: Flow[] = [];
  let next = 0;
  for (let i = 0; i <= sorted.length; i++) {
    while (next < add.length && places[next] === i) out.push(add[next++]!);
    if (i < sorted.length && !removed.has(i)) out.push(sorted[i]!);
  }
  return out;
}

/** The first position whose flow compareFlows does not put before `flow`. */
function firstNotBefore(sorted: readonly Flow[], flow: Flow): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareFlows(sorted[middle]!, flow) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
