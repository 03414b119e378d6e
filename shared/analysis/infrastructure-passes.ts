import { isCookieOfKind, TABLES } from '../compiler/pipeline';
import { ETH_TYPE, hasAddress, IP_PROTO, type SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import type { FlowTables } from '../simulator/simulate';

/** IP traffic the pipeline lets through before any policy, between every pair whatever their groups. */
export type InfrastructureTraffic = 'neighbour-discovery' | 'dhcp';

/** How the matrix names each kind of it, in the order they are listed. */
const TRAFFIC_NAMES: Record<InfrastructureTraffic, string> = {
  'neighbour-discovery': 'IPv6 neighbour discovery (ICMPv6 types 133-136)',
  dhcp: 'DHCP (UDP 67 and 68)',
};

/** The tables as the matrix reads them, and what they let through that the cells leave out. */
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
 * in the egress table, towards some destinations only. Deterministic; each host's tables are
 * worked out once per tables object.
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

/** One sentence for the matrix's readers, or undefined when nothing is left out. */
export function leftOutNote(leftOut: readonly InfrastructureTraffic[]): string | undefined {
  if (leftOut.length === 0) return undefined;
  const names = leftOut.map((t) => TRAFFIC_NAMES[t]);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `${list} ${names.length === 1 ? 'passes' : 'pass'} between every pair whatever the policy, and ${names.length === 1 ? 'is' : 'are'} not shown.`;
}

/** The matrix's name for each kind left out, as the JSON lists them. */
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
  return { byTable: new Map(byTable).set(TABLES.classify.id, kept), leftOut };
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
  throw new Error(`the matrix has no name for the infrastructure traffic of "${flow.text}"`);
}
