/**
 * Which switch a target reaches, as far as its spelling tells without asking the network, for
 * the checks that two targets must not share a switch (a bundle replaces all of a bridge's flows
 * of ours) and that a backup goes back only to the switch it was read from.
 *
 * Recognised as one machine: any spelling of one literal address (case, `[…]` around IPv6,
 * `::ffff:` around IPv4, IPv6 zero runs, IPv4 as `127.1` or in hex or octal, which the resolver
 * reads the same way), of an IPv6 address before its zone (`fe80::0001%eth0` and `fe80::1%eth0`;
 * the zone is compared as given, as Linux names interfaces case-sensitively), a host name in any case and with or without its final dot, a port written
 * into the address (`127.0.0.1:22`, `[::1]:22`), and this machine under every loopback name:
 * `localhost`, 127.0.0.0/8, `::1`, and `0.0.0.0` and `::`, which Linux connects to locally.
 *
 * Not recognised, because only the network could tell: another name or address of one machine
 * (its host name, a LAN address, a DNS or /etc/hosts alias, a port forward). Such targets still
 * pass as different switches; give each host its own switch.
 *
 * The SSH user is left out: every user of one machine reaches its one ovs-vswitchd. The port
 * stays in: two SSH servers on one machine may each lead to an Open vSwitch of their own, as in
 * the lab. The bridge is compared exactly, as Linux names interfaces case-sensitively.
 */
export function switchIdentity(target: { address: string; port: number; bridge: string }): string {
  const { machine, port } = endpointOf(target.address);
  return `${machine} port ${port ?? target.port} bridge ${target.bridge}`;
}

/** Which SSH server a target reaches, told as switchIdentity tells its machine: its sessions count against that server's limit. */
export function sshServerIdentity(target: { address: string; port: number }): string {
  const { machine, port } = endpointOf(target.address);
  return `${machine} port ${port ?? target.port}`;
}

/** Whether two targets reach one switch, as switchIdentity tells. */
export function sameSwitch(a: { address: string; port: number; bridge: string }, b: { address: string; port: number; bridge: string }): boolean {
  return switchIdentity(a) === switchIdentity(b);
}

/**
 * The first of `targets` of another host than `target`'s that reaches its switch, as switchIdentity
 * tells. An entry of a hand-edited file without an address names no switch, and is passed over.
 */
export function sharerOf<T extends { host: string; address: string; port: number; bridge: string }>(target: T, targets: readonly T[]): T | undefined {
  return targets.find((other) => other.host !== target.host && namesASwitch(other) && sameSwitch(other, target));
}

/** Whether a stored target has an address, and so names a switch: an entry of a hand-edited hosts.json may have none. */
export function namesASwitch(target: { address: string }): boolean {
  return typeof (target.address as unknown) === 'string';
}

const LOOPBACK = 'this machine (loopback)';

/** The machine an address names, and the port written into it, if any. */
function endpointOf(address: string): { machine: string; port?: number } {
  const trimmed = address.trim();
  // One colon is a port after a name or IPv4; IPv6 has two or more, and a port only after brackets.
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(trimmed);
  const named = /^([^:]*):(\d+)$/.exec(trimmed);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : named ? [named[1]!, named[2]] : [trimmed, undefined];
  return { machine: machineOf(host), ...(port === undefined ? {} : { port: Number(port) }) };
}

function machineOf(host: string): string {
  // The URL parser takes no zone: it is set apart, and the address before it made canonical.
  const zoneAt = host.includes(':') ? host.indexOf('%') : -1;
  const zone = zoneAt < 0 ? '' : host.slice(zoneAt);
  const name = (zoneAt < 0 ? host : host.slice(0, zoneAt)).toLowerCase().replace(/\.$/, '');
  const ip = name.includes(':') ? canonicalIpv6(name) : canonicalIpv4(name);
  if (ip === undefined) return name === 'localhost' ? LOOPBACK : `${name}${zone}`;
  return ip.startsWith('127.') || ip === '0.0.0.0' || ip === '::1' || ip === '::' ? LOOPBACK : `${ip}${zone}`;
}

/** The URL parser writes IPv4 as the resolver reads it (`127.1`, `0x7f.0.0.1`); undefined for a name. */
function canonicalIpv4(host: string): string | undefined {
  try {
    const parsed = new URL(`http://${host}/`).hostname;
    return /^\d+\.\d+\.\d+\.\d+$/.test(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** IPv6 in its one short form, an IPv4 address carried in it as that IPv4; undefined when it is not IPv6. */
function canonicalIpv6(host: string): string | undefined {
  let parsed: string;
  try {
    parsed = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(parsed);
  if (!mapped) return parsed;
  const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
