import type { SimulatedPacket } from '@shared/api/contract';
import { formatPacketService, parseIcmpNumber, parsePort } from '@shared/policy/services';
import { echoRequestType } from '@shared/simulator/packet';
import { quotedFound } from '@shared/text';

export type TraceProtocol = 'tcp' | 'udp' | 'sctp' | 'icmp';

/** The Trace form's service fields, as typed: the port for TCP, UDP and SCTP; the type and code for ICMP. */
export interface TraceServiceFields {
  protocol: TraceProtocol;
  port: string;
  /** Empty: an echo request of the destination's family (8, or 128 towards IPv6). */
  icmpType: string;
  /** Empty: code 0. */
  icmpCode: string;
}

/** The packet to simulate and its service as a policy writes it, or what is wrong with a field, named as the form labels it. */
export type TracedPacket = { ok: true; packet: SimulatedPacket; service: string } | { ok: false; error: string };

/**
 * The packet the fields ask about towards `destination` (an address), with its service text
 * (`tcp/80`, `icmp/8`, `icmp/3/4`: a code only when one was given). Numbers are decimal, as the
 * command line reads them, so `0x8` is refused rather than read as 8. Only the protocol's own
 * fields are read: a port left in the form while ICMP is chosen is kept for later, not refused.
 */
export function tracedPacket(fields: TraceServiceFields, destination: string): TracedPacket {
  if (fields.protocol !== 'icmp') {
    const port = parsePort(fields.port.trim());
    if (port === null) return { ok: false, error: 'Port: a number from 1 to 65535' };
    const packet: SimulatedPacket = { protocol: fields.protocol, dstPort: port };
    return { ok: true, packet, service: formatPacketService(packet) };
  }

  const typeText = fields.icmpType.trim();
  const icmpType = typeText === '' ? echoRequestType(destination) : parseIcmpNumber(typeText);
  if (icmpType === null) return { ok: false, error: `ICMP type: a decimal number from 0 to 255, not ${quotedFound(typeText)}; leave it empty for an echo request` };
  const codeText = fields.icmpCode.trim();
  const icmpCode = codeText === '' ? undefined : parseIcmpNumber(codeText);
  if (icmpCode === null) return { ok: false, error: `ICMP code: a decimal number from 0 to 255, not ${quotedFound(codeText)}; leave it empty for code 0` };

  const packet: SimulatedPacket = { protocol: 'icmp', icmpType, ...(icmpCode === undefined ? {} : { icmpCode }) };
  return { ok: true, packet, service: formatPacketService(packet) };
}
