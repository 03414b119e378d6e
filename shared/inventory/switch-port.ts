/**
 * What a workload's `switchPort` may be: a port name as flows write it after `in_port=` and
 * ovs-ofctl looks it up on the bridge. Kept to the characters interface names use, so the flow
 * text needs no quoting; never a number alone, which the switch would read as an OpenFlow port
 * number (those change when a port is added again), nor one of OpenFlow's reserved port names.
 */
const SWITCH_PORT = /^[A-Za-z0-9_.-]{1,64}$/;
// As ovs-ofctl reads them, whatever their case: `in_port=unset` would bind no real port, so the guard would guard nothing.
const RESERVED = new Set(['in_port', 'table', 'normal', 'flood', 'all', 'controller', 'local', 'any', 'none', 'unset']);

/** The rule in words, for messages. */
export const SWITCH_PORT_RULE = 'the port\'s name on the bridge: 1 to 64 letters, digits, ".", "-" and "_", not a number alone';

/** Why a switch port cannot be named so; undefined when it can. */
export function switchPortProblem(port: string): string | undefined {
  if (!SWITCH_PORT.test(port)) return `switch port ${JSON.stringify(port)} must be ${SWITCH_PORT_RULE}`;
  // ovs-ofctl reads a leading "-" as a negative port number and refuses the whole bundle.
  if (port.startsWith('-')) return `switch port ${JSON.stringify(port)} starts with "-", which ovs-ofctl reads as a negative port number; give the port's name`;
  if (/^\d+$/.test(port)) return `switch port ${JSON.stringify(port)} is a number; give the port's name (OpenFlow port numbers change when a port is added again)`;
  if (RESERVED.has(port.toLowerCase())) return `switch port ${JSON.stringify(port)} is one of OpenFlow's reserved port names; give the name of the workload's own port`;
  return undefined;
}
