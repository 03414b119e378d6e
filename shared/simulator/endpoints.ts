import { pushUnder } from '../arrays';
import { byOwnName, qualifiedName, type Inventory, type Workload } from '../inventory/model';
import { takesPart } from '../inventory/participation';
import { parseCidr } from '../net/address';
import { addressSlip } from '../net/address-slip';
import { didYouMean, nearNames } from '../near-names';
import { canonicalAddress, ipv4MappedProblem } from '../net/cidr-set';
import { quotedName, shortName } from '../text';
import type { PathEnd } from './path';

export type EndpointParse = { ok: true; end: PathEnd; label: string } | { ok: false; message: string };

export type EndpointPairParse = { ok: true; from: { end: PathEnd; label: string }; to: { end: PathEnd; label: string } } | { ok: false; side: 'from' | 'to' | 'both'; message: string };

/**
 * Both ends of a connection, as resolveEndpoint reads them, with addresses of one family: a
 * dual-stack workload uses its address of the other end's family (IPv4 first when both have both).
 */
export function resolveEndpoints(inventory: Inventory, fromText: string, toText: string): EndpointPairParse {
  return new EndpointResolver(inventory, { suggestNames: true }).endpoints(fromText, toText);
}

/**
 * Reads one end of a connection as people name it: a workload's name, `namespace/name`, or
 * an IP address (a workload's, which puts it behind that workload's host, or an outside one).
 */
export function resolveEndpoint(inventory: Inventory, text: string): EndpointParse {
  return new EndpointResolver(inventory, { suggestNames: true }).endpoint(text);
}

/**
 * Why a connection within one end is no question for the switches: a workload's connections to
 * its own addresses stay inside it (its own network stack answers them), so no switch sees them
 * and no matrix cell counts them; nor does a switch see an outside address talk to itself.
 * Undefined for two ends. A forged source (sentBy) is another end: ask this before it.
 */
export function withinOneEndProblem(inventory: Inventory, ends: { from: PathEnd; to: PathEnd }): string | undefined {
  return new EndpointResolver(inventory).withinOneEndProblem(ends);
}

export type SenderParse = { ok: true; end: PathEnd; label: string; note?: string } | { ok: false; message: string };

/**
 * The source end of a packet that carries `from`'s address but comes in by the switch port of
 * workload `senderText` on its host: "what if that workload forged this address?". The host's
 * spoof guard sees the port where the inventory names one; without it, `note` says the host
 * cannot tell the two apart.
 */
export function sentBy(inventory: Inventory, from: { end: PathEnd; label: string }, senderText: string): SenderParse {
  return new EndpointResolver(inventory, { suggestNames: true }).sentBy(from, senderText);
}

/**
 * The ends of many connections read against one inventory, as resolveEndpoints, resolveEndpoint
 * and sentBy read them: a connection log names thousands of ends, and each read alone goes
 * through every workload (half of a 100,000-line replay's time on an estate of 50,000). The
 * workloads are found through maps made on first use instead.
 */
export class EndpointResolver {
  /** Workloads by name, and by namespace, then name (`workloadsNamed`). */
  private byName: Map<string, Workload[]> | null = null;
  private byNamespace: Map<string, Map<string, Workload[]>> | null = null;
  /** The first workload taking part that has the address, by address. */
  private ownerByAddress: Map<string, Workload> | null = null;

  /**
   * `suggestNames`: a name that is no workload's is told the near ones (`fe-1` for `FE-1`). Off
   * for many ends (a replay's log): each suggestion goes through every workload's name.
   */
  constructor(
    private readonly inventory: Inventory,
    private readonly options: { suggestNames?: boolean } = {},
  ) {}

  endpoints(fromText: string, toText: string): EndpointPairParse {
    const from = this.endpoint(fromText);
    if (!from.ok) return { ok: false, side: 'from', message: from.message };
    const to = this.endpoint(toText);
    if (!to.ok) return { ok: false, side: 'to', message: to.message };
    const choices = (text: string, parsed: { end: PathEnd; label: string }): readonly string[] => {
      const workload = this.named(text);
      return workload ? workload.addresses : [parsed.end.address];
    };
    const pair = sameFamilyPair(choices(fromText, from), choices(toText, to));
    if (pair) return { ok: true, from: withAddress(from, pair[0]), to: withAddress(to, pair[1]) };
    return { ok: false, side: 'both', message: `${quotedName(fromText.trim())} and ${quotedName(toText.trim())} have no address family in common (IPv4 or IPv6), so no connection runs between them` };
  }

  /** withinOneEndProblem, with this resolver's maps: a replay asks it of every distinct pair of ends in a log. */
  withinOneEndProblem(ends: { from: PathEnd; to: PathEnd }): string | undefined {
    const owner = this.ownerOf(ends.from.address);
    const named = owner && shortName(qualifiedName(owner));
    // One address whoever was named for it (two workloads sharing it, MS205, are one end to the sender).
    if (ends.from.address === ends.to.address) return `both ends are ${ends.to.address}${named ? ` (${named})` : ''}: a connection to the sender's own address stays inside it, where no switch sees it (no matrix cell counts it); name two ends`;
    if (!owner || owner !== this.ownerOf(ends.to.address)) return undefined;
    return `both ends are ${named} (${ends.from.address} and ${ends.to.address}): its connections to itself stay inside it, where no switch sees them (no matrix cell counts them); name two ends`;
  }

  endpoint(text: string): EndpointParse {
    const trimmed = text.trim();
    const cidr = parseCidr(trimmed);
    if (cidr && cidr.prefix === (cidr.family === 4 ? 32 : 128)) {
      // As in inventories (MS304): a socket may print an IPv4 peer so, but no packet carries it,
      // so no flow would match it and the connection would wrongly read as an outside one.
      const mapped = ipv4MappedProblem(trimmed);
      if (mapped !== undefined) return { ok: false, message: mapped };
      // In the one spelling inventories keep (fd00::2 for FD00::0002).
      const address = canonicalAddress(trimmed)!;
      // A workload without a host has no switch in front of it: its address is an outside one.
      const owner = this.ownerOf(address);
      return {
        ok: true,
        end: { address, ...(owner ? { host: owner.host, ...portOf(owner) } : {}) },
        label: owner ? workloadLabel(owner, address) : `${address} (outside)`,
      };
    }
    const found = this.workloadsNamed(trimmed);
    if (found.length === 0 && cidr) return { ok: false, message: `${quotedName(trimmed)} is an address block, not one address; name one of its addresses, or a workload` };
    if (found.length === 0) {
      const slip = addressSlip(trimmed, "the connection's port");
      return { ok: false, message: `${quotedName(trimmed)} is no workload of the inventory, and not an IP address${slip ? `: ${slip}` : this.nearWorkloads(trimmed)}` };
    }
    if (found.length > 1) return { ok: false, message: `${found.length} workloads are called ${quotedName(trimmed)}; write namespace/name or an address` };
    const workload = found[0]!;
    const address = workload.addresses[0];
    if (!address) return { ok: false, message: `workload ${quotedName(workload.name)} has no IP address` };
    if (!takesPart(workload)) return { ok: false, message: `workload ${quotedName(workload.name)} has no host (not scheduled yet?); trace its address to treat it as an outside one` };
    return { ok: true, end: { address, host: workload.host, ...portOf(workload) }, label: workloadLabel(workload, address) };
  }

  sentBy(from: { end: PathEnd; label: string }, senderText: string): SenderParse {
    const sender = this.named(senderText);
    if (!sender) {
      const trimmed = senderText.trim();
      if (parseCidr(trimmed)) return { ok: false, message: `name a workload (name or namespace/name), whose switch port the packet comes in by; ${quotedName(trimmed)} is an address` };
      // An address names no port, so unlike From and To these messages do not offer one.
      const count = this.workloadsNamed(trimmed).length;
      return { ok: false, message: count > 1 ? `${count} workloads are called ${quotedName(trimmed)}; write namespace/name` : `${quotedName(trimmed)} is no workload of the inventory${this.nearWorkloads(trimmed)}; name the one whose switch port the packet comes in by` };
    }
    if (!takesPart(sender)) return { ok: false, message: `workload ${quotedName(sender.name)} has no host or no address, so no switch port of ours` };
    const end: PathEnd = { address: from.end.address, host: sender.host, ...portOf(sender) };
    // Its own address: nothing is forged, the packet is what it sends anyway.
    if (sender.addresses.includes(from.end.address)) return { ok: true, end, label: from.label };
    const who = qualifiedName(sender);
    const label = `${from.label}, sent by ${shortName(who)}`;
    if (sender.switchPort !== undefined) return { ok: true, end, label };
    return { ok: true, end, label, note: `${shortName(who)} has no switchPort in the inventory, so its host ${sender.host} cannot tell what it sends from what ${from.end.address} sends: the trace takes the packet as that host would` };
  }

  /** ` (did you mean fe-1?)` for `FE-1`, when suggestNames is on: names as `text` is written, with its namespace or without. */
  private nearWorkloads(text: string): string {
    if (!this.options.suggestNames) return '';
    const withNamespace = text.includes('/');
    const names = this.inventory.workloads.flatMap((w) => (withNamespace ? (w.namespace === undefined ? [] : [qualifiedName(w)]) : [w.name]));
    return didYouMean(nearNames(text, names).map(shortName));
  }

  /** The workload a name (not an address) points at, when it is exactly one. */
  private named(text: string): Workload | undefined {
    const trimmed = text.trim();
    if (parseCidr(trimmed)) return undefined;
    const found = this.workloadsNamed(trimmed);
    return found.length === 1 ? found[0] : undefined;
  }

  /** workloadsNamed, in inventory order: only the first "/" splits a namespace off. */
  workloadsNamed(text: string): readonly Workload[] {
    if (!this.byName || !this.byNamespace) {
      this.byName = new Map();
      this.byNamespace = new Map();
      for (const w of this.inventory.workloads) {
        pushUnder(this.byName, w.name, w);
        if (w.namespace === undefined) continue;
        let names = this.byNamespace.get(w.namespace);
        if (!names) this.byNamespace.set(w.namespace, (names = new Map<string, Workload[]>()));
        pushUnder(names, w.name, w);
      }
    }
    const slash = text.indexOf('/');
    if (slash >= 0) return this.byNamespace.get(text.slice(0, slash))?.get(text.slice(slash + 1)) ?? [];
    return byOwnName(this.byName.get(text) ?? []);
  }

  /** The workload an address puts an end behind: the first in the inventory that takes part and has it. */
  ownerOf(address: string): Workload | undefined {
    if (!this.ownerByAddress) {
      this.ownerByAddress = new Map();
      for (const w of this.inventory.workloads) if (takesPart(w)) for (const a of w.addresses) if (!this.ownerByAddress.has(a)) this.ownerByAddress.set(a, w);
    }
    return this.ownerByAddress.get(address);
  }
}

/** The first address of each list of one family, IPv4 first: the two ends of a connection between them; null when they share none. */
export function sameFamilyPair(fromAddresses: readonly string[], toAddresses: readonly string[]): [string, string] | null {
  for (const family of [4, 6]) {
    const a = fromAddresses.find((x) => familyOf(x) === family);
    const b = toAddresses.find((x) => familyOf(x) === family);
    if (a && b) return [a, b];
  }
  return null;
}

/** The end with another of its workload's addresses; its label ends in the address (workloadLabel), which a name may hold too. */
function withAddress(parsed: { end: PathEnd; label: string }, address: string): { end: PathEnd; label: string } {
  if (parsed.end.address === address) return { end: parsed.end, label: parsed.label };
  const at = parsed.label.lastIndexOf(`(${parsed.end.address})`);
  return { end: { ...parsed.end, address }, label: `${parsed.label.slice(0, at)}(${address})${parsed.label.slice(at + parsed.end.address.length + 2)}` };
}

function familyOf(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

/** `web-1 (10.0.0.1)`: a workload's end as a trace's heading shows it, an enormous name by its head and length. */
function workloadLabel(workload: Workload, address: string): string {
  return `${shortName(qualifiedName(workload))} (${address})`;
}

/** The switch port a workload sends through, where the inventory knows it: the first switch's spoof guard sees it. */
function portOf(workload: Workload): Pick<PathEnd, 'port'> {
  return workload.switchPort !== undefined ? { port: workload.switchPort } : {};
}
