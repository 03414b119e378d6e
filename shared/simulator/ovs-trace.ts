import { splitOutsideParentheses } from '../text';
import type { ConnectionState, Packet } from './packet';
import type { Verdict } from './simulate';

/** MAC addresses of traced packets: fixed and never a source on another port, so NORMAL floods. */
const DL = 'dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02';

/**
 * The flow description `ovs-appctl ofproto/trace BRIDGE FLOW` takes for a packet entering
 * on `inPort`, so the switch's own verdict can be compared with the simulator's. Pure.
 */
export function ovsTraceFlow(packet: Packet, inPort = 1): string {
  const head = `in_port=${inPort},${DL}`;
  if (packet.ethType === 'arp') return `${head},arp,arp_op=1,arp_spa=${packet.src},arp_tpa=${packet.dst}`;

  const v6 = packet.ethType === 'ipv6';
  const addresses = v6 ? `ipv6_src=${packet.src},ipv6_dst=${packet.dst}` : `nw_src=${packet.src},nw_dst=${packet.dst}`;
  switch (packet.protocol) {
    case 'icmp': {
      // The trace's flow parser wants the ICMPv6 names for ICMPv6 and the per-protocol port names below.
      const field = v6 ? 'icmpv6' : 'icmp';
      return `${head},${v6 ? 'icmp6' : 'icmp'},${addresses},${field}_type=${packet.icmpType ?? 0},${field}_code=${packet.icmpCode ?? 0}`;
    }
    case 'other':
    case undefined:
      return `${head},${v6 ? 'ipv6' : 'ip'},${addresses},nw_proto=${packet.ipProto ?? 47}`;
    default:
      return `${head},${packet.protocol}${v6 ? '6' : ''},${addresses},${packet.protocol}_src=${packet.srcPort ?? 0},${packet.protocol}_dst=${packet.dstPort ?? 0}`;
  }
}

/** The `--ct-next` argument that makes ofproto/trace see a connection in this state after ct(). */
export function ovsCtNext(state: ConnectionState): string {
  return state === 'new' ? 'trk,new' : 'trk,est';
}

/**
 * The verdict in `ofproto/trace` output: forwarded when a `Datapath actions:` line (one per
 * recirculation; with our pipeline only the last one can output) sends the packet to a port,
 * dropped when none does. Null when the text holds no such line (an error message). Pure.
 */
export function parseTraceVerdict(output: string): Verdict | null {
  const lines = output.split('\n').filter((l) => l.startsWith('Datapath actions:'));
  if (lines.length === 0) return null;
  const isOutput = (action: string): boolean =>
    action !== '' && action !== 'drop' && action !== 'ct' && !/^(ct|recirc)\(/.test(action);
  const outputs = lines.some((line) => splitOutsideParentheses(line.slice('Datapath actions:'.length).trim()).some(isOutput));
  return outputs ? 'forwarded' : 'dropped';
}
