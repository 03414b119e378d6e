import { intern, pushUnder } from '../arrays';
import type { AddressBits } from '../simulator/address-bits';
import { addressMatches } from '../simulator/address-bits';
import { hasAddress, type SimFlow } from '../simulator/flow-model';
import type { FlowTables } from '../simulator/simulate';
import { addressKey, exactAddress } from '../simulator/table-index';
import { shapeOf } from './flow-signatures';
import { hardFlows } from './relevant-flows';

export type Role = 'source' | 'destination';

/** One host's signatures. */
export interface HostSignatures {
  /** A number hosts share when the hard flows that name no address are the same on both. */
  base: number;
  /** Per role: endpoint index to signature, for the endpoints some hard flow names; 0 for the others. */
  source: ReadonlyMap<number, number>;
  destination: ReadonlyMap<number, number>;
}

const UNREAD: HostSignatures = { base: 0, source: new Map(), destination: new Map() };

const FIELDS: Record<Role, readonly ('nwSrc' | 'ipv6Src' | 'nwDst' | 'ipv6Dst')[]> = {
  source: ['nwSrc', 'ipv6Src'],
  destination: ['nwDst', 'ipv6Dst'],
};

/**
 * What the hard flows of each host (those that take part whatever conjunctions complete:
 * non-conjunctive flows and clause flows hiding one) can tell apart about a list of addresses,
 * as FlowSignatures does for every flow: per host and role, a number two addresses share
 * exactly when those flows meet them in the same shapes. A hiding clause flow counts without
 * its conjunction actions: those of conjunctions that cannot complete for a pair change no
 * lookup (their other clauses are missing from its tables), and those that can are the
 * conjunctions that join the pair, which PairAnswers keys apart. A pair that no conjunction joins
 * reduces, on a host, to its hard flows, so its answer there follows from the two numbers and
 * the host's flows that name no address (its `base`, shared by hosts whose such flows agree).
 */
export class HardSignatures {
  private readonly byHost = new Map<string, HostSignatures>();
  private readonly ids = new Map<string, number>([['', 0]]);

  private readonly byKey = new Map<string, number>();

  constructor(private readonly addresses: readonly AddressBits[]) {
    addresses.forEach((a, i) => this.byKey.set(addressKey(a), i));
  }

  /** Signs the addresses by one host's hard flows. */
  addHost(host: string, byTable: FlowTables): void {
    const shapes: Record<Role, Map<number, string[]>> = { source: new Map(), destination: new Map() };
    const base: string[] = [];
    for (const flows of byTable.values())
      for (const flow of hardFlows(flows)) {
        if (hasAddress(flow.match)) for (const role of ['source', 'destination'] as const) fileFlow(flow, role, this.addresses, this.byKey, shapes[role]);
        // A flow on conj_id without addresses counts only with its conjunction, whose kind names it.
        else if (flow.match.conjId === undefined) base.push(shapeOf(flow, undefined, false));
      }
    this.byHost.set(host, { base: intern(this.ids, base.sort().join('\n')), source: this.signaturesOf(shapes.source), destination: this.signaturesOf(shapes.destination) });
  }


  /** What the hard flows of `host` tell apart (found once per question: a matrix asks hundreds of millions). */
  onHost(host: string): HostSignatures {
    return this.byHost.get(host) ?? UNREAD;
  }

  /**
   * Per endpoint (of the first `count`), every host and role where a hard flow names it, with
   * its signature there: `host:source:destination`, in host order. Gathered host by host from
   * the endpoints each names: asking every host about every endpoint was 25 million lookups at
   * 50,000 workloads on 500 hosts.
   */
  profiles(count: number): string[] {
    const parts: string[][] = Array.from({ length: count }, () => []);
    for (const [host, roles] of this.byHost) {
      const named = new Set([...roles.source.keys(), ...roles.destination.keys()]);
      for (const i of named) {
        const source = roles.source.get(i) ?? 0;
        const destination = roles.destination.get(i) ?? 0;
        if (i < count && (source !== 0 || destination !== 0)) parts[i]!.push(`${host}:${source}:${destination}`);
      }
    }
    return parts.map((list) => list.join('|'));
  }

  private signaturesOf(shapes: Map<number, string[]>): Map<number, number> {
    const out = new Map<number, number>();
    for (const [i, list] of shapes) out.set(i, intern(this.ids, list.sort().join('\n')));
    return out;
  }
}

/** Files the flow's shape (without its address in `role`) under every address it matches there. */
function fileFlow(flow: SimFlow, role: Role, addresses: readonly AddressBits[], byKey: ReadonlyMap<string, number>, into: Map<number, string[]>): void {
  for (const field of FIELDS[role]) {
    const mask = flow.match[field];
    if (!mask) continue;
    const shape = shapeOf(flow, field, false);
    const exact = exactAddress(mask);
    const file = (i: number): void => pushUnder(into, i, shape);
    if (exact !== null) {
      const i = byKey.get(exact);
      if (i !== undefined) file(i);
    } else addresses.forEach((a, i) => addressMatches(mask, a) && file(i));
  }
}
