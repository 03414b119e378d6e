import { intern } from '../arrays';
import type { AddressBits } from '../simulator/address-bits';
import { ETH_TYPE, formatMatch, IP_PROTO, isConjunctive, REGISTER_COUNT, type SimFlow } from '../simulator/flow-model';
import type { PacketFields } from '../simulator/packet';
import type { HostFlowTables } from '../simulator/path';
import { simulateFields } from '../simulator/simulate';
import { addressKey, exactAddress } from '../simulator/table-index';
import type { FlowSignatures } from './flow-signatures';
import { portAtomClasses, PortKinds, toggles } from './port-classes';
import { forPair, relevantFlows, type PairFlows } from './relevant-flows';
import { ICMP_CODES, icmpValue, SERVICE_DOMAIN, SERVICE_PROTOCOLS, type Interval, type ServiceProtocol } from './service-set';

/** What one switch does with the first packet of a connection. */
export type HopOutcome = { kind: 'forwarded' } | { kind: 'dropped' } | { kind: 'redirected'; to: string };

/** A run of ports (or ICMP types, or protocol numbers) that one switch treats alike. */
export interface Segment {
  from: number;
  to: number;
  outcome: HopOutcome;
}

export type Segments = Readonly<Record<ServiceProtocol, readonly Segment[]>>;

/** Signature numbers stay far below this, so two of them make one exact number. */
const SIGNATURE_SPAN = 2 ** 24;

/** The ephemeral source port every probe uses: the matrix is about the services a connection opens. */
export const PROBE_SOURCE_PORT = 40000;

const PORT_PROTOCOLS: Partial<Record<number, ServiceProtocol>> = { [IP_PROTO.tcp]: 'tcp', [IP_PROTO.udp]: 'udp', [IP_PROTO.sctp]: 'sctp' };
const PORT_NUMBER = { tcp: IP_PROTO.tcp, udp: IP_PROTO.udp, sctp: IP_PROTO.sctp } as const;
const PORT_NUMBERS_BY_PROTOCOL: Partial<Record<ServiceProtocol, number>> = PORT_NUMBER;

/**
 * One switch's verdict on every service between two addresses, computed exactly: the
 * destination ports (ICMP types, protocol numbers) are cut into atoms at every boundary of a
 * flow that could take part for this pair, no flow distinguishes two values inside an atom, so
 * one simulated packet per atom decides all of it. Results are shared between pairs whose
 * addresses the host's flows cannot tell apart (FlowSignatures), or, without signatures (a
 * question about a few pairs, where classing every address would cost more than it saves),
 * whose tables reduced to the pair have the same shapes.
 */
export class HostReach {
  /** By host, then by the pair's two signatures (one number) or, without signatures, its two addresses. */
  private readonly memo = new Map<string, Map<number | string, Segments>>();
  private readonly byShape = new Map<string, Segments>();
  private readonly shapes = new FlowShapes();
  private readonly portKinds = new PortKinds();
  simulations = 0;

  constructor(
    private readonly tables: HostFlowTables,
    private readonly signatures?: FlowSignatures,
  ) {}

  at(host: string, src: AddressBits, dst: AddressBits): Segments {
    let byPair = this.memo.get(host);
    if (!byPair) this.memo.set(host, (byPair = new Map<number | string, Segments>()));
    const key = this.signatures
      ? this.signatures.signature(host, 'source', src) * SIGNATURE_SPAN + this.signatures.signature(host, 'destination', dst)
      : `${addressKey(src)}|${addressKey(dst)}`;
    let segments = byPair.get(key);
    if (!segments) {
      segments = this.segments(host, src, dst);
      byPair.set(key, segments);
    }
    return segments;
  }

  /**
   * One pair's segments, not remembered per pair (the caller keys them), only by the shape of
   * its reduced tables. With `conjunctions` off, as if no conjunction could complete for it:
   * the answer of every pair no rule joins that the host's other flows cannot tell from it.
   */
  segments(host: string, src: AddressBits, dst: AddressBits, conjunctions = true): Segments {
    const byTable = this.tables.get(host);
    if (!byTable) throw new Error(`no flow table for host "${host}"`);
    // Only the flows that can take part for this pair, each with only the conjunctions that
    // can complete for it: every lookup gives the same answer on them as on the whole table,
    // and each simulation scans a few dozen flows, not thousands.
    const perTable = [...byTable].map(([table, flows]) => [table, relevantFlows(flows, src, dst, conjunctions)] as const);
    // Every flow left holds for this pair's addresses, so the switch's answer depends only on
    // the rest of each flow and the conjunctions it keeps, in order: pairs (on any host) whose
    // reduced tables have the same shapes share one answer.
    const shapeKey = `${src.family}|${perTable.map(([table, { flows, complete }]) => `${table}:${flows.map((f) => this.shapes.of(f, complete)).join(',')}`).join('|')}`;
    const known = this.byShape.get(shapeKey);
    if (known) return known;
    const segments = this.simulate(src, dst, perTable, SERVICE_PROTOCOLS) as Segments;
    this.byShape.set(shapeKey, segments);
    return segments;
  }

  /** Some protocols' runs for one pair, remembered by no one: the caller keys them. */
  runs(host: string, src: AddressBits, dst: AddressBits, protocols: readonly ServiceProtocol[], conjunctions = true): Partial<Segments> {
    const byTable = this.tables.get(host);
    if (!byTable) throw new Error(`no flow table for host "${host}"`);
    return this.simulate(src, dst, [...byTable].map(([table, flows]) => [table, relevantFlows(flows, src, dst, conjunctions)] as const), protocols);
  }

  /** A simulated packet per class of atoms of each protocol on the pair's reduced tables, neighbouring atoms with one outcome joined. */
  private simulate(src: AddressBits, dst: AddressBits, perTable: readonly (readonly [number, PairFlows])[], protocols: readonly ServiceProtocol[]): Partial<Segments> {
    const reduced = new Map(perTable.map(([table, { flows, complete }]) => [table, flows.map((f) => forPair(f, complete))] as const));
    const boundaries = boundariesFor([...reduced.values()].flat(), src.family);
    const segments: Partial<Record<ServiceProtocol, Segment[]>> = {};
    for (const protocol of protocols) {
      const out: Segment[] = [];
      const base = probeFields(src, dst, protocol);
      const pieces = atoms(SERVICE_DOMAIN[protocol], boundaries[protocol]);
      // Atoms of one class get one answer (see portAtomClasses): one simulation per class.
      const portNumber = PORT_NUMBERS_BY_PROTOCOL[protocol];
      const classes = portNumber !== undefined ? portAtomClasses(reduced.values(), portNumber, pieces, this.portKinds) : null;
      const outcomes: HopOutcome[] = [];
      for (let i = 0; i < pieces.length; i++) {
        const [from, to] = pieces[i]!;
        const known = classes ? outcomes[classes[i]!] : undefined;
        const outcome = known ?? this.outcomeOf(reduced, withValue(base, protocol, representative(protocol, from, to)));
        if (classes) outcomes[classes[i]!] = outcome;
        const last = out.at(-1);
        if (last && last.to + 1 === from && sameOutcome(last.outcome, outcome)) last.to = to;
        else out.push({ from, to, outcome });
      }
      segments[protocol] = out;
    }
    return segments;
  }

  private outcomeOf(reduced: ReadonlyMap<number, readonly SimFlow[]>, fields: PacketFields): HopOutcome {
    this.simulations++;
    const result = simulateFields(reduced, fields, 'new', { explain: false, everyFirstPacketOpens: true });
    return result.verdict === 'redirected' && result.redirectedTo !== undefined ? { kind: 'redirected', to: result.redirectedTo }
      : result.verdict === 'dropped' ? { kind: 'dropped' }
      : { kind: 'forwarded' };
  }
}

/**
 * A key per flow that two flows share when they act alike for their pairs: after
 * relevantFlows every exact source is the packet's source and every exact destination its
 * destination, so those become SRC and DST; prefixes, the rest of the match, priority and
 * actions (honeypot addresses included) stay, except that a clause flow counts only by the
 * conjunction actions it keeps for the pair (forPair).
 */
class FlowShapes {
  private readonly ids = new Map<string, number>();
  private readonly byFlow = new WeakMap<SimFlow, number>();

  of(flow: SimFlow, complete: ReadonlySet<number>): string {
    const id = this.idOf(flow);
    if (!isConjunctive(flow)) return String(id);
    const kept = forPair(flow, complete).actions.map((a) => (a.kind === 'conjunction' ? `${a.id}.${a.clause}.${a.clauses}` : ''));
    return `${id}:${kept.join(';')}`;
  }

  private idOf(flow: SimFlow): number {
    let id = this.byFlow.get(flow);
    if (id === undefined) {
      const match = { ...flow.match };
      const text = [
        flow.table,
        flow.priority,
        exactAddress(match.nwSrc ?? match.ipv6Src) !== null ? 'SRC' : '',
        exactAddress(match.nwDst ?? match.ipv6Dst) !== null ? 'DST' : '',
      ];
      for (const field of ['nwSrc', 'ipv6Src', 'nwDst', 'ipv6Dst'] as const) if (exactAddress(match[field]) !== null) delete match[field];
      const actions = isConjunctive(flow) ? 'conjunction' : flow.text.slice(flow.text.indexOf('actions='));
      const key = `${text.join('|')}|${formatMatch(match)}|${actions}`;
      id = intern(this.ids, key);
      this.byFlow.set(flow, id);
    }
    return id;
  }
}

function sameOutcome(a: HopOutcome, b: HopOutcome): boolean {
  return a.kind === b.kind && (a.kind !== 'redirected' || (b.kind === 'redirected' && a.to === b.to));
}

/** Where a flow's match starts or stops holding, per protocol: the first value in and the first value after. */
function boundariesFor(flows: readonly SimFlow[], family: 4 | 6): Record<ServiceProtocol, Set<number>> {
  const out: Record<ServiceProtocol, Set<number>> = { tcp: new Set(), udp: new Set(), sctp: new Set(), icmp: new Set(), other: new Set() };
  const icmp = family === 4 ? IP_PROTO.icmp : IP_PROTO.icmp6;
  for (const { match } of flows) {
    if (match.ipProto === undefined) continue;
    const portProtocol = PORT_PROTOCOLS[match.ipProto];
    if (portProtocol) {
      if (match.tpDst) for (const b of toggles(match.tpDst.value, match.tpDst.mask)) out[portProtocol].add(b);
    } else if (match.ipProto === icmp) {
      addIcmpBoundaries(out.icmp, match.icmpType, match.icmpCode);
    } else {
      out.other.add(match.ipProto).add(match.ipProto + 1);
    }
  }
  return out;
}

/** Where a match on an ICMP type, a code or both starts and stops holding among icmpValue numbers. */
function addIcmpBoundaries(out: Set<number>, type: number | undefined, code: number | undefined): void {
  if (code === undefined) {
    if (type !== undefined) out.add(icmpValue(type, 0)).add(icmpValue(type + 1, 0));
    return;
  }
  // A code alone holds within every type.
  for (let t = type ?? 0; t <= (type ?? ICMP_CODES - 1); t++) out.add(icmpValue(t, code)).add(icmpValue(t, code) + 1);
}

/** The domain cut at the boundaries. */
function atoms(domain: readonly Interval[], boundaries: ReadonlySet<number>): Interval[] {
  const cuts = [...boundaries].sort((a, b) => a - b);
  const out: Interval[] = [];
  for (const [from, to] of domain) {
    let start = from;
    for (const cut of cuts) {
      if (cut <= start || cut > to) continue;
      out.push([start, cut - 1]);
      start = cut;
    }
    out.push([start, to]);
  }
  return out;
}

/** The value a probe uses for an atom; GRE (47) stands for the other protocols when it can. */
function representative(protocol: ServiceProtocol, from: number, to: number): number {
  return protocol === 'other' && from <= 47 && 47 <= to ? 47 : from;
}

/** The probe's fields with the destination port, ICMP type or protocol number set (the simulator copies what it changes). */
function withValue(base: PacketFields, protocol: ServiceProtocol, value: number): PacketFields {
  const fields = { ...base };
  if (protocol === 'icmp') {
    fields.icmpType = Math.floor(value / ICMP_CODES);
    fields.icmpCode = value % ICMP_CODES;
  } else if (protocol === 'other') fields.ipProto = value;
  else fields.tpDst = value;
  return fields;
}

/** A first packet from `src` to `dst` in numeric form, as packetFields would give it, without a round trip through text. */
function probeFields(src: AddressBits, dst: AddressBits, protocol: ServiceProtocol): PacketFields {
  const v4 = src.family === 4;
  const fields: PacketFields = { ethType: v4 ? ETH_TYPE.ipv4 : ETH_TYPE.ipv6, src, dst, ctState: 0, ctMark: 0, regs: new Array<number>(REGISTER_COUNT).fill(0), conjId: 0 };
  if (protocol === 'icmp') return { ...fields, ipProto: v4 ? IP_PROTO.icmp : IP_PROTO.icmp6, icmpType: 0, icmpCode: 0 };
  if (protocol === 'other') return { ...fields, ipProto: 47 };
  return { ...fields, ipProto: PORT_NUMBER[protocol], tpSrc: PROBE_SOURCE_PORT, tpDst: 0 };
}
