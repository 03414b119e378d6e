import { addressMatchesOf, type RuleClauses } from './clauses';
import { compareFlows, type Flow } from './flow';
import { cookieFor, PRIORITY, TABLES } from './pipeline';

const INFRA = cookieFor('infrastructure', 0);
const DENY = cookieFor('default-deny', 0);

/**
 * Builds one host's flow table: the fixed pipeline plus the egress rules of its local
 * sources and the ingress rules of its local destinations. Pure and deterministic.
 */
export function buildHostFlows(host: string, clauses: readonly RuleClauses[], localAddresses: readonly string[], withIPv6: boolean): Flow[] {
  const flows: Flow[] = [];
  addPipeline(flows, withIPv6);
  addPolicyTable(flows, 'egress', host, clauses, localAddresses);
  addPolicyTable(flows, 'ingress', host, clauses, localAddresses);
  return flows.sort(compareFlows);
}

function addPipeline(flows: Flow[], withIPv6: boolean): void {
  const classify = TABLES.classify.id;
  const conntrack = TABLES.conntrack.id;
  const families = withIPv6 ? ['ip', 'ipv6'] : ['ip'];
  const infra = (table: number, priority: number, match: string, actions: string[]): void => {
    flows.push({ table, priority, cookie: INFRA, match, actions });
  };

  infra(classify, PRIORITY.infrastructure, 'arp', ['NORMAL']);
  if (withIPv6) {
    // Neighbour discovery is IPv6's ARP: without it nothing resolves.
    for (const type of [133, 134, 135, 136]) infra(classify, PRIORITY.infrastructure + 10, `icmp6,icmp_type=${type}`, ['NORMAL']);
  }
  for (const family of families) infra(classify, PRIORITY.rule, family, [`ct(table=${conntrack})`]);
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
 * plus services, not their product. A match shared by several rules is one flow carrying one
 * `conjunction` action per rule.
 */
function addPolicyTable(flows: Flow[], side: 'egress' | 'ingress', host: string, clauses: readonly RuleClauses[], localAddresses: readonly string[]): void {
  const table = TABLES[side].id;
  const next = side === 'egress' ? TABLES.ingress.id : TABLES.forward.id;
  const conjunctions = new ConjunctionTable();

  for (const c of clauses) {
    const sources = side === 'egress' ? c.sourcesByHost.get(host) : c.allSources;
    const destinations = side === 'egress' ? c.allDestinations : c.destinationsByHost.get(host);
    // A conjunction with an empty clause can never match; OVS would reject it anyway.
    if (!sources?.length || !destinations?.length || c.services?.length === 0) continue;

    const arity = c.services ? 3 : 2;
    conjunctions.add(c.rule.number, 1, arity, sources);
    conjunctions.add(c.rule.number, 2, arity, destinations);
    if (c.services) conjunctions.add(c.rule.number, 3, arity, c.services);
    flows.push({ table, priority: PRIORITY.rule, cookie: c.rule.cookie, match: `conj_id=${c.rule.number}`, actions: [`goto_table:${next}`] });
  }
  conjunctions.emit(table, clauses, flows);

  for (const match of addressMatchesOf(localAddresses, side === 'egress' ? 'src' : 'dst')) {
    flows.push({ table, priority: PRIORITY.defaultDeny, cookie: DENY, match, actions: ['drop'] });
  }
  flows.push({ table, priority: PRIORITY.fallThrough, cookie: INFRA, match: '', actions: [`goto_table:${next}`] });
}

/** Collects clause memberships per match as small integers; strings are made once, at the end. */
class ConjunctionTable {
  private readonly byMatch = new Map<string, number[]>();
  private readonly arity = new Map<number, number>();

  add(rule: number, clause: number, arity: number, matches: readonly string[]): void {
    this.arity.set(rule, arity);
    const code = rule * 4 + clause;
    for (const match of matches) {
      const codes = this.byMatch.get(match);
      if (codes) codes.push(code);
      else this.byMatch.set(match, [code]);
    }
  }

  /** One flow per match; its cookie is that of the lowest-numbered rule it serves. */
  emit(table: number, clauses: readonly RuleClauses[], flows: Flow[]): void {
    for (const [match, codes] of this.byMatch) {
      codes.sort((a, b) => a - b);
      const actions = codes.map((code) => `conjunction(${code >> 2},${code & 3}/${this.arity.get(code >> 2)})`);
      const cookie = clauses[(codes[0]! >> 2) - 1]!.rule.cookie;
      flows.push({ table, priority: PRIORITY.rule, cookie, match, actions });
    }
  }
}
