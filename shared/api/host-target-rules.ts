/**
 * IPv6, optionally with its zone (`fe80::1%eth0`: which interface a link-local address is on), as
 * ssh2 takes it; a zone names an interface, at most 15 letters, digits, "_", "." or "-", or its index.
 */
const IPV6 = '[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f.:]*(?:%[A-Za-z0-9_.-]{1,15})?';

/**
 * What a host target's fields may hold, checked in the form as the user types and again by
 * the main process on every request: the bridge and user reach a remote command line, so
 * both ends must agree on exactly these rules.
 */
export const HOST_TARGET_RULES = {
  // A name or IPv4 address has no colon, IPv6 (bare or in brackets) at least two: a port written
  // after a name, an IPv4 address or brackets would reach the SSH resolver as part of the name.
  address: {
    pattern: new RegExp(`^(?=.{1,253}$)(?:[A-Za-z0-9.-]+|${IPV6}|\\[${IPV6}\\])$`),
    message: 'a host name or IP address, IPv6 with its zone if it needs one (fe80::1%eth0); its port goes in the Port field',
  },
  user: { pattern: /^[a-z_][a-z0-9_.-]{0,63}$/i, message: 'a user name: letters, digits, "_", "." or "-"' },
  bridge: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/, message: 'a bridge name: a letter or digit, then letters, digits, "_", "." or "-" (at most 15)' },
} as const;

/** True when `value` satisfies the rule for `field`. */
export function fitsHostTargetRule(field: keyof typeof HOST_TARGET_RULES, value: string): boolean {
  return HOST_TARGET_RULES[field].pattern.test(value);
}

/**
 * Where a target's SSH session goes, as messages name it: `user@address:port`. A bare IPv6
 * address is put in brackets: `root@::1:22` would read as the address `::1:22`.
 */
export function sshDestination(target: { user: string; address: string; port: number }): string {
  const address = target.address.includes(':') && !target.address.startsWith('[') ? `[${target.address}]` : target.address;
  return `${target.user}@${address}:${target.port}`;
}

/** The switch a target reaches, as backups record it and messages name it: `root@10.0.0.1:22, bridge br-int`. */
export function sshSwitch(target: { user: string; address: string; port: number; bridge: string }): string {
  return `${sshDestination(target)}, bridge ${target.bridge}`;
}
