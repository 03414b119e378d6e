import { pushUnder } from '../arrays';
import type { Family } from '../net/address';
import type { AddressMask } from './address-bits';
import type { SimFlow } from './flow-model';
import type { PacketFields } from './packet';

/**
 * A table's flows filed by the one exact address they match (source first, else destination),
 * so a lookup only considers the flows that can match the packet's addresses plus those that
 * match no exact address. Compiled tables are mostly per-address clause flows, so this turns a
 * scan of thousands of flows into a scan of a few dozen.
 */
interface TableIndex {
  bySource: Map<string, SimFlow[]>;
  byDestination: Map<string, SimFlow[]>;
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
  const bySource = index.bySource.get(addressKey(packet.src)) ?? [];
  const byDestination = index.byDestination.get(addressKey(packet.dst)) ?? [];
  if (bySource.length === 0 && byDestination.length === 0) return index.rest;
  return mergeByLine(mergeByLine(index.rest, bySource), byDestination);
}

function buildIndex(flows: readonly SimFlow[]): TableIndex {
  const index: TableIndex = { bySource: new Map(), byDestination: new Map(), rest: [] };
  for (const flow of flows) {
    const source = exactAddress(flow.match.nwSrc ?? flow.match.ipv6Src);
    const destination = exactAddress(flow.match.nwDst ?? flow.match.ipv6Dst);
    if (source !== null) pushUnder(index.bySource, source, flow);
    else if (destination !== null) pushUnder(index.byDestination, destination, flow);
    else index.rest.push(flow);
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
  const merged: SimFlow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(a[i]!.line < b[j]!.line ? a[i++]! : b[j++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < b.length) merged.push(b[j++]!);
  return merged;
}
