/**
 * The ICMP messages a connection can start with, per address family, as Open vSwitch's
 * connection tracker reads them (lib/conntrack-icmp.c, valid_new): IPv4's echo (8), timestamp
 * (13) and information (15) requests, IPv6's echo request (128). Every other ICMP message is a
 * reply or an error: it passes as part of the connection it belongs to, and a first packet of
 * one belongs to none, so conntrack finds it invalid. (The kernel's tracker also starts one with
 * IPv4's address mask request, 17, and IPv6's node information query, 139.)
 */
export const ICMP_REQUESTS: Readonly<Record<4 | 6, readonly number[]>> = { 4: [8, 13, 15], 6: [128] };

/** Whether an ICMP message of this type (read in this family) opens a connection. */
export function icmpOpensConnection(family: 4 | 6, type: number): boolean {
  return ICMP_REQUESTS[family].includes(type);
}
