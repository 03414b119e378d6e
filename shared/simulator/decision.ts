import type { RuleSummary } from '../compiler/compile';
import { cookieFor, OWN_REDIRECT_PRIORITY, PRIORITY, TABLES } from '../compiler/pipeline';
import { CT_FLAGS, type SimFlow } from './flow-model';
import type { PathHop, PathResult } from './path';

/** A flow that decided a connection's fate on one host, mapped back to the canvas. */
export interface Decision {
  host: string;
  table: string;
  flow: string;
  /** The rule the flow's cookie names; absent for the pipeline's own flows. */
  rule?: RuleSummary;
  /** In words: `edge "web-to-app"`, `default deny`, `established connection`. */
  what: string;
}

const DEFAULT_DENY = BigInt(cookieFor('default-deny', 0));
/** A rejecting default's flows count apart from a dropping one's (compiler/host-table.ts): same kind, number 1. */
const DEFAULT_REJECT = BigInt(cookieFor('default-deny', 1));
const PORT_GUARD = BigInt(cookieFor('port-guard', 0));
const POLICY_TABLES = new Set<number>([TABLES.egress.id, TABLES.ingress.id]);
/** Cookies of a honeypot's flows (`cookieFor('redirect', n)`) share these top 24 bits. */
const REDIRECT_KIND = BigInt(cookieFor('redirect', 0)) >> 40n;
/** Said of the deciding rule when the forward table drops its redirect as one back to the sender (a honeypot). */
const RETURNED = 'which would redirect it to the honeypot that opened it: dropped instead';
const ETH_TYPE_IPV6 = 0x86dd;

/**
 * The flows that decided a simulated connection, one per host on the path: the rule flow of
 * the egress or ingress table (or the default), or the conntrack flow for established
 * traffic. Cookies map back to rules, so a trace can select the deciding edge. Pure.
 */
export function decisionsOf(path: PathResult, rules: readonly RuleSummary[]): Decision[] {
  const byCookie = new Map(rules.map((r) => [BigInt(r.cookie), r]));
  const decisions: Decision[] = [];
  for (const hop of path.hops) {
    const steps = hop.result.steps.filter((s) => s.lookup.flow !== undefined);
    const policySteps = steps.filter((s) => POLICY_TABLES.has(s.table));
    // A rule decides where one matched; otherwise the last table visited (conntrack, classify).
    const decides = (cookie: bigint): boolean =>
      byCookie.has(cookie) || cookie === DEFAULT_DENY || cookie === DEFAULT_REJECT || isRedirect(cookie);
    const deciding = [...policySteps].reverse().find((s) => decides(BigInt(s.lookup.flow!.cookie))) ?? steps.at(-1);
    if (!deciding?.lookup.flow) continue;
    const flow = deciding.lookup.flow;
    const rule = byCookie.get(BigInt(flow.cookie));
    const what = rule ? describeRule(rule) : describeUnruled(flow, deciding.table);
    decisions.push({
      host: hop.host,
      table: deciding.tableName ?? String(deciding.table),
      flow: flow.text,
      ...(rule ? { rule } : {}),
      what: `${what}${becauseDropped(hop)}`,
    });
  }
  return decisions;
}

/**
 * Why the forward table dropped a connection its rule redirects, said after the rule: the
 * redirect would send it back to the honeypot that opened it, or the honeypot has no address
 * of the connection's family (compiler/host-table.ts addRedirects). Empty otherwise.
 */
function becauseDropped(hop: PathHop): string {
  if (returnsToSender(hop)) return `, ${RETURNED}`;
  const family = honeypotLacksFamily(hop);
  return family ? `, which would redirect it to a honeypot that has no ${family} address: dropped instead` : '';
}

/** The family the forward table dropped a redirect for because its honeypot has no address of it. */
function honeypotLacksFamily(hop: PathHop): 'IPv4' | 'IPv6' | undefined {
  const last = hop.result.steps.at(-1)?.lookup.flow;
  if (hop.result.verdict !== 'dropped' || !last || last.table !== TABLES.forward.id) return undefined;
  // The redirect flows at the rule priority either rewrite and forward, or (no address) drop.
  if (!isRedirect(BigInt(last.cookie)) || last.priority !== PRIORITY.rule) return undefined;
  return last.match.ethType === ETH_TYPE_IPV6 ? 'IPv6' : 'IPv4';
}

/** The rule's redirect would send the connection back to its honeypot, so the forward table dropped it. */
function returnsToSender(hop: PathHop): boolean {
  const last = hop.result.steps.at(-1)?.lookup.flow;
  if (!last || last.table !== TABLES.forward.id) return false;
  return last.priority === OWN_REDIRECT_PRIORITY && isRedirect(BigInt(last.cookie));
}

/** What decided where no rule's cookie did: the default, a honeypot's flow, a spoof guard or the pipeline itself. */
function describeUnruled(flow: SimFlow, table: number): string {
  const cookie = BigInt(flow.cookie);
  if (cookie === DEFAULT_DENY) return 'the default for traffic no rule decides';
  if (cookie === DEFAULT_REJECT) return 'the default for traffic no rule decides (reject)';
  if (isRedirect(cookie)) return describeRedirect(table);
  if (cookie === PORT_GUARD) return describePortGuard(flow);
  return describePipeline(flow, table);
}

function describeRule(rule: RuleSummary): string {
  switch (rule.kind) {
    case 'edge':
      return `edge "${rule.ref.id}"`;
    case 'within-group':
      return `traffic within group "${rule.ref.id}"`;
    case 'dns':
      return 'DNS to the named resolvers';
  }
}

function isRedirect(cookie: bigint): boolean {
  return cookie >> 40n === REDIRECT_KIND;
}

function describeRedirect(table: number): string {
  if (table === TABLES.ingress.id) return 'a honeypot takes whatever reaches it';
  if (table === TABLES.conntrack.id)
    return 'conntrack: a later packet of a redirected connection, sent on to its honeypot';
  return 'a redirect to a honeypot';
}

/** A spoof guard's flow (compiler/port-guard.ts): its drop, or what it let through from the port. */
function describePortGuard(flow: SimFlow): string {
  const port = flow.match.inPort ?? '?';
  if (flow.priority === PRIORITY.portGuardForgedAdvertisement)
    return `the spoof guard of switch port ${port}: neighbour discovery that its workloads may not send there (an advertisement of another's address, or a router's message)`;
  if (flow.actions.some((a) => a.kind === 'drop'))
    return `the spoof guard of switch port ${port}: the packet came in there with a source address that belongs to none of the port's workloads`;
  return `the spoof guard of switch port ${port} lets the port's own traffic through`;
}

function describePipeline(flow: SimFlow, table: number): string {
  if (table === TABLES.conntrack.id) {
    // Its flows tell the states apart (compiler/host-table.ts): invalid drops, established and related pass.
    const state = flow.match.ctState?.value ?? 0;
    if (state & CT_FLAGS.inv) return 'conntrack: a packet of no valid connection (invalid), dropped';
    if (state & CT_FLAGS.rel) return 'conntrack: related to a connection already permitted (an ICMP error about it)';
    if (state & CT_FLAGS.est) return 'conntrack: a later packet of a connection already permitted';
    return 'conntrack';
  }
  if (table === TABLES.classify.id) return 'classification (ARP, neighbour discovery, DHCP or non-IP)';
  return 'the pipeline';
}
