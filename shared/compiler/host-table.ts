import type { DefaultAction } from '../policy/model';
import { addressMatchesOf, type RuleClauses } from './clauses';
import { ConjunctionBands } from './conjunction-bands';
import { compareFlows, type Flow } from './flow';
import { cookieFor, HONEYPOT_PRIORITY, PRIORITY, REDIRECT_CT_MARK, REDIRECT_REGISTER, TABLES } from './pipeline';
import type { RedirectTarget } from './redirects';
import type { RuleVerdict } from './rules';

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
  side: 'egress' | 'ingress',
  host: string,
  clauses: readonly RuleClauses[],
  localAddresses: readonly string[],
  options: HostTableOptions,
): void {
  const table = TABLES[side].id;
  const next = `goto_table:${side === 'egress' ? TABLES.ingress.id : TABLES.forward.id}`;
  const bands = {
    infrastructure: new ConjunctionBands(table, PRIORITY.policyInfrastructure),
    block: new ConjunctionBands(table, PRIORITY.blockRule),
    allow: new ConjunctionBands(table, PRIORITY.allowRule),
    group: new ConjunctionBands(table, PRIORITY.groupRule),
  };
  // One level per redirect edge (see PRIORITY): a band of their own, shared only by the rules
  // one edge's named ports give, which all redirect to the same honeypot.
  const order = redirectOrder(clauses);
  const redirectLevels = new Map<number, ConjunctionBands>();
  const redirectBand = (rule: number): ConjunctionBands => {
    const index = order.get(rule) ?? 0;
    let band = redirectLevels.get(index);
    if (!band) redirectLevels.set(index, (band = new ConjunctionBands(table, PRIORITY.redirectRule - index)));
    return band;
  };

  for (const c of clauses) {
    const sources = side === 'egress' ? c.sourcesByHost.get(host) : c.allSources;
    const destinations = side === 'egress' ? c.allDestinations : c.destinationsByHost.get(host);
    // A conjunction with an empty clause can never match; OVS would reject it anyway.
    if (!sources?.length || !destinations?.length || c.services?.length === 0) continue;

    const band =
      c.rule.kind === 'dns' ? bands.infrastructure
      : c.rule.kind === 'within-group' ? bands.group
      : c.rule.verdict === 'redirect' ? redirectBand(c.rule.number)
      : blocks(c.rule.verdict) ? bands.block
      : bands.allow;
    const priority = band.add(c.rule.number, c.rule.cookie, c.services ? [sources, destinations, c.services] : [sources, destinations]);
    const actions = c.rule.redirectTarget !== undefined ? redirectActions(c.rule.redirectTarget) : blocks(c.rule.verdict) || c.rule.verdict === 'redirect' ? ['drop'] : [next];
    flows.push({ table, priority, cookie: c.rule.cookie, match: `conj_id=${c.rule.number}`, actions });
  }
  for (const band of [...Object.values(bands), ...redirectLevels.values()]) band.emit(flows);

  // Monitor mode permits what the default would deny, under the default's cookie: its
  // counters then say how much a real deny would have cut.
  const defaultActions =
    options.defaultAction === 'monitor' ? [next]
    : options.defaultAction === 'redirect' && options.defaultRedirect !== undefined ? redirectActions(options.defaultRedirect)
    : ['drop'];
  const defaultCookie = options.defaultAction === 'reject' ? REJECT : DENY;
  for (const match of addressMatchesOf(localAddresses, side === 'egress' ? 'src' : 'dst')) {
    flows.push({ table, priority: PRIORITY.defaultDeny, cookie: defaultCookie, match, actions: defaultActions });
  }
  flows.push({ table, priority: PRIORITY.fallThrough, cookie: INFRA, match: '', actions: [next] });
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
