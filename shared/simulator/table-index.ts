import { pushUnder } from '../arrays';
import type { Family } from '../net/address';
import type { AddressMask } from './address-bits';
import type { SimFlow } from './flow-model';
import type { PacketFields } from './packet';

/**
 * A table's flows filed by the one exact address they match (source first, else destination),
 * and the others by their transport destination port under each mask they use, so a lookup
 * only considers the flows that can match the packet's addresses and port plus those that
 * match neither. Compiled tables are mostly per-address clause flows and per-port service
 * clause flows, so this turns a scan of thousands of flows into a scan of a few dozen: an edge
 * listing a thousand ports would otherwise have every packet meet its thousand port flows.
 */
interface TableIndex {
  bySource: Map<string, SimFlow[]>;
  byDestination: Map<string, SimFlow[]>;
  /** By tp_dst mask, then by the masked port: the flows of no exact address that match a port. */
  byPort: Map<number, Map<number, SimFlow[]>>;
  rest: SimFlow[];
}

const FULL_MASK = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;

// Keyed by the table's flow array, which the simulator never changes once grouped.
const indexes = new WeakMap<readonly SimFlow[], TableIndex>();

/**
 * The flows of a table that could match the packet, in text order: every flow that matches is
 * among them, so a lookup over them gives the same answer as over the whole table. Pure apart
 * from a cache keyed by the (immutable) flow array.
 */
export function candidateFlows(flows: readonly SimFlow[], packet: PacketFields): readonly SimFlow[] {
  if (flows.length < 64) return flows;
  let index = indexes.get(flows);
  if (!index) {
    index = buildIndex(flows);
    indexes.set(flows, index);
  }
  let candidates: readonly SimFlow[] = index.rest;
  // A flow matching a port never matches a packet without one (ICMP, ARP).
  if (packet.tpDst !== undefined) for (const [mask, byValue] of index.byPort) candidates = mergeByLine(candidates, byValue.get(packet.tpDst & mask) ?? []);
  candidates = mergeByLine(candidates, index.bySource.get(addressKey(packet.src)) ?? []);
  return mergeByLine(candidates, index.byDestination.get(addressKey(packet.dst)) ?? []);
}

function buildIndex(flows: readonly SimFlow[]): TableIndex {
  const index: TableIndex = { bySource: new Map(), byDestination: new Map(), byPort: new Map(), rest: [] };
  for (const flow of flows) {
    const source = exactAddress(flow.match.nwSrc ?? flow.match.ipv6Src);
    const destination = exactAddress(flow.match.nwDst ?? flow.match.ipv6Dst);
    if (source !== null) pushUnder(index.bySource, source, flow);
    else if (destination !== null) pushUnder(index.byDestination, destination, flow);
    else if (flow.match.tpDst) {
      const { mask, value } = flow.match.tpDst;
      let byValue = index.byPort.get(mask);
      if (!byValue) index.byPort.set(mask, (byValue = new Map<number, SimFlow[]>()));
      pushUnder(byValue, value, flow);
    } else index.rest.push(flow);
  }
  return index;
}

/** The key of the one address a match names exactly, or null for a prefix or no match. */
export function exactAddress(match: AddressMask | undefined): string | null {
  return match && isExactMask(match) ? addressKey(match) : null;
}

/** Whether a match names one address (all bits), not a prefix. */
export function isExactMask(match: AddressMask): boolean {
  return match.mask === FULL_MASK[match.family];
}

/** One address as a map key, whatever its spelling. */
export function addressKey(bits: { family: Family; value: bigint }): string {
  let key = addressKeys.get(bits);
  if (key === undefined) {
    key = `${bits.family}:${bits.value.toString(16)}`;
    addressKeys.set(bits, key);
  }
  return key;
}

// Analyses ask for the key of the same address object many times; printing a bigint is not free.
const addressKeys = new WeakMap<object, string>();

/** Merges two lists that are each in text order into one list in text order. */
function mergeByLine(a: readonly SimFlow[], b: readonly SimFlow[]): readonly SimFlow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const merged: SimFlow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(a[i]!.line < b[j]!.line ? a[i++]! : b[j++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < b.length) merged.push(b[j++]!);
  return merged;
}
