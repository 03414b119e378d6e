import type { Inventory } from '@shared/inventory/model';
import { parseCidr } from '@shared/net/address';
import type { PathEnd, PathProbe } from '@shared/simulator/path';
import { CliFailure, EXIT } from './inputs';

/** `--from`/`--to`: a workload's name, `namespace/name`, or an address (a workload's or an outside one). */
export function resolveEnd(inventory: Inventory, text: string, flag: string): PathEnd & { label: string } {
  const cidr = parseCidr(text);
  if (cidr && cidr.prefix === (cidr.family === 4 ? 32 : 128)) {
    const owner = inventory.workloads.find((w) => w.addresses.includes(cidr.address));
    return { address: cidr.address, ...(owner ? { host: owner.host } : {}), label: owner ? `${owner.name} (${cidr.address})` : `${cidr.address} (outside)` };
  }
  const [namespace, name] = text.includes('/') ? text.split('/', 2) : [undefined, text];
  const found = inventory.workloads.filter((w) => w.name === name && (namespace === undefined || w.namespace === namespace));
  if (found.length === 0) throw new CliFailure(EXIT.usage, `${flag} ${text}: no workload of that name in the inventory, and not an IP address`);
  if (found.length > 1) throw new CliFailure(EXIT.usage, `${flag} ${text}: ${found.length} workloads have that name; write namespace/name or an address`);
  const workload = found[0]!;
  const address = workload.addresses[0];
  if (!address) throw new CliFailure(EXIT.usage, `${flag} ${text}: the workload has no IP address`);
  return { address, host: workload.host, label: `${workload.name} (${address})` };
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
