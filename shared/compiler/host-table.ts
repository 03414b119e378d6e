import type { DefaultAction } from '../policy/model';
import { addressMatchesOf, type RuleClauses } from './clauses';
import { ConjunctionBands } from './conjunction-bands';
import { compareFlows, type Flow } from './flow';
import { cookieFor, HONEYPOT_PRIORITY, PRIORITY, REDIRECT_CT_MARK, REDIRECT_REGISTER, TABLES } from './pipeline';
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

/**
 * Builds one host's flow table: the fixed pipeline plus the egress rules of its local
 * sources and the ingress rules of its local destinations. Pure and deterministic.
 */
export function buildHostFlows(host: string, clauses: readonly RuleClauses[], localAddresses: readonly string[], options: HostTableOptions): Flow[] {
  const flows: Flow[] = [];
  addPipeline(flows, options);
  addPolicyTable(flows, 'egress', host, clauses, localAddresses, options);
  addPolicyTable(flows, 'ingress', host, clauses, localAddresses, options);
  if (options.redirects.length > 0) addRedirects(flows, host, options.redirects, options.withIPv6);
  return flows.sort(compareFlows);
}

function addPipeline(flows: Flow[], options: HostTableOptions): void {
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
  }
  // With redirects, conntrack's NAT must see every packet, so a redirected connection's
  // later packets and replies are rewritten like its first.
  const ct = options.redirects.length > 0 ? `ct(table=${conntrack},nat)` : `ct(table=${conntrack})`;
  for (const family of families) infra(classify, PRIORITY.rule, family, [ct]);
  infra(classify, PRIORITY.fallThrough, '', ['drop']);

  infra(conntrack, PRIORITY.conntrackInvalid, 'ct_state=+trk+inv', ['drop']);
  infra(conntrack, PRIORITY.conntrackState, 'ct_state=+trk+est', ['NORMAL']);
  infra(conntrack, PRIORITY.conntrackState, 'ct_state=+trk+rel', ['NORMAL']);
  infra(conntrack, PRIORITY.conntrackState - 10, 'ct_state=+trk+new', [`goto_table:${TABLES.egress.id}`]);
  infra(conntrack, PRIORITY.fallThrough, '', ['drop']);

  // ct() needs an IP match: the switch rejects a bare `ct(commit)` (OFPBAC_MATCH_INCONSISTENT).
  for (const family of families) infra(TABLES.forward.id, PRIORITY.fallThrough, family, ['ct(commit)', 'NORMAL']);
}

/**
 * Egress checks connections whose source is local; ingress those whose destination is local.
 * Each rule becomes a conjunction (source, destination[, service]) so flows grow with members
 * plus services, not their product. Precedence lives in priorities: DNS to named resolvers,
 * then deny and reject edges, then allow and log edges, then within-group rules, then the
 * default for local workloads.
 */
function addPolicyTable(
  flows: Flow[],
  side: PolicySide,
  host: string,
  clauses: readonly RuleClauses[],
  localAddresses: readonly string[],
  options: HostTableOptions,
): void {
  const table = TABLES[side].id;
  // One band per top priority (see PRIORITY): the classes share theirs, redirect edges have their own.
  const order = redirectOrder(clauses);
  const bands = new Map<number, ConjunctionBands>();
  for (const c of clauses) {
    const sources = side === 'egress' ? c.sourcesByHost.get(host) : c.allSources;
    const destinations = side === 'egress' ? c.allDestinations : c.destinationsByHost.get(host);
    // A conjunction with an empty clause can never match; OVS would reject it anyway.
    if (!sources?.length || !destinations?.length || c.services?.length === 0) continue;

    const top = ruleBandPriority(c.rule, order.get(c.rule.number) ?? 0);
    let band = bands.get(top);
    if (!band) bands.set(top, (band = new ConjunctionBands(table, top)));
    const priority = band.add(c.rule.number, c.rule.cookie, c.services ? [sources, destinations, c.services] : [sources, destinations]);
    flows.push({ table, priority, cookie: c.rule.cookie, match: `conj_id=${c.rule.number}`, actions: conjunctionVerdict(c.rule, side) });
  }
  for (const band of bands.values()) band.emit(flows);

  for (const match of addressMatchesOf(localAddresses, side === 'egress' ? 'src' : 'dst')) flows.push(defaultFlow(side, match, options));
  flows.push({ table, priority: PRIORITY.fallThrough, cookie: INFRA, match: '', actions: [nextTable(side)] });
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
 * connection get the MAC again (conntrack's NAT already rewrote the IP). A local honeypot
 * accepts whatever reaches it.
 */
function addRedirects(flows: Flow[], host: string, targets: readonly RedirectTarget[], withIPv6: boolean): void {
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
      if (t.workload.host === host) {
        const dst = family === 'ip' ? `ip,nw_dst=${address}` : `ipv6,ipv6_dst=${address}`;
        flows.push({ table: TABLES.ingress.id, priority: HONEYPOT_PRIORITY, cookie, match: dst, actions: [`goto_table:${TABLES.forward.id}`] });
      }
    }
  }
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
