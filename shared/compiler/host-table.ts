import type { Flow } from './flow';
import { FlowSet } from './flow';
import { addressMatches, localEndpoints, serviceMatches, type Direction } from './matches';
import { cookieFor, PRIORITY, TABLES } from './pipeline';
import type { ResolvedRule } from './rules';

const INFRA = cookieFor('infrastructure', 0);
const DENY = cookieFor('default-deny', 0);

/**
 * Builds one host's flow table: the fixed pipeline plus the egress rules of its local
 * sources and the ingress rules of its local destinations. Pure and deterministic.
 */
export function buildHostFlows(host: string, rules: readonly ResolvedRule[], localAddresses: readonly string[], withIPv6: boolean): Flow[] {
  const flows = new FlowSet();
  addPipeline(flows, withIPv6);
  addPolicyTable(flows, 'egress', host, rules, localAddresses, withIPv6);
  addPolicyTable(flows, 'ingress', host, rules, localAddresses, withIPv6);
  return flows.sorted();
}

function addPipeline(flows: FlowSet, withIPv6: boolean): void {
  const classify = TABLES.classify.id;
  const conntrack = TABLES.conntrack.id;
  const infra = (table: number, priority: number, match: string, actions: string[]): void =>
    flows.add({ table, priority, cookie: INFRA, match, actions });

  infra(classify, PRIORITY.infrastructure, 'arp', ['NORMAL']);
  infra(classify, PRIORITY.rule, 'ip', [`ct(table=${conntrack})`]);
  if (withIPv6) {
    // Neighbour discovery is IPv6's ARP: without it nothing resolves.
    for (const type of [133, 134, 135, 136]) infra(classify, PRIORITY.infrastructure + 10, `icmp6,icmp_type=${type}`, ['NORMAL']);
    infra(classify, PRIORITY.rule, 'ipv6', [`ct(table=${conntrack})`]);
  }
  infra(classify, PRIORITY.fallThrough, '', ['drop']);

  infra(conntrack, PRIORITY.conntrackInvalid, 'ct_state=+trk+inv', ['drop']);
  infra(conntrack, PRIORITY.conntrackState, 'ct_state=+trk+est', ['NORMAL']);
  infra(conntrack, PRIORITY.conntrackState, 'ct_state=+trk+rel', ['NORMAL']);
  infra(conntrack, PRIORITY.conntrackState - 10, 'ct_state=+trk+new', [`goto_table:${TABLES.egress.id}`]);
  infra(conntrack, PRIORITY.fallThrough, '', ['drop']);

  // ct() needs an IP match: the switch rejects a bare `ct(commit)` (OFPBAC_MATCH_INCONSISTENT).
  for (const family of withIPv6 ? ['ip', 'ipv6'] : ['ip']) {
    infra(TABLES.forward.id, PRIORITY.fallThrough, family, ['ct(commit)', 'NORMAL']);
  }
}

/**
 * Egress checks connections whose source is local; ingress those whose destination is local.
 * Each rule becomes a conjunction (source, destination[, service]) so flows grow with members
 * plus services, not their product.
 */
function addPolicyTable(
  flows: FlowSet,
  side: 'egress' | 'ingress',
  host: string,
  rules: readonly ResolvedRule[],
  localAddresses: readonly string[],
  withIPv6: boolean,
): void {
  const table = TABLES[side].id;
  const next = side === 'egress' ? TABLES.ingress.id : TABLES.forward.id;
  const localDirection: Direction = side === 'egress' ? 'src' : 'dst';

  for (const rule of rules) {
    const local = localEndpoints(side === 'egress' ? rule.sources : rule.destinations, host);
    const clauses = [
      addressMatches(side === 'egress' ? local : rule.sources, 'src'),
      addressMatches(side === 'egress' ? rule.destinations : local, 'dst'),
      ...(rule.services ? [serviceMatches(rule.services, withIPv6)] : []),
    ];
    // A conjunction with an empty clause can never match; OVS would reject it anyway.
    if (clauses.some((c) => c.length === 0)) continue;

    clauses.forEach((matches, k) => {
      for (const match of matches) {
        flows.add({ table, priority: PRIORITY.rule, cookie: rule.cookie, match, actions: [`conjunction(${rule.number},${k + 1}/${clauses.length})`] });
      }
    });
    flows.add({ table, priority: PRIORITY.rule, cookie: rule.cookie, match: `conj_id=${rule.number}`, actions: [`goto_table:${next}`] });
  }

  for (const match of addressMatches({ workloads: [], cidrs: [...localAddresses] }, localDirection)) {
    flows.add({ table, priority: PRIORITY.defaultDeny, cookie: DENY, match, actions: ['drop'] });
  }
  flows.add({ table, priority: PRIORITY.fallThrough, cookie: INFRA, match: '', actions: [`goto_table:${next}`] });
}
