import { intern } from '../arrays';
import { formatMatch, type FlowMatch } from './flow-model';
import type { FastFlow } from './verdict-flow';
import type { TableClassifier } from './verdict-table';

/**
 * The shape of each flow of a host that matches one address exactly in a role: its table,
 * priority, address kind (nw_ or ipv6_) and match with that address blanked out, as an id.
 * Flows of two addresses with equal shapes differ only in the address. Worked out once per host
 * and role, as text, and shared by what compares addresses by their flows (AddressClasses,
 * SourceShapes, DestinationProjection), which then compare numbers. Deterministic.
 */
export class MatchShapes {
  private readonly ids = new Map<string, number>();
  /** Per table, per flow index: the flow's shape id, -1 for a flow without an exact address in the role. */
  private readonly byTable: (Int32Array | undefined)[] = [];

  constructor(tables: Iterable<[number, TableClassifier]>, role: 'source' | 'destination') {
    for (const [table, classifier] of tables) {
      const ids = new Int32Array(classifier.flows.length).fill(-1);
      for (const f of classifier.flows) {
        const c = role === 'source' ? f.src : f.dst;
        if (c !== null && c.exact) ids[f.index] = intern(this.ids, `${table}|${f.priority}|${c.ipv6}|${blankedText(f.flow.match, role)}`);
      }
      this.byTable[table] = ids;
    }
  }

  /** The shape id of a flow of this table that matches one address exactly in the role. */
  of(table: number, flow: FastFlow): number {
    return this.byTable[table]![flow.index]!;
  }
}

/** Per role, the text of a match without its address there, printed once per match object (see printedMatch). */
const blankedTexts = { source: new WeakMap<FlowMatch, string>(), destination: new WeakMap<FlowMatch, string>() };

function blankedText(m: FlowMatch, role: 'source' | 'destination'): string {
  let text = blankedTexts[role].get(m);
  if (text === undefined) blankedTexts[role].set(m, (text = formatMatch(blanked(m, role))));
  return text;
}

/** The match without the address of one role. */
function blanked(m: FlowMatch, role: 'source' | 'destination'): FlowMatch {
  const copy = { ...m };
  if (role === 'source') {
    delete copy.nwSrc;
    delete copy.ipv6Src;
  } else {
    delete copy.nwDst;
    delete copy.ipv6Dst;
  }
  return copy;
}
