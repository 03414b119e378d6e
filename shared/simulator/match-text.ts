import { formatMatch, type FlowMatch } from './flow-model';

// Read-only: flows share match objects (CompiledFlowReader), within a table, across hosts and across compiles read by one reader;
// a match is never changed once a flow holds it.
const printed = new WeakMap<FlowMatch, string>();
const printedWithout = new WeakMap<FlowMatch, string>();

/** formatMatch, printed once per match object: a large estate's million flows hold a few hundred thousand. */
export function matchText(match: FlowMatch): string {
  let text = printed.get(match);
  if (text === undefined) printed.set(match, (text = formatMatch(match)));
  return text;
}

/** The match printed without its conj_id (a conjunction's flow as every conjunction of the rule has it), once per match object. */
export function matchTextWithoutConjId(match: FlowMatch): string {
  let text = printedWithout.get(match);
  if (text === undefined) {
    const rest: FlowMatch = { ...match };
    delete rest.conjId;
    printedWithout.set(match, (text = formatMatch(rest)));
  }
  return text;
}
