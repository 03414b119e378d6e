import type { Inventory } from '@shared/inventory/model';
import { resolveEndpoint } from '@shared/simulator/endpoints';
import type { PathEnd, PathProbe } from '@shared/simulator/path';
import { CliFailure, EXIT } from './inputs';

/** `--from`/`--to` through the shared endpoint reader; a name it cannot place is a usage error. */
export function resolveEnd(inventory: Inventory, text: string, flag: string): PathEnd & { label: string } {
  const parsed = resolveEndpoint(inventory, text);
  if (!parsed.ok) throw new CliFailure(EXIT.usage, `${flag} ${text}: ${parsed.message}`);
  return { ...parsed.end, label: parsed.label };
}

/** The packet fields from --proto, --port, --icmp-type, with the errors a user can act on. */
export function probeFrom(proto: string, port: string | undefined, icmpType: string | undefined): PathProbe {
  switch (proto) {
    case 'tcp':
    case 'udp':
    case 'sctp': {
      const dstPort = Number(port);
      if (!port || !Number.isInteger(dstPort) || dstPort < 1 || dstPort > 65535) throw new CliFailure(EXIT.usage, `--proto ${proto} needs --port 1-65535`);
      return { protocol: proto, srcPort: 49152, dstPort };
    }
    case 'icmp':
      return { protocol: 'icmp', icmpType: icmpType === undefined ? 8 : Number(icmpType) };
    default:
      throw new CliFailure(EXIT.usage, `--proto must be tcp, udp, sctp or icmp, not "${proto}"`);
  }
}
