import { matchValuesOf } from '../net/address';
import type { DefaultAction } from '../policy/model';
import { ActionLists } from './action-lists';
import type { AddressMatchCache, HostMatches, RuleClauses } from './clauses';
import { ConjunctionBands, ConjunctionText, MatchSlots } from './conjunction-bands';
import type { Flow } from './flow';
import type { FlowList } from './flow-order';
import type { FlowTexts } from './flow-texts';
import { addPortGuards, type GuardedPort } from './port-guard';
import {
  cookieFor,
  FROM_UPLINK,
  HONEYPOT_PRIORITY,
  OWN_REDIRECT_PRIORITY,
  PRIORITY,
  REDIRECT_CT_MARK,
  REDIRECT_REGISTER,
  TABLES,
  UPLINK_LATER_PACKET_PRIORITY,
  UPLINK_REDIRECT_PRIORITY,
} from './pipeline';
import type { RedirectTarget } from './redirects';
import type { ResolvedRule, RuleVerdict } from './rules';

/** The policy tables: egress checks local sources, ingress local destinations. */
export type PolicySide = 'egress' | 'ingress';

const INFRA = cookieFor('infrastructure', 0);
const DENY = cookieFor('default-deny', 0);
// A rejecting default counts apart from a dropping one: same kind, number 1.
const REJECT = cookieFor('default-deny', 1);

/** Policy-wide settings every host's table follows. */
export interface HostTableOptions {
  withIPv6: boolean;
  defaultAction: DefaultAction;
  dhcp: boolean;
  redirects: readonly RedirectTarget[];
  /** With the `redirect` default: the honeypot's number. */
  defaultRedirect?: number;
}

/** What a host's table needs of the workloads behind it: their addresses, and the switch ports known to lead to them. */
export interface HostWorkloads {
  addresses: readonly string[];
  ports: readonly GuardedPort[];
}

/** One rule as every host's policy tables place it, worked out once per compile. */
interface PlacedRule {
  number: number;
  /** Numbered in FlowTexts, as the verdicts' action lists. */
  cookie: number;
  /** The top priority of the rule's band (`ruleBandPriority`). */
  top: number;
  /** The match id of the rule's `conj_id` flow, and that flow's actions in each policy table. */
  conjunction: number;
  verdicts: Record<PolicySide, number>;
  /** Its clauses' match ids (see RuleClauses): every member's, for the side that is remote. */
  allSources: readonly number[];
  allDestinations: readonly number[];
  services: readonly number[] | null;
}

/**
 * The rules on one host's policy table, in rule order, each with the matches of its members
 * there (the local side): two lists side by side, as a compile files hundreds of thousands.
 */
interface HostConjunctions {
  rules: PlacedRule[];
  locals: (readonly number[])[];
}

/** Which rules concern each host, per policy table, and what every host's bands share; worked out once per compile. */
export interface HostClauses {
  /** Per host, in rule order: the rules with a local source (egress) or a local destination (ingress). */
  egress: Map<string, HostConjunctions>;
  ingress: Map<string, HostConjunctions>;
  text: ConjunctionText;
  /** The compile's texts, which the hosts' flows share. */
  flowTexts: FlowTexts;
  /** Scratch the hosts' tables use one after another. */
  slots: MatchSlots;
  lists: ActionLists;
}

/** Files every rule under the hosts of its local sources and destinations. Deterministic. */
export function indexClauses(clauses: readonly RuleClauses[], flowTexts: FlowTexts): HostClauses {
  const egress = new Map<string, HostConjunctions>();
  const ingress = new Map<string, HostConjunctions>();
  const file = (byHost: Map<string, HostConjunctions>, localByHost: HostMatches, remote: readonly number[], rule: PlacedRule): void => {
    // A conjunction with an empty clause can never match; OVS would reject it anyway.
    if (remote.length === 0 || rule.services?.length === 0) return;
    const { hosts, matches } = localByHost;
    for (let i = 0; i < hosts.length; i++) {
      const local = matches[i]!;
      if (local.length === 0) continue;
      let filed = byHost.get(hosts[i]!);
      if (!filed) byHost.set(hosts[i]!, (filed = { rules: [], locals: [] }));
      filed.rules.push(rule);
      filed.locals.push(local);
    }
  };
  const order = redirectOrder(clauses);
  const conjunctions: { cookie: number; arity: number }[] = [];
  for (const c of clauses) {
    const rule: PlacedRule = {
      number: c.rule.number,
      cookie: flowTexts.cookie(c.rule.cookie),
      top: ruleBandPriority(c.rule, order.get(c.rule.number) ?? 0),
      conjunction: flowTexts.matches.id(`conj_id=${c.rule.number}`),
      verdicts: { egress: flowTexts.actions(conjunctionVerdict(c.rule, 'egress')), ingress: flowTexts.actions(conjunctionVerdict(c.rule, 'ingress')) },
      allSources: c.allSources,
      allDestinations: c.allDestinations,
      services: c.services,
    };
    file(egress, c.sourcesByHost, c.allDestinations, rule);
    file(ingress, c.destinationsByHost, c.allSources, rule);
    conjunctions.push({ cookie: rule.cookie, arity: c.services ? 3 : 2 });
  }
  const text = new ConjunctionText(conjunctions);
  return { egress, ingress, text, flowTexts, slots: new MatchSlots(flowTexts.matches.size), lists: new ActionLists(flowTexts) };
}

/**
 * Builds one host's flow table into `flows` (empty): the fixed pipeline plus the egress rules
 * of its local sources and the ingress rules of its local destinations. Deterministic; the
 * flows come in no canonical order (`FlowSorter` gives it).
 */
export function buildHostFlows(flows: FlowList, host: string, clauses: HostClauses, local: HostWorkloads, options: HostTableOptions, addressMatches: AddressMatchCache): void {
  // Only a redirect to a honeypot behind the uplink needs to know where its packet came in.
  const marksUplink = options.redirects.some((t) => t.workload.host !== host);
  const localAddresses = local.addresses;
  addPipeline(flows, options);
  addPortGuards(flows, local.ports, options, classifyConntrack(options));
  addPolicyTable(flows, 'egress', host, clauses, addressMatches.addresses(localAddresses, 'src'), options, marksUplink);
  addPolicyTable(flows, 'ingress', host, clauses, addressMatches.addresses(localAddresses, 'dst'), options, false);
  if (options.redirects.length > 0) addRedirects(flows, host, options.redirects, options.withIPv6);
}

function addPipeline(flows: FlowList, options: HostTableOptions): void {
  const classify = TABLES.classify.id;
  const conntrack = TABLES.conntrack.id;
  const families = options.withIPv6 ? ['ip', 'ipv6'] : ['ip'];
  const infra = (table: number, priority: number, match: string, actions: string[], cookie = INFRA): void => {
    flows.push({ table, priority, cookie, match, actions });
  };

  infra(classify, PRIORITY.infrastructure, 'arp', ['NORMAL']);
  if (options.withIPv6) {
    // Neighbour discovery is IPv6's ARP: without it nothing resolves.
    for (const type of [133, 134, 135, 136]) infra(classify, PRIORITY.infrastructure + 10, `icmp6,icmp_type=${type}`, ['NORMAL']);
  }
  if (options.dhcp) {
    // A DHCP client has no address yet, so no group can match it: let the exchange through.
    const dhcp = cookieFor('dhcp', 0);
    infra(classify, PRIORITY.infrastructure + 10, 'udp,tp_src=68,tp_dst=67', ['NORMAL'], dhcp);
    infra(classify, PRIORITY.infrastructure + 10, 'udp,tp_src=67,tp_dst=68', ['NORMAL'], dhcp);
    // DHCPv6: a client asks from its link-local address, which no group holds either.
    if (options.withIPv6) {
      infra(classify, PRIORITY.infrastructure + 10, 'udp6,tp_src=546,tp_dst=547', ['NORMAL'], dhcp);
      infra(classify, PRIORITY.infrastructure + 10, 'udp6,tp_src=547,tp_dst=546', ['NORMAL'], dhcp);
    }
  }
  for (const family of families) infra(classify, PRIORITY.rule, family, [classifyConntrack(options)]);
  infra(classify, PRIORITY.fallThrough, '', ['drop']);

  infra(conntrack, PRIORITY.conntrackInvalid, 'ct_state=+trk+inv', ['drop']);
  infra(conntrack, PRIORITY.conntrackState, 'ct_state=+trk+est', ['NORMAL']);
  infra(conntrack, PRIORITY.conntrackState, 'ct_state=+trk+rel', ['NORMAL']);
  infra(conntrack, PRIORITY.conntrackState - 10, 'ct_state=+trk+new', [`goto_table:${TABLES.egress.id}`]);
  infra(conntrack, PRIORITY.fallThrough, '', ['drop']);

  // ct() needs an IP match: the switch rejects a bare `ct(commit)` (OFPBAC_MATCH_INCONSISTENT).
  for (const family of families) infra(TABLES.forward.id, PRIORITY.fallThrough, family, ['ct(commit)', 'NORMAL']);
}

/** What table 0 does with an IP packet: through conntrack to the conntrack table. */
function classifyConntrack(options: Pick<HostTableOptions, 'redirects'>): string {
  // With redirects, conntrack's NAT must see every packet, so a redirected connection's
  // later packets and replies are rewritten like its first.
  return options.redirects.length > 0 ? `ct(table=${TABLES.conntrack.id},nat)` : `ct(table=${TABLES.conntrack.id})`;
}

/**
 * Egress checks connections whose source is local; ingress those whose destination is local.
 * Each rule becomes a conjunction (source, destination[, service]) so flows grow with members
 * plus services, not their product. Precedence lives in priorities: DNS to named resolvers,
 * then deny and reject edges, then allow and log edges, then within-group rules, then the
 * default for local workloads. With `marksUplink`, what falls through (no local source) is
 * marked as come in through the uplink.
 */
function addPolicyTable(flows: FlowList, side: PolicySide, host: string, clauses: HostClauses, localMatches: readonly number[], options: HostTableOptions, marksUplink: boolean): void {
  const table = TABLES[side].id;
  // One band per top priority (see PRIORITY): the classes share theirs, redirect edges have their own.
  const bands = new Map<number, ConjunctionBands>();
  const lists = clauses.lists;
  lists.clear();
  const egress = side === 'egress';
  const { rules, locals } = clauses[side].get(host) ?? { rules: [], locals: [] };
  for (let i = 0; i < rules.length; i++) {
    // Two consts, not a destructured pair: the pair was an array per rule and host, 30 MB at the huge size.
    const rule = rules[i]!;
    const local = locals[i]!;
    let band = bands.get(rule.top);
    if (!band) bands.set(rule.top, (band = new ConjunctionBands(table, rule.top, lists, clauses.slots)));
    const priority = band.add(rule.number, egress ? local : rule.allSources, egress ? rule.allDestinations : local, rule.services);
    flows.add(table, priority, rule.cookie, rule.conjunction, rule.verdicts[side]);
  }
  for (const band of bands.values()) band.emit(flows, clauses.text);

  // Every default flow of the table does the same: one actions array serves them all.
  const { cookie, actions } = defaultFlow(side, '', options);
  const [cookieId, actionsId] = [clauses.flowTexts.cookie(cookie), clauses.flowTexts.actions(actions)];
  for (const match of localMatches) flows.add(table, PRIORITY.defaultDeny, cookieId, match, actionsId);
  // In egress only a packet from no local workload falls through: from the uplink (see FROM_UPLINK).
  const fallThrough = marksUplink ? [`load:0x1->${FROM_UPLINK.load}`, nextTable(side)] : [nextTable(side)];
  flows.push({ table, priority: PRIORITY.fallThrough, cookie: INFRA, match: '', actions: fallThrough });
}

/**
 * The top priority of a rule's band: DNS to named resolvers, then deny and reject edges, then
 * redirect edges (one level each, `redirectIndex` being the edge's place among them), then
 * allow and log edges, then within-group rules.
 */
export function ruleBandPriority(rule: ResolvedRule, redirectIndex: number): number {
  return rule.kind === 'dns' ? PRIORITY.policyInfrastructure
    : rule.kind === 'within-group' ? PRIORITY.groupRule
    : rule.verdict === 'redirect' ? PRIORITY.redirectRule - redirectIndex
    : blocks(rule.verdict) ? PRIORITY.blockRule
    : PRIORITY.allowRule;
}

/** What a rule's `conj_id` flow does in one policy table. */
export function conjunctionVerdict(rule: ResolvedRule, side: PolicySide): string[] {
  if (rule.redirectTarget !== undefined) return redirectActions(rule.redirectTarget);
  return blocks(rule.verdict) || rule.verdict === 'redirect' ? ['drop'] : [nextTable(side)];
}

/**
 * The default's flow for one local address match. Monitor mode permits what the default would
 * deny, under the default's cookie: its counters then say how much a real deny would have cut.
 */
export function defaultFlow(side: PolicySide, match: string, options: Pick<HostTableOptions, 'defaultAction' | 'defaultRedirect'>): Flow {
  const actions =
    options.defaultAction === 'monitor' ? [nextTable(side)]
    : options.defaultAction === 'redirect' && options.defaultRedirect !== undefined ? redirectActions(options.defaultRedirect)
    : ['drop'];
  return { table: TABLES[side].id, priority: PRIORITY.defaultDeny, cookie: options.defaultAction === 'reject' ? REJECT : DENY, match, actions };
}

function nextTable(side: PolicySide): string {
  return `goto_table:${side === 'egress' ? TABLES.ingress.id : TABLES.forward.id}`;
}

function blocks(verdict: RuleVerdict): boolean {
  return verdict === 'deny' || verdict === 'reject';
}

/** Each redirect rule's level: the place of its edge among the redirect edges (rule-number order, i.e. edge id). */
function redirectOrder(clauses: readonly RuleClauses[]): Map<number, number> {
  const redirecting = clauses.filter((c) => c.rule.verdict === 'redirect');
  const edges = [...new Set(redirecting.map((c) => c.rule.ref.id))];
  return new Map(redirecting.map((c) => [c.rule.number, edges.indexOf(c.rule.ref.id)]));
}

/** A redirect decision: note the honeypot in reg0 and skip the rest of the policy. */
function redirectActions(target: number): string[] {
  return [`load:${hex(target)}->${REDIRECT_REGISTER.load}`, `goto_table:${TABLES.forward.id}`];
}

/**
 * The honeypot side of redirects. Forward: DNAT the first packet to the honeypot, rewrite its
 * MAC (NORMAL forwards by MAC) and mark the connection; conntrack: later packets of a marked
 * connection get the MAC again (conntrack's NAT already rewrote the IP). A remote honeypot
 * takes what came in through the uplink back out there (addUplinkRedirect). A local honeypot
 * accepts whatever reaches it, and the connections it opens itself are never redirected to
 * it: they are dropped (see OWN_REDIRECT_PRIORITY).
 */
function addRedirects(flows: FlowList, host: string, targets: readonly RedirectTarget[], withIPv6: boolean): void {
  for (const t of targets) {
    const cookie = cookieFor('redirect', t.number);
    const register = `${REDIRECT_REGISTER.match}=${hex(t.number)}/${REDIRECT_REGISTER.mask}`;
    const mark = `${REDIRECT_CT_MARK.match}=${hex(t.number)}/${REDIRECT_CT_MARK.mask}`;
    for (const [family, address] of [['ip', t.ipv4], ['ipv6', t.ipv6]] as const) {
      if (!address) {
        // A connection of a family the honeypot has no address of cannot be redirected; it
        // must not fall through to the ordinary commit and reach its real destination.
        if (family === 'ip' || withIPv6) flows.push({ table: TABLES.forward.id, priority: PRIORITY.rule, cookie, match: `${register},${family}`, actions: ['drop'] });
        continue;
      }
      const natAddress = family === 'ipv6' ? `[${address}]` : address;
      const commit = `ct(commit,nat(dst=${natAddress}),exec(load:${hex(t.number)}->${REDIRECT_CT_MARK.load}))`;
      flows.push({ table: TABLES.forward.id, priority: PRIORITY.rule, cookie, match: `${register},${family}`, actions: [commit, `mod_dl_dst:${t.mac}`, 'NORMAL'] });
      flows.push({ table: TABLES.conntrack.id, priority: PRIORITY.conntrackState + 10, cookie, match: `ct_state=+trk+est-rpl,${mark},${family}`, actions: [`mod_dl_dst:${t.mac}`, 'NORMAL'] });
      if (t.workload.host !== host) addUplinkRedirect(flows, t, family, natAddress, cookie);
      else {
        const dst = family === 'ip' ? `ip,nw_dst=${address}` : `ipv6,ipv6_dst=${address}`;
        flows.push({ table: TABLES.ingress.id, priority: HONEYPOT_PRIORITY, cookie, match: dst, actions: [`goto_table:${TABLES.forward.id}`] });
        for (const own of matchValuesOf(t.workload.addresses, family === 'ip' ? 4 : 6)) {
          const src = family === 'ip' ? `nw_src=${own}` : `ipv6_src=${own}`;
          flows.push({ table: TABLES.forward.id, priority: OWN_REDIRECT_PRIORITY, cookie, match: `${register},${family},${src}`, actions: ['drop'] });
        }
      }
    }
  }
}

/**
 * A honeypot behind the uplink, for a packet that came in there (FROM_UPLINK): the same
 * redirect, but out through the input port; and so for the connection's later packets, which
 * come in there too. Above the honeypot's NORMAL flows, which would drop them.
 */
function addUplinkRedirect(flows: FlowList, t: RedirectTarget, family: 'ip' | 'ipv6', natAddress: string, cookie: string): void {
  const marked = hex(FROM_UPLINK.bit | t.number);
  const commit = `ct(commit,nat(dst=${natAddress}),exec(load:${marked}->${FROM_UPLINK.mark}))`;
  const register = `${REDIRECT_REGISTER.match}=${marked}/${FROM_UPLINK.mask}`;
  const mark = `${REDIRECT_CT_MARK.match}=${marked}/${FROM_UPLINK.mask}`;
  flows.push({ table: TABLES.forward.id, priority: UPLINK_REDIRECT_PRIORITY, cookie, match: `${register},${family}`, actions: [commit, `mod_dl_dst:${t.mac}`, 'in_port'] });
  flows.push({ table: TABLES.conntrack.id, priority: UPLINK_LATER_PACKET_PRIORITY, cookie, match: `ct_state=+trk+est-rpl,${mark},${family}`, actions: [`mod_dl_dst:${t.mac}`, 'in_port'] });
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
