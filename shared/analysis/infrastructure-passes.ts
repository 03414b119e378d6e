import { isCookieOfKind, isOurCookie, TABLES } from '../compiler/pipeline';
import { ETH_TYPE, hasAddress, IP_PROTO, type SimFlow } from '../simulator/flow-model';
import { matchAsWritten } from '../simulator/flow-parser';
import type { HostFlowTables } from '../simulator/path';
import type { FlowTables } from '../simulator/simulate';
import { digestOf, rememberDigest } from '../simulator/table-digest';

/** IP traffic the pipeline lets through before any policy, between every pair whatever their groups. */
export type InfrastructureTraffic = 'neighbour-discovery' | 'dhcp' | 'dhcpv6';

/** How the matrix and the impact name each kind of it, in the order they are listed. */
const TRAFFIC_NAMES: Record<InfrastructureTraffic, string> = {
  'neighbour-discovery': 'IPv6 neighbour discovery (ICMPv6 types 133-136)',
  dhcp: 'DHCP (UDP 67 and 68)',
  dhcpv6: 'DHCPv6 (UDP 546 and 547)',
};

/**
 * A flow under one of our cookies that passes IP traffic in the classify table, before conntrack
 * and any policy, and is none of the passes the pipeline writes: made by hand on the switch, say.
 * A deploy deletes it with every flow under our cookie.
 */
export interface UnknownPass {
  host: string;
  table: number;
  priority: number;
  /** As the flow's line writes it (`tcp,tp_dst=22`); empty when it matches every packet. */
  match: string;
  cookie: string;
}

/** The tables as the matrix and the impact read them, and what they let through that those leave out. */
export interface PolicyTables {
  tables: HostFlowTables;
  /** Sorted, each once. */
  leftOut: InfrastructureTraffic[];
  /** What each host's tables let through so, sorted; a host that lets none of it through maps to an empty list. */
  leftOutByHost: ReadonlyMap<string, readonly InfrastructureTraffic[]>;
  /**
   * Kept in `tables`, so what they pass counts as the switch passes it. No compile writes one:
   * only tables read back from a host hold them, and the impact against those says so. By host,
   * then as the table lists them.
   */
  unknownPasses: UnknownPass[];
}

interface TablePasses {
  byTable: FlowTables;
  leftOut: Set<InfrastructureTraffic>;
  unknown: SimFlow[];
}

const known = new WeakMap<FlowTables, TablePasses>();

/**
 * The tables without the classify table's flows that send IP traffic on before conntrack and
 * any policy table, under the pipeline's or DHCP's cookie and matching no address: what they
 * pass, they pass between every pair, so a matrix cell showing it would say nothing about the
 * groups. Without them that traffic meets the policy's rules like any other, so an edge that
 * permits ICMPv6 still shows it. DNS to the named resolvers stays: it is a rule of the policy
 * in the egress table, towards some destinations only. The impact reads the tables so too: that
 * traffic coming in with IPv6 (or DHCP) is no change of what the policy permits. Deterministic;
 * each host's tables are worked out once per tables object, and tables alike before are alike
 * after (they keep a digest, so a comparison still skips the hosts a change left alone).
 */
export function withoutInfrastructurePasses(tables: HostFlowTables): PolicyTables {
  const out = new Map<string, FlowTables>();
  const leftOut = new Set<InfrastructureTraffic>();
  const leftOutByHost = new Map<string, InfrastructureTraffic[]>();
  const unknownPasses: UnknownPass[] = [];
  for (const [host, byTable] of tables) {
    let kept = known.get(byTable);
    if (!kept) known.set(byTable, (kept = withoutPassesOf(byTable)));
    out.set(host, kept.byTable);
    leftOutByHost.set(host, [...kept.leftOut].sort());
    for (const traffic of kept.leftOut) leftOut.add(traffic);
    for (const flow of kept.unknown) unknownPasses.push({ host, table: flow.table, priority: flow.priority, match: matchAsWritten(flow), cookie: flow.cookie });
  }
  unknownPasses.sort((a, b) => a.host.localeCompare(b.host));
  return { tables: out, leftOut: [...leftOut].sort(), leftOutByHost, unknownPasses };
}

/** One sentence for the matrix's and the impact's readers, or undefined when nothing is left out. */
export function leftOutNote(leftOut: readonly InfrastructureTraffic[]): string | undefined {
  if (leftOut.length === 0) return undefined;
  const names = leftOut.map((t) => TRAFFIC_NAMES[t]);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `${list} ${names.length === 1 ? 'passes' : 'pass'} between every pair whatever the policy, and ${names.length === 1 ? 'is' : 'are'} not shown.`;
}

/**
 * What the impact's readers are told of unknown passes: a sentence, then one line per flow
 * (`h2, table 0, priority 150: tcp,tp_dst=22`); none when there are none.
 */
export function unknownPassLines(passes: readonly UnknownPass[]): string[] {
  if (passes.length === 0) return [];
  const heading =
    passes.length === 1
      ? "A flow under Microseg's cookie that this policy did not write passes IP traffic before any policy"
      : `${passes.length} flows under Microseg's cookie that this policy did not write pass IP traffic before any policy`;
  const lines = passes.map((p) => `${p.host}, table ${p.table}, priority ${p.priority}: ${p.match === '' ? 'every packet' : p.match}`);
  return [`${heading}; the comparison counts what ${passes.length === 1 ? 'it passes' : 'they pass'}, and a deploy removes ${passes.length === 1 ? 'it' : 'them'}:`, ...lines];
}

/** The name of each kind left out, as the matrix's and the impact's JSON list them. */
export function leftOutNames(leftOut: readonly InfrastructureTraffic[]): string[] {
  return leftOut.map(trafficName);
}

/** How the matrix and the impact name one kind of it: `DHCP (UDP 67 and 68)`. */
export function trafficName(traffic: InfrastructureTraffic): string {
  return TRAFFIC_NAMES[traffic];
}

function withoutPassesOf(byTable: FlowTables): TablePasses {
  const classify = byTable.get(TABLES.classify.id);
  const leftOut = new Set<InfrastructureTraffic>();
  const unknown: SimFlow[] = [];
  if (!classify) return { byTable, leftOut, unknown };
  const kept = classify.filter((flow) => {
    const traffic = passedTraffic(flow);
    if (traffic === 'unknown') unknown.push(flow);
    else if (traffic) leftOut.add(traffic);
    return traffic === undefined || traffic === 'unknown';
  });
  if (leftOut.size === 0) return { byTable, leftOut, unknown };
  const withoutPasses = new Map(byTable).set(TABLES.classify.id, kept);
  carryDigest(classify, kept);
  carryDigest(byTable, withoutPasses);
  return { byTable: withoutPasses, leftOut, unknown };
}

/** Tables alike before leave alike tables: their digest, marked so it never equals a table's with the passes. */
function carryDigest(from: FlowTables | readonly SimFlow[], to: FlowTables | readonly SimFlow[]): void {
  const digest = digestOf(from);
  if (digest !== undefined) rememberDigest(to, `${digest} without infrastructure passes`);
}

/**
 * What a classify flow lets through before the policy, if it does: its cookie says which rule
 * made it, and its match must be that rule's. Any other such flow under our cookie is `unknown`:
 * the pipeline never writes it, and what it passes is no infrastructure to leave out unsaid.
 */
function passedTraffic(flow: SimFlow): InfrastructureTraffic | 'unknown' | undefined {
  const { match } = flow;
  const mayCarryIp = match.ethType === undefined || match.ethType === ETH_TYPE.ipv4 || match.ethType === ETH_TYPE.ipv6;
  if (!mayCarryIp || match.inPort !== undefined || !flow.actions.some((a) => a.kind === 'normal') || !isOurCookie(flow.cookie)) return undefined;
  if (!hasAddress(match)) {
    if (isCookieOfKind(flow.cookie, 'dhcp') && isUdpTo(flow, ETH_TYPE.ipv4, DHCP_PORTS)) return 'dhcp';
    if (isCookieOfKind(flow.cookie, 'dhcp') && isUdpTo(flow, ETH_TYPE.ipv6, DHCPV6_PORTS)) return 'dhcpv6';
    if (isCookieOfKind(flow.cookie, 'infrastructure') && isNeighbourDiscovery(flow)) return 'neighbour-discovery';
  }
  return 'unknown';
}

const DHCP_PORTS = [67, 68];
const DHCPV6_PORTS = [546, 547];

/** UDP of one family to a DHCP server's or client's port, as compiler/host-table.ts writes it. */
function isUdpTo({ match }: SimFlow, ethType: number, ports: readonly number[]): boolean {
  return match.ethType === ethType && match.ipProto === IP_PROTO.udp && match.tpDst?.mask === 0xffff && ports.includes(match.tpDst.value);
}

/** ICMPv6 of one of the types 133 to 136 (router and neighbour solicitation and advertisement). */
function isNeighbourDiscovery({ match }: SimFlow): boolean {
  return match.ethType === ETH_TYPE.ipv6 && match.ipProto === IP_PROTO.icmp6 && match.icmpType !== undefined && match.icmpType >= 133 && match.icmpType <= 136;
}
