/**
 * Whether a workload takes part in enforcement: it needs a host (the Open vSwitch that
 * enforces for it) and an address (what a flow can match). A pending pod has neither a node
 * nor an IP yet; it is still listed, but gets no host table, joins no group's rules and is
 * no party to a trace until it has both.
 */
export function takesPart(workload: { readonly host: string; readonly addresses: readonly string[] }): boolean {
  return workload.host.trim() !== '' && workload.addresses.length > 0;
}
