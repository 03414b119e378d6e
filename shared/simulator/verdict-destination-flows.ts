import { intern } from '../arrays';
import type { EngineAddress } from './verdict-address';
import { ExactAddresses, type ExactAddress } from './verdict-exact-addresses';
import type { MatchShapes } from './verdict-match-shapes';
import { exactKey, type TableClassifier } from './verdict-table';

/**
 * What a host's flows that match one destination address exactly tell DestinationProjection,
 * as numbers worked out once per host: the ids of their hard parts (shape, actions, whether the
 * flow heads its group), ascending, and their clauses as (shape id, host-wide slot, clause bit)
 * triples, sorted. Describing a destination class is then a copy of numbers, where building
 * them from the flows took a read of each cold flow and a string per flow, on every first
 * sight of a class. Deterministic.
 */
export class DestinationFlows {
  /** Per exact destination address: where its numbers start in `data`. */
  private readonly startOf: ExactAddresses;
  /** Per address, side by side: its count of hard part ids, its count of triples, the ids, the triples. */
  private readonly data: Int32Array;

  constructor(tables: readonly { classifier: TableClassifier; table: number; offset: number }[], shapes: MatchShapes) {
    const hardParts = new Map<string, number>();
    const byAddress = new Map<number | string, { address: ExactAddress; hard: number[]; clauses: [number, number, number][] }>();
    for (const { classifier, table, offset } of tables) {
      const { pairs } = classifier.conjunctions;
      for (const flow of classifier.flows) {
        const dst = flow.dst;
        if (dst === null || !dst.exact) continue;
        const key = exactKey(dst.family, dst.v4Value, dst.value);
        let entry = byAddress.get(key);
        if (!entry) byAddress.set(key, (entry = { address: { family: dst.family, v4: dst.v4Value, value: dst.value }, hard: [], clauses: [] }));
        const shape = shapes.of(table, flow);
        if (flow.hard) entry.hard.push(intern(hardParts, `${shape}|${flow.actionsId}|${flow.afterConjunction}`));
        else
          for (let i = classifier.conjunctions.pairsFrom(flow.index), to = classifier.conjunctions.pairsTo(flow.index); i < to; i += 2)
            entry.clauses.push([shape, offset + pairs[i]!, pairs[i + 1]!]);
      }
    }

    let length = 0;
    for (const { hard, clauses } of byAddress.values()) length += 2 + hard.length + 3 * clauses.length;
    this.data = new Int32Array(length);
    let at = 0;
    const starts: [ExactAddress, number][] = [];
    for (const { address, hard, clauses } of byAddress.values()) {
      starts.push([address, at]);
      hard.sort((a, b) => a - b);
      clauses.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
      this.data[at++] = hard.length;
      this.data[at++] = clauses.length;
      for (const id of hard) this.data[at++] = id;
      for (const triple of clauses) for (const n of triple) this.data[at++] = n;
    }
    this.startOf = new ExactAddresses(starts);
  }

  /** Where the address's numbers start in `numbers` (see `data`), or -1 when no flow matches it exactly. */
  of(dst: EngineAddress): number {
    return this.startOf.get(dst);
  }

  /** The numbers `of` points into. */
  get numbers(): Int32Array {
    return this.data;
  }
}
