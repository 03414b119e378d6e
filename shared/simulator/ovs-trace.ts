import { splitOutsideParentheses } from '../text';
import { addressBits, formatAddress } from './address-bits';
import { neighbourTargetOf, packetStartsConnection, type ConnectionState, type Packet } from './packet';
import type { Verdict } from './simulate';

/** MAC addresses of traced packets: fixed and never a source on another port, so NORMAL floods. */
const ETH_SRC = '02:00:00:00:00:01';
const ETH_DST = '02:00:00:00:00:02';

/**
 * The flow description `ovs-appctl ofproto/trace BRIDGE FLOW` takes for a packet entering
 * on `inPort` (by default the packet's own, else port 1), so the switch's own verdict can be compared with the simulator's. A `ctMark`
 * goes into the flow and survives ct()'s recirculation, so give it only for established and
 * reply packets (the simulator ignores it for new ones). `ethSrc` is the sender's MAC, for a
 * switch that knows where it sits (fdb/add); by default one no port has, so NORMAL floods. Pure.
 */
export function ovsTraceFlow(packet: Packet, inPort: number | string = packet.inPort ?? 1, ethSrc = ETH_SRC): string {
  const mark = packet.ctMark ? `,ct_mark=0x${packet.ctMark.toString(16)}` : '';
  const head = `in_port=${inPort},dl_src=${ethSrc},dl_dst=${ETH_DST}${mark}`;
  if (packet.ethType === 'arp') return `${head},arp,arp_op=1,arp_spa=${packet.src},arp_tpa=${packet.dst}`;

  const v6 = packet.ethType === 'ipv6';
  const addresses = v6 ? `ipv6_src=${packet.src},ipv6_dst=${packet.dst}` : `nw_src=${packet.src},nw_dst=${packet.dst}`;
  switch (packet.protocol) {
    case 'icmp': {
      // The trace's flow parser wants the ICMPv6 names for ICMPv6 and the per-protocol port names below.
      const field = v6 ? 'icmpv6' : 'icmp';
      // Open vSwitch reads a target only at code 0, and refuses the field otherwise.
      const ndTarget = neighbourTargetOf(packet);
      const target = ndTarget !== undefined && (packet.icmpCode ?? 0) === 0 ? `,nd_target=${ndTarget}` : '';
      return `${head},${v6 ? 'icmp6' : 'icmp'},${addresses},${field}_type=${packet.icmpType ?? 0},${field}_code=${packet.icmpCode ?? 0}${target}`;
    }
    case 'other':
    case undefined:
      return `${head},${v6 ? 'ipv6' : 'ip'},${addresses},nw_proto=${packet.ipProto ?? 47}`;
    default:
      return `${head},${packet.protocol}${v6 ? '6' : ''},${addresses},${packet.protocol}_src=${packet.srcPort ?? 0},${packet.protocol}_dst=${packet.dstPort ?? 0}`;
  }
}

/**
 * The `--ct-next` argument that makes ofproto/trace see a connection in this state after ct(),
 * as the simulator does: a first packet conntrack starts no connection with (an ICMP reply or
 * error, startsConnection) is invalid.
 */
export function ovsCtNext(state: ConnectionState, packet: Packet): string {
  if (state === 'new') return packetStartsConnection(packet) ? 'trk,new' : 'trk,inv';
  return state === 'reply' ? 'trk,est,rpl' : 'trk,est';
}

/** The switch's verdict, and for a redirect where the packet went and with which MAC. */
export interface TraceOutcome {
  verdict: Verdict;
  redirectedTo?: string;
  ethDst?: string;
}

/**
 * The verdict in `ofproto/trace` output: forwarded when a `Datapath actions:` line (one per
 * recirculation; with our pipeline only the last one can output) sends the packet to a port,
 * dropped when none does; redirected when a `ct(commit,…nat(dst=A)…)` comes before the output
 * on that line. `ethDst` is the MAC a `set(eth(dst=…))` before the output wrote. Null when the
 * text holds no such line (an error message). Pure.
 */
export function parseTraceOutcome(output: string): TraceOutcome | null {
  const line = outputLine(output);
  if (line === null) return null;
  if (line === undefined) return { verdict: 'dropped' };
  const before = line.actions.slice(0, line.first);
  const nat = before.map((a) => /^ct\(commit\b.*\bnat\(dst=([^)]+)\)/.exec(a)?.[1]).find((m) => m !== undefined);
  const eth = before.map((a) => /^set\(eth\((?:src=[^,]*,)?dst=([0-9a-f:]+)/.exec(a)).find((m) => m)?.[1];
  const redirectedTo = nat === undefined ? undefined : natAddress(nat);
  return {
    verdict: redirectedTo ? 'redirected' : 'forwarded',
    ...(redirectedTo ? { redirectedTo } : {}),
    ...(eth ? { ethDst: eth } : {}),
  };
}

/**
 * The datapath ports (numbers as `ovs-appctl dpif/show` gives them, not OpenFlow's) the packet
 * leaves by in `ofproto/trace` output, in order; empty when it is dropped or the text holds no
 * `Datapath actions:` line. Pure.
 */
export function parseTracePorts(output: string): string[] {
  const line = outputLine(output);
  return line ? line.actions.slice(line.first).filter(isOutput) : [];
}

/**
 * The first `Datapath actions:` line that outputs (one per recirculation; with our pipeline
 * only the last one can), split, with the index of its first output; undefined when none
 * outputs, null when there is no such line.
 */
function outputLine(output: string): { actions: string[]; first: number } | undefined | null {
  const lines = output.split('\n').filter((l) => l.startsWith('Datapath actions:'));
  if (lines.length === 0) return null;
  for (const line of lines) {
    const actions = splitOutsideParentheses(line.slice('Datapath actions:'.length).trim());
    const first = actions.findIndex(isOutput);
    if (first >= 0) return { actions, first };
  }
  return undefined;
}

function isOutput(action: string): boolean {
  return action !== '' && action !== 'drop' && action !== 'ct' && !/^(ct|recirc|set)\(/.test(action);
}

/**
 * Whether a switch's trace of one hop says what the simulation says. `ofproto/trace` has no
 * conntrack entry to take a connection's NAT from, so an established packet the simulation
 * sends on to a honeypot by that NAT shows there as forwarded: it agrees when it leaves with
 * the honeypot's MAC, as the simulation's does. Pure.
 */
export function traceAgrees(simulated: { verdict: Verdict; ethDst?: string }, traced: TraceOutcome, state: ConnectionState): boolean {
  if (state === 'established' && simulated.verdict === 'redirected') return traced.verdict === 'forwarded' && traced.ethDst === simulated.ethDst;
  return traced.verdict === simulated.verdict;
}

/** The verdict alone; see parseTraceOutcome. */
export function parseTraceVerdict(output: string): Verdict | null {
  return parseTraceOutcome(output)?.verdict ?? null;
}

/** The address of a datapath NAT target: `10.0.0.9`, `10.0.0.9:80`, `fd00::9`, `[fd00::9]:80`. */
function natAddress(target: string): string | undefined {
  const bracketed = /^\[([^\]]+)\]/.exec(target);
  const address = bracketed ? bracketed[1] : target.includes('.') ? target.split(':')[0] : target;
  const bits = addressBits(address ?? '');
  return bits ? formatAddress(bits) : undefined;
}
