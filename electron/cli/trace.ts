import { echoRequestType } from '@shared/simulator/packet';
import type { Inventory } from '@shared/inventory/model';
import { resolveEndpoints, sentBy, withinOneEndProblem } from '@shared/simulator/endpoints';
import type { PathEnd, PathProbe } from '@shared/simulator/path';
import type { PacketService } from '@shared/policy/services';
import { shortName } from '@shared/text';
import { CliFailure, EXIT, wrongUsage } from './inputs';

/**
 * `--from`/`--to` through the shared endpoint reader (one address family for both); a name it
 * cannot place is a usage error, and so, unless another workload sends (`forged`), are two ends
 * that are one workload: no switch sees its connections to itself.
 */
export function resolveEnds(inventory: Inventory, from: string, to: string, forged = false): { from: PathEnd & { label: string }; to: PathEnd & { label: string } } {
  const parsed = resolveEndpoints(inventory, from, to);
  if (!parsed.ok) throw new CliFailure(EXIT.usage, parsed.side === 'both' ? parsed.message : `--${parsed.side} ${shortName(parsed.side === 'from' ? from : to)}: ${parsed.message}`);
  const within = forged ? undefined : withinOneEndProblem(inventory, { from: parsed.from.end, to: parsed.to.end });
  if (within) throw new CliFailure(EXIT.usage, within);
  return { from: { ...parsed.from.end, label: parsed.from.label }, to: { ...parsed.to.end, label: parsed.to.label } };
}

/** The source end for `--sent-by` (see the shared `sentBy`); a sender it cannot place is a usage error. */
export function sentByFlag(inventory: Inventory, from: PathEnd & { label: string }, name: string): { from: PathEnd & { label: string }; note?: string } {
  const sender = sentBy(inventory, { end: from, label: from.label }, name);
  if (!sender.ok) throw new CliFailure(EXIT.usage, `--sent-by ${shortName(name)}: ${sender.message}`);
  return { from: { ...sender.end, label: sender.label }, ...(sender.note ? { note: sender.note } : {}) };
}

/** The source port a traced connection comes from without --src-port: the first of the ephemeral range. */
const EPHEMERAL_SOURCE_PORT = 49152;

/** The flags that make a traced packet, as given (text). */
export interface ProbeFlags {
  proto: string;
  port?: string;
  srcPort?: string;
  icmpType?: string;
  icmpCode?: string;
}

/**
 * The packet fields from --proto (any case, as inventories write it), --port, --src-port (a
 * DHCP exchange comes from 68, DHCPv6 from 546), --icmp-type and --icmp-code, with the errors a
 * user can act on: numbers are decimal, and a flag the protocol has no use for is refused rather
 * than silently ignored.
 */
export function probeFrom(flags: ProbeFlags, destination: string): PathProbe & PacketService {
  const { port, srcPort, icmpType, icmpCode } = flags;
  const protocol = flags.proto.toLowerCase();
  switch (protocol) {
    case 'tcp':
    case 'udp':
    case 'sctp': {
      for (const [flag, value] of [['--icmp-type', icmpType], ['--icmp-code', icmpCode]] as const)
        if (value !== undefined) throw wrongUsage(`${flag} applies to --proto icmp only, not ${protocol}; leave it out`);
      if (port === undefined) throw wrongUsage(`--proto ${protocol} needs --port 1-65535`);
      return { protocol, srcPort: srcPort === undefined ? EPHEMERAL_SOURCE_PORT : decimal('--src-port', srcPort, 1, 65535), dstPort: decimal('--port', port, 1, 65535) };
    }
    case 'icmp':
      if (port !== undefined) throw wrongUsage('--port does not apply to --proto icmp; give --icmp-type N, or leave both out for an echo request');
      if (srcPort !== undefined) throw wrongUsage('--src-port does not apply to --proto icmp; leave it out');
      return {
        protocol: 'icmp',
        icmpType: icmpType === undefined ? echoRequestType(destination) : decimal('--icmp-type', icmpType, 0, 255),
        ...(icmpCode === undefined ? {} : { icmpCode: decimal('--icmp-code', icmpCode, 0, 255) }),
      };
    default:
      throw wrongUsage(`--proto must be tcp, udp, sctp or icmp, not "${flags.proto}"`);
  }
}

/** A flag's value as a whole decimal number in [min, max]; `0x50`, `1e3` or `80.0` are refused, not read as 80 or 1000. */
function decimal(flag: string, value: string, min: number, max: number): number {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw wrongUsage(`${flag} must be a decimal number from ${min} to ${max}, not "${value}"`);
  return n;
}
