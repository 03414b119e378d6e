import { intern, pushUnder } from '../arrays';
import type { EngineAddress } from './verdict-address';
import { addDistinctBlock } from './verdict-classes';
import { valueHolds, type AddressCondition } from './verdict-flow';
import type { MatchShapes } from './verdict-match-shapes';
import { exactKey, type TableClassifier } from './verdict-table';

/**
 * A source's hard part on one host, as an id: its family, the shapes (table, priority, match
 * without the source address, actions) of its exactly matching flows that are no clauses, and
 * the blocks that hold it. Sources with one id differ only in their clause flows, so where no
 * conjunction they supply a clause of can complete, they take corresponding flows in every
 * table. Like the classes, it compares whole shapes and every block. Deterministic.
 */
export class SourceShapes {
  /** Per exact source address: the hard-part text of its flows that are no clauses. */
  private readonly byAddress = new Map<number | string, string[]>();
  private readonly blocks: AddressCondition[] = [];
  private readonly ids = new Map<string, number>();

  constructor(tables: Iterable<[number, TableClassifier]>, matchShapes: MatchShapes) {
    const blockKeys = new Set<string>();
    for (const [table, classifier] of tables)
      for (const flow of classifier.flows) {
        const src = flow.src;
        if (src === null) continue;
        if (!src.exact) addDistinctBlock(this.blocks, blockKeys, src);
        else if (flow.hard) pushUnder(this.byAddress, exactKey(src.family, src.v4Value, src.value), `${matchShapes.of(table, flow)}|${flow.actionsId}|${flow.afterConjunction}`);
      }
  }

  /** The id of the source's hard part. */
  idOf(src: EngineAddress): number {
    const parts = [`family ${src.family}`, ...(this.byAddress.get(exactKey(src.family, src.v4, src.value)) ?? [])];
    for (const [i, block] of this.blocks.entries()) if (valueHolds(block, src)) parts.push(`block ${i}`);
    return intern(this.ids, parts.sort().join('\n'));
  }
}
