import { echoRequestType } from '@shared/simulator/packet';
import type { Inventory } from '@shared/inventory/model';
import { resolveEndpoints } from '@shared/simulator/endpoints';
import type { PathEnd, PathProbe } from '@shared/simulator/path';
import { CliFailure, EXIT, wrongUsage } from './inputs';

/** `--from`/`--to` through the shared endpoint reader (one address family for both); a name it cannot place is a usage error. */
export function resolveEnds(inventory: Inventory, from: string, to: string): { from: PathEnd & { label: string }; to: PathEnd & { label: string } } {
  const parsed = resolveEndpoints(inventory, from, to);
  if (!parsed.ok) throw new CliFailure(EXIT.usage, parsed.side === 'both' ? parsed.message : `--${parsed.side} ${parsed.side === 'from' ? from : to}: ${parsed.message}`);
  return { from: { ...parsed.from.end, label: parsed.from.label }, to: { ...parsed.to.end, label: parsed.to.label } };
}

/** The packet fields from --proto, --port, --icmp-type, with the errors a user can act on. */
export function probeFrom(proto: string, port: string | undefined, icmpType: string | undefined, destination: string): PathProbe {
  switch (proto) {
    case 'tcp':
    case 'udp':
    case 'sctp': {
      const dstPort = Number(port);
      if (!port || !Number.isInteger(dstPort) || dstPort < 1 || dstPort > 65535) throw wrongUsage(`--proto ${proto} needs --port 1-65535`);
      return { protocol: proto, srcPort: 49152, dstPort };
    }
    case 'icmp':
      return { protocol: 'icmp', icmpType: icmpType === undefined ? echoRequestType(destination) : Number(icmpType) };
    default:
      throw wrongUsage(`--proto must be tcp, udp, sctp or icmp, not "${proto}"`);
  }
}
