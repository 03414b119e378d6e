import { isCookieOfKind, TABLES } from '../compiler/pipeline';
import { ETH_TYPE, hasAddress, IP_PROTO, type SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import type { FlowTables } from '../simulator/simulate';
import { digestOf, rememberDigest } from '../simulator/table-digest';

/** IP traffic the pipeline lets through before any policy, between every pair whatever their groups. */
export type InfrastructureTraffic = 'neighbour-discovery' | 'dhcp';

/** How the matrix and the impact name each kind of it, in the order they are listed. */
const TRAFFIC_NAMES: Record<InfrastructureTraffic, string> = {
  'neighbour-discovery': 'IPv6 neighbour discovery (ICMPv6 types 133-136)',
  dhcp: 'DHCP (UDP 67 and 68)',
};

/** The tables as the matrix and the impact read them, and what they let through that those leave out. */
export interface PolicyTables {
  tables: HostFlowTables;
  /** Sorted, each once. */
  leftOut: InfrastructureTraffic[];
}

const known = new WeakMap<FlowTables, { byTable: FlowTables; leftOut: Set<InfrastructureTraffic> }>();

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
  for (const [host, byTable] of tables) {
    let kept = known.get(byTable);
    if (!kept) known.set(byTable, (kept = withoutPassesOf(byTable)));
    out.set(host, kept.byTable);
    for (const traffic of kept.leftOut) leftOut.add(traffic);
  }
  return { tables: out, leftOut: [...leftOut].sort() };
}

/** One sentence for the matrix's and the impact's readers, or undefined when nothing is left out. */
export function leftOutNote(leftOut: readonly InfrastructureTraffic[]): string | undefined {
  if (leftOut.length === 0) return undefined;
  const names = leftOut.map((t) => TRAFFIC_NAMES[t]);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `${list} ${names.length === 1 ? 'passes' : 'pass'} between every pair whatever the policy, and ${names.length === 1 ? 'is' : 'are'} not shown.`;
}

/** The name of each kind left out, as the matrix's and the impact's JSON list them. */
export function leftOutNames(leftOut: readonly InfrastructureTraffic[]): string[] {
  return leftOut.map((t) => TRAFFIC_NAMES[t]);
}

function withoutPassesOf(byTable: FlowTables): { byTable: FlowTables; leftOut: Set<InfrastructureTraffic> } {
  const classify = byTable.get(TABLES.classify.id);
  const leftOut = new Set<InfrastructureTraffic>();
  if (!classify) return { byTable, leftOut };
  const kept = classify.filter((flow) => {
    const traffic = passedTraffic(flow);
    if (traffic) leftOut.add(traffic);
    return traffic === undefined;
  });
  if (leftOut.size === 0) return { byTable, leftOut };
  const withoutPasses = new Map(byTable).set(TABLES.classify.id, kept);
  carryDigest(classify, kept);
  carryDigest(byTable, withoutPasses);
  return { byTable: withoutPasses, leftOut };
}

/** Tables alike before leave alike tables: their digest, marked so it never equals a table's with the passes. */
function carryDigest(from: FlowTables | readonly SimFlow[], to: FlowTables | readonly SimFlow[]): void {
  const digest = digestOf(from);
  if (digest !== undefined) rememberDigest(to, `${digest} without infrastructure passes`);
}

/** What a classify flow lets through for every pair before the policy, if it does: its cookie says which rule made it. */
function passedTraffic(flow: SimFlow): InfrastructureTraffic | undefined {
  const { match } = flow;
  const ip = match.ethType === ETH_TYPE.ipv4 || match.ethType === ETH_TYPE.ipv6;
  if (!ip || hasAddress(match) || match.inPort !== undefined || !flow.actions.some((a) => a.kind === 'normal'))
    return undefined;
  if (isCookieOfKind(flow.cookie, 'dhcp')) return 'dhcp';
  if (!isCookieOfKind(flow.cookie, 'infrastructure')) return undefined;
  // The pipeline's only IP flow that outputs from table 0 is neighbour discovery; another would need a name here.
  if (match.ethType === ETH_TYPE.ipv6 && match.ipProto === IP_PROTO.icmp6) return 'neighbour-discovery';
  throw new Error(`the matrix and the impact have no name for the infrastructure traffic of "${flow.text}"`);
}
