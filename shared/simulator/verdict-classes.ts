import { intern } from '../arrays';
import { ETH_TYPE } from './flow-model';
import { startsConnection } from './packet';
import type { EngineAddress } from './verdict-address';
import { ExactAddresses, type ExactAddress } from './verdict-exact-addresses';
import { serviceMatches, valueHolds, type AddressCondition, type FastFlow } from './verdict-flow';
import type { Frame } from './verdict-frame';
import type { MatchShapes } from './verdict-match-shapes';
import { exactKey, type TableClassifier } from './verdict-table';

// Equivalence classes of packets on one host: two packets of one class take corresponding flows
// in every table, so they get the same verdict. They let a host answer a packet from a memo and
// let a table file its service flows per class instead of per port.

/** At most this many distinct tp_src matches per host are told apart by a bit each (else no cache). */
const MAX_SOURCE_PORT_MATCHES = 16;

/**
 * The service of a packet (Ethernet type, protocol, ports, ICMP type and code: what never
 * changes along the pipeline) as a class: packets whose service satisfies the same service
 * conditions of the host's flows share it. Cached per port, so a warm lookup is two array reads.
 */
export class ServiceClasses {
  /** One flow per distinct service condition, standing for all flows with it. */
  private readonly conditions: FastFlow[] = [];
  private readonly sourcePorts: { value: number; mask: number }[] = [];
  private readonly byKey = new Map<string, number>();
  /** By (Ethernet type, shape, protocol, tp_src bits): the class per tp_dst (or ICMP type and code). */
  private readonly cache = new Map<number, Int32Array>();
  /** The same for packets whose tp_src meets no tp_src match, in an array: the common case, read per packet. */
  private readonly plainCache: (Int32Array | undefined)[] = Array.from({ length: 3 * 3 * 257 }, () => undefined);

  constructor(flows: Iterable<FastFlow>) {
    const seen = new Set<string>();
    const ports = new Set<string>();
    for (const f of flows) {
      const key = serviceKey(f);
      if (key !== '' && !seen.has(key)) {
        seen.add(key);
        this.conditions.push(f);
      }
      if (f.tpSrcMask >= 0 && !ports.has(`${f.tpSrcValue}/${f.tpSrcMask}`)) {
        ports.add(`${f.tpSrcValue}/${f.tpSrcMask}`);
        this.sourcePorts.push({ value: f.tpSrcValue, mask: f.tpSrcMask });
      }
    }
  }

  /** How many classes exist so far. */
  get size(): number {
    return this.byKey.size;
  }

  /** The class of the frame's service. */
  classOf(p: Frame): number {
    const eth = p.ethType === ETH_TYPE.ipv4 ? 0 : p.ethType === ETH_TYPE.ipv6 ? 1 : p.ethType === ETH_TYPE.arp ? 2 : -1;
    if (eth < 0 || this.sourcePorts.length > MAX_SOURCE_PORT_MATCHES) return this.compute(p);
    let sourceBits = 0;
    if (p.tpSrc >= 0)
      for (let i = 0; i < this.sourcePorts.length; i++) {
        const m = this.sourcePorts[i]!;
        if ((p.tpSrc & m.mask) === m.value) sourceBits |= 1 << i;
      }
    // The shape keeps ported, ICMP and bare packets of one protocol number apart.
    const shape = p.tpDst >= 0 ? 0 : p.icmpType >= 0 ? 1 : 2;
    const kind = (eth * 3 + shape) * 257 + p.ipProto + 1;
    const second = shape === 0 ? p.tpDst : shape === 1 ? ((p.icmpType & 0xff) << 8) | (p.icmpCode & 0xff) : 0;
    let byValue = sourceBits === 0 ? this.plainCache[kind] : this.cache.get(kind * (1 << MAX_SOURCE_PORT_MATCHES) + sourceBits);
    if (!byValue) {
      byValue = new Int32Array(shape === 2 ? 1 : 65536).fill(-1);
      if (sourceBits === 0) this.plainCache[kind] = byValue;
      else this.cache.set(kind * (1 << MAX_SOURCE_PORT_MATCHES) + sourceBits, byValue);
    }
    const known = byValue[second]!;
    if (known >= 0) return known;
    const computed = this.compute(p);
    byValue[second] = computed;
    return computed;
  }

  private compute(p: Frame): number {
    let key = '';
    for (let i = 0; i < this.conditions.length; i++) if (serviceMatches(this.conditions[i]!, p)) key += `${i},`;
    // Conntrack tells apart what no flow may: a first packet it starts no connection with is invalid.
    if (!startsConnection(p.ethType, p.ipProto, p.icmpType)) key += 'invalid';
    return intern(this.byKey, key);
  }
}

/** The service conditions of a flow as text; '' when it has none. */
function serviceKey(f: FastFlow): string {
  if (f.ethType < 0 && f.ipProto < 0 && f.tpSrcMask < 0 && f.tpDstMask < 0 && f.icmpType < 0 && f.icmpCode < 0) return '';
  return [f.ethType, f.ipProto, f.tpSrcValue, f.tpSrcMask, f.tpDstValue, f.tpDstMask, f.icmpType, f.icmpCode].join(',');
}

/**
 * Classes of addresses in one role (source or destination) on one host. Two addresses are
 * equivalent when the flows matching each exactly are the same once the address is blanked out
 * (same table, priority, rest of the match, actions, as a multiset) and they fall in the same
 * blocks. Swapping one for the other then maps the flows a packet matches one to one onto flows
 * of equal priority and actions, so the lookups choose corresponding flows, except where text
 * order breaks a tie; the host's memo skips those answers (see TableClassifier.ambiguous).
 */
export class AddressClasses {
  /** The class of every address some flow matches exactly, worked out in one pass when built. */
  private readonly exact: ExactAddresses;
  private readonly blocks: AddressCondition[] = [];
  private readonly byKey = new Map<string, number>();
  /** Per family (IPv4, IPv6), the class of addresses no flow matches exactly, when there are no blocks. */
  private readonly unmatched: (number | undefined)[] = [undefined, undefined];

  constructor(tables: Iterable<[number, TableClassifier]>, role: 'source' | 'destination', matchShapes: MatchShapes) {
    const shapes = new Map<string, number>();
    const blockKeys = new Set<string>();
    const shapesOf = new Map<number | string, { condition: AddressCondition; shapes: number[] }>();
    for (const [table, classifier] of tables)
      for (const f of classifier.flows) {
        const c = role === 'source' ? f.src : f.dst;
        if (c === null) continue;
        if (!c.exact) {
          addDistinctBlock(this.blocks, blockKeys, c);
          continue;
        }
        const shape = `${matchShapes.of(table, f)}|${f.actionsId}`;
        const id = intern(shapes, shape);
        const key = exactKey(c.family, c.v4Value, c.value);
        const entry = shapesOf.get(key);
        if (entry) entry.shapes.push(id);
        else shapesOf.set(key, { condition: c, shapes: [id] });
      }
    const exact: [ExactAddress, number][] = [];
    for (const { condition, shapes } of shapesOf.values())
      exact.push([{ family: condition.family, v4: condition.v4Value, value: condition.value }, this.intern(condition.family, shapes, condition)]);
    this.exact = new ExactAddresses(exact);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The class of an address in this role; deterministic, not cached here (the caller caches per address). */
  classOf(address: EngineAddress): number {
    const exact = this.exact.get(address);
    if (exact >= 0) return exact;
    if (this.blocks.length > 0) return this.intern(address.family, [], address);
    // Without blocks, every address no flow matches exactly is in its family's one class: the common destination.
    const family = address.family === 6 ? 1 : 0;
    return (this.unmatched[family] ??= this.intern(address.family, [], address));
  }

  /** The class of these exact-match shapes and the blocks the address (or exact condition) falls in. */
  private intern(family: number, shapes: number[], address: Pick<EngineAddress, 'family' | 'v4' | 'value'> | AddressCondition): number {
    const probe = 'v4' in address ? address : { family: address.family, v4: address.v4Value, value: address.value };
    let key = `${family}:${shapes.sort((a, b) => a - b).join(',')}|`;
    for (let i = 0; i < this.blocks.length; i++) if (valueHolds(this.blocks[i]!, probe)) key += `${i},`;
    return intern(this.byKey, key);
  }
}

/** Adds a prefix condition to `blocks` unless an equal one (family, value and mask) is there: `seen` holds their keys. */
export function addDistinctBlock(blocks: AddressCondition[], seen: Set<string>, condition: AddressCondition): void {
  const key = `${condition.ipv6}/${condition.family}/${condition.value}/${condition.mask}`;
  if (seen.has(key)) return;
  seen.add(key);
  blocks.push(condition);
}
