/**
 * The Open vSwitch pipeline every host gets, declared once and in order. A packet enters
 * table 0 and moves only forward. See docs/pipeline.md for the diagram.
 */
export const TABLES = {
  classify: { id: 0, purpose: 'ARP and IPv6 neighbour discovery pass; IP goes through conntrack; the rest drops' },
  conntrack: { id: 10, purpose: 'established and related connections pass; invalid drops; new goes to policy' },
  egress: { id: 20, purpose: 'a new connection from a local workload needs a rule that lets its source open it' },
  ingress: { id: 30, purpose: 'a new connection to a local workload needs a rule that lets its destination take it' },
  forward: { id: 40, purpose: 'permitted new connections are committed to conntrack and forwarded' },
} as const;

export type TableName = keyof typeof TABLES;

/**
 * Priorities inside a table: higher wins. In the policy tables they encode precedence:
 * infrastructure (DNS to named resolvers) before deny and reject edges, before redirect edges,
 * before allow and log edges, before the within-group rule, before the default. Each rule
 * class owns a band of RULE_BAND_WIDTH levels; a class spills into lower levels of its band
 * only when one match would otherwise carry too many conjunction actions (see
 * conjunction-bands.ts). Redirect edges are the exception: each takes a level of its own, in
 * edge-id order, because two redirects covering one connection send it to different places.
 */
export const PRIORITY = {
  // Table 0's spoof guard (port-guard.ts), above all the rest of the table: neighbour discovery
  // and DHCP pass first, a neighbour advertisement of another's address drops (even from the
  // port's own address), as does a router's message from a link-local address of the port's own,
  // then a port's own addresses pass, and anything else from the port drops.
  portGuardInfrastructure: 310,
  portGuardForgedAdvertisement: 305,
  /** A neighbour advertisement of another code than 0, which names no target Open vSwitch reads: from the port's own or link-local addresses, as a solicitation. */
  portGuardUntargetedAdvertisement: 303,
  portGuard: 300,
  portGuardDrop: 290,
  infrastructure: 100,
  conntrackInvalid: 200,
  conntrackState: 100,
  rule: 100,
  policyInfrastructure: 1900,
  blockRule: 1600,
  redirectRule: 1300,
  allowRule: 1000,
  groupRule: 700,
  defaultDeny: 10,
  // One above 0: a bridge's own default flow (`priority=0 actions=NORMAL`) sits at 0, and an
  // add with the same match and priority would overwrite it. We never overwrite others' flows.
  fallThrough: 1,
} as const;

/**
 * Cookies: the top 16 bits mark a flow as ours (`MS`), the next 8 say what kind of rule made
 * it, the low 40 bits which one. A deploy deletes exactly the flows under OUR_COOKIE_MASK.
 */
export const RULE_BAND_WIDTH = 250;

/**
 * Packet and connection state the pipeline writes, named once. A redirect decision puts the
 * honeypot's number in reg0 (egress/ingress → forward); the commit copies it into the
 * connection's ct_mark, so later packets of that connection find the honeypot's MAC again.
 */
export const REDIRECT_REGISTER = { load: 'NXM_NX_REG0[0..15]', match: 'reg0', mask: '0xffff' } as const;
export const REDIRECT_CT_MARK = { load: 'NXM_NX_CT_MARK[0..15]', match: 'ct_mark', mask: '0xffff' } as const;

/**
 * Set in reg0 by the egress table's fall-through, which only a packet whose source is no local
 * workload reaches. Outside traffic enters a host through its uplink (docs/pipeline.md states
 * the assumption), and connections between workloads are redirected at their source's host, so
 * a redirect with this bit set sends back through the uplink a packet that came in there.
 * NORMAL never outputs to the input port: such a redirect to a honeypot behind the uplink
 * leaves by `in_port`. Its commit writes the honeypot's number and this bit into the ct_mark
 * (`mark`, 17 bits) so that the connection's later packets leave the same way. `mask` covers
 * the number and the bit, for matching reg0 and ct_mark alike.
 */
export const FROM_UPLINK = { bit: 0x10000, load: 'NXM_NX_REG0[16]', mark: 'NXM_NX_CT_MARK[0..16]', mask: '0x1ffff' } as const;

/** Above a honeypot's redirect flows, in the forward and conntrack tables: the redirect back out through the uplink. */
export const UPLINK_REDIRECT_PRIORITY = PRIORITY.rule + 5;
export const UPLINK_LATER_PACKET_PRIORITY = PRIORITY.conntrackState + 20;

/** Above every policy band: a honeypot accepts whatever reaches it. */
export const HONEYPOT_PRIORITY = 2000;

/**
 * In the forward table, above a honeypot's redirect flow: a redirect of the honeypot's own
 * connection is dropped there instead. Sent to itself, NORMAL would have to put it back out
 * the port it came in on, which Open vSwitch never does: it would be dropped anyway, after a
 * pointless commit, and a trace would call it redirected.
 */
export const OWN_REDIRECT_PRIORITY = PRIORITY.rule + 10;

/**
 * Most `conjunction` actions one flow may carry: each is 16 bytes on the wire and an
 * OpenFlow message stops at 64 KB, so a flow serving more rules is split across levels.
 */
export const MAX_CONJUNCTIONS_PER_FLOW = 3500;

export const OUR_COOKIE = '0x4d53000000000000';
export const OUR_COOKIE_MASK = '0xffff000000000000';

export type RuleKind = 'infrastructure' | 'within-group' | 'edge' | 'default-deny' | 'dns' | 'dhcp' | 'redirect' | 'port-guard';

const KIND_CODE: Record<RuleKind, number> = { infrastructure: 0, 'within-group': 1, edge: 2, 'default-deny': 3, dns: 4, dhcp: 5, redirect: 6, 'port-guard': 7 };

/** The cookie of the flows one rule produced; rule numbers start at 1, 0 means "the pipeline itself". */
export function cookieFor(kind: RuleKind, ruleNumber: number): string {
  const kindHex = KIND_CODE[kind].toString(16).padStart(2, '0');
  return `0x4d53${kindHex}${ruleNumber.toString(16).padStart(10, '0')}`;
}

/** Whether a cookie, as written by us or printed by `ovs-ofctl` (`0x…`, any case), is ours and of this kind of rule. */
export function isCookieOfKind(cookie: string, kind: RuleKind): boolean {
  return cookieDigits(cookie)?.startsWith(`4d53${KIND_CODE[kind].toString(16).padStart(2, '0')}`) ?? false;
}

/** Whether a cookie, read as isCookieOfKind reads it, is ours: one a deploy deletes, whatever wrote the flow. */
export function isOurCookie(cookie: string): boolean {
  return cookieDigits(cookie)?.startsWith('4d53') ?? false;
}

/** The cookie's 16 hex digits, lower case; undefined for text that is no `0x…` cookie. */
function cookieDigits(cookie: string): string | undefined {
  return /^0x([0-9a-f]{1,16})$/i.exec(cookie.trim())?.[1]?.toLowerCase().padStart(16, '0');
}
