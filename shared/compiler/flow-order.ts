import { compareFlows, type Flow } from './flow';

/**
 * Puts every table of one compile in canonical order (`compareFlows`), in place, keeping flows
 * of one identity in the order they came. Deterministic, and the same order `sort(compareFlows)`
 * gives, but cheaper: match texts are ranked once for all hosts (hosts share most of them), so
 * each table sorts numbers, not strings.
 */
export function sortFlowTables(tables: readonly Flow[][]): void {
  // Number each distinct match as it first comes, then rank the numbers by text.
  const ids = new Map<string, number>();
  const matchIds = tables.map((flows) => {
    const out = new Int32Array(flows.length);
    for (let i = 0; i < flows.length; i++) {
      const match = flows[i]!.match;
      let id = ids.get(match);
      if (id === undefined) ids.set(match, (id = ids.size));
      out[i] = id;
    }
    return out;
  });
  // Code-unit order, which is the order `<` gives strings.
  const rankOf = new Int32Array(ids.size);
  [...ids.keys()].sort().forEach((match, rank) => (rankOf[ids.get(match)!] = rank));
  tables.forEach((flows, i) => sortByKey(flows, matchIds[i]!, rankOf));
}

/**
 * One number per flow holds table, inverted priority, match rank and position, so a plain
 * numeric sort gives the canonical order with ties in input order. Falls back to comparing
 * flows when the key would not be an exact integer.
 */
function sortByKey(flows: Flow[], matchIds: Int32Array, rankOf: Int32Array): void {
  const n = flows.length;
  let minTable = Infinity;
  let maxTable = -Infinity;
  let minPriority = Infinity;
  let maxPriority = -Infinity;
  let integers = true;
  for (const f of flows) {
    if (f.table < minTable) minTable = f.table;
    if (f.table > maxTable) maxTable = f.table;
    if (f.priority < minPriority) minPriority = f.priority;
    if (f.priority > maxPriority) maxPriority = f.priority;
    if (!Number.isInteger(f.table) || !Number.isInteger(f.priority)) integers = false;
  }
  const tables = maxTable - minTable + 1;
  const priorities = maxPriority - minPriority + 1;
  if (n < 2 || !integers || !Number.isSafeInteger(tables * priorities * rankOf.length * n)) {
    flows.sort(compareFlows);
    return;
  }

  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = flows[i]!;
    keys[i] = (((f.table - minTable) * priorities + (maxPriority - f.priority)) * rankOf.length + rankOf[matchIds[i]!]!) * n + i;
  }
  keys.sort();
  const unsorted = flows.slice();
  for (let i = 0; i < n; i++) flows[i] = unsorted[keys[i]! % n]!;
}
