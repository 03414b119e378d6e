import type { Inventory } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { parseCidr } from '../net/address';
import type { PathEnd } from './path';

export type EndpointParse = { ok: true; end: PathEnd; label: string } | { ok: false; message: string };

/**
 * Reads one end of a connection as people name it: a workload's name, `namespace/name`, or
 * an IP address (a workload's, which puts it behind that workload's host, or an outside one).
 */
export function resolveEndpoint(inventory: Inventory, text: string): EndpointParse {
  const trimmed = text.trim();
  const cidr = parseCidr(trimmed);
  if (cidr && cidr.prefix === (cidr.family === 4 ? 32 : 128)) {
    // A workload without a host has no switch in front of it: its address is an outside one.
    const owner = inventory.workloads.find((w) => takesPart(w) && w.addresses.includes(cidr.address));
    return {
      ok: true,
      end: { address: cidr.address, ...(owner ? { host: owner.host } : {}) },
      label: owner ? `${owner.name} (${cidr.address})` : `${cidr.address} (outside)`,
    };
  }
  const [namespace, name] = trimmed.includes('/') ? trimmed.split('/', 2) : [undefined, trimmed];
  const found = inventory.workloads.filter((w) => w.name === name && (namespace === undefined || w.namespace === namespace));
  if (found.length === 0) return { ok: false, message: `"${trimmed}" is no workload of the inventory, and not an IP address` };
  if (found.length > 1) return { ok: false, message: `${found.length} workloads are called "${trimmed}"; write namespace/name or an address` };
  const workload = found[0]!;
  const address = workload.addresses[0];
  if (!address) return { ok: false, message: `workload "${workload.name}" has no IP address` };
  if (!takesPart(workload)) return { ok: false, message: `workload "${workload.name}" has no host (not scheduled yet?); trace its address to treat it as an outside one` };
  return { ok: true, end: { address, host: workload.host }, label: `${workload.name} (${address})` };
}
