import { pushUnder } from '../arrays';
import { formatMatch, hasAddress, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import type { HostFlowTables } from '../simulator/path';
import type { FlowTables } from '../simulator/simulate';
import { digestOf } from '../simulator/table-digest';
import { alignConjunctionIds } from './conjunction-ids';
import { tableParts } from './table-parts';

/** One table that differs between the two sides, with the flows only one side has (by text). */
export interface TableDiff {
  old: TableVersion;
  now: TableVersion;
  removed: SimFlow[];
  added: SimFlow[];
}

/** Every table that differs; null when a host appears or vanishes, which changes every pair. */
export type TablesDiff = TableDiff[];

/** Above this share of a table's flows changed, conjunction ids are aligned first (costly, and rarely worth it below). */
const RENUMBERING_SHARE = 0.1;

/**
 * The tables that differ between two table sets, each with the flows only one side has.
 * A host whose tables are the same object on both sides (hosts a comparison with the switches
 * did not read), or have one digest (both loaded from compiles), is skipped without looking at
 * its flows, and so is a table with one digest on both sides.
 */
export function diffTables(before: HostFlowTables, after: HostFlowTables): TablesDiff | null {
  const out: TablesDiff = [];
  for (const host of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(host);
    const now = after.get(host);
    if (!old || !now) return null;
    if (old === now || sameDigest(old, now)) continue;
    for (const table of new Set([...old.keys(), ...now.keys()])) {
      const oldFlows = old.get(table) ?? [];
      const newFlows = now.get(table) ?? [];
      if (sameDigest(oldFlows, newFlows)) continue;
      let older: readonly SimFlow[] = oldFlows;
      let { removed, added } = differingFlows(older, newFlows);
      if (removed.length + added.length === 0) continue;
      // Many flows changed: perhaps only renumbered conjunctions (an edge added or removed).
      if (removed.length + added.length > RENUMBERING_SHARE * (oldFlows.length + newFlows.length)) {
        older = alignConjunctionIds(oldFlows, newFlows);
        ({ removed, added } = differingFlows(older, newFlows));
      }
      out.push({ old: new TableVersion(older), now: new TableVersion(newFlows), removed, added });
    }
  }
  return out;
}

/** Whether two hosts' tables, or two tables, have one digest (see TableDigest): both loaded from compiles, and, but for a chance of about 2^-64, alike. */
function sameDigest(old: FlowTables | readonly SimFlow[], now: FlowTables | readonly SimFlow[]): boolean {
  const digest = digestOf(old);
  return digest !== undefined && digest === digestOf(now);
}

/**
 * The flows of one version whose text the other lacks. A table holds one flow per priority
 * and match, so no text occurs twice in it, and flows that print alike at the same distance
 * from either end are on both sides: only the stretch between the common start and the common
 * end needs its texts compared (a change adds or removes a few flows in place, and most tables
 * are unchanged, which the one pass then tells).
 */
function differingFlows(older: readonly SimFlow[], newer: readonly SimFlow[]): { removed: SimFlow[]; added: SimFlow[] } {
  const shorter = Math.min(older.length, newer.length);
  let start = 0;
  while (start < shorter && printAlike(older[start]!, newer[start]!)) start++;
  let end = 0;
  while (end < shorter - start && printAlike(older[older.length - 1 - end]!, newer[newer.length - 1 - end]!)) end++;
  const olderMiddle = older.slice(start, older.length - end);
  const newerMiddle = newer.slice(start, newer.length - end);
  return { removed: onlyIn(olderMiddle, newerMiddle), added: onlyIn(newerMiddle, olderMiddle) };
}

/**
 * Whether two flows have the same text. Tables one CompiledFlowReader loaded share match and
 * action objects, so equal fields answer without reading texts, which for a large estate are
 * a million strings still to be flattened.
 */
function printAlike(a: SimFlow, b: SimFlow): boolean {
  if (a === b) return true;
  if (a.match === b.match && a.actions === b.actions && a.cookie === b.cookie && a.table === b.table && a.priority === b.priority) return true;
  return a.text === b.text;
}

function onlyIn(flows: readonly SimFlow[], other: readonly SimFlow[]): SimFlow[] {
  if (flows.length === 0) return [];
  const texts = new Set(other.map((f) => f.text));
  return flows.filter((f) => !texts.has(f.text));
}

/**
 * One version of a changed table, with what the comparison asks of it worked out on first use
 * and only as far as asked: a change touches a few matches and conjunctions of tables holding
 * thousands of flows.
 */
export class TableVersion {
  /** Matches already printed. */
  private readonly printed = new Map<FlowMatch, string>();

  constructor(readonly flows: readonly SimFlow[]) {}

  /** Whether a non-conjunctive flow has this match (at any priority). */
  hasHardMatch(match: FlowMatch): boolean {
    const text = formatMatch(match);
    // Matches that print alike agree on the fields maybeAlike reads, so only those that do are printed.
    return tableParts(this.flows).hard.some((f) => f.match === match || (maybeAlike(f.match, match) && this.print(f.match) === text));
  }

  private print(match: FlowMatch): string {
    let text = this.printed.get(match);
    if (text === undefined) this.printed.set(match, (text = formatMatch(match)));
    return text;
  }
}

/**
 * The clause flows of each of these conjunctions in the older and the newer version: the older
 * version's as its parts file them, the newer's from them and the flows that changed (the
 * newer table is the older one without the removed flows and with the added ones, so its
 * flows that are not added print as some older flow does), the added ones last.
 */
export function conjunctionFlows({ old, removed, added }: TableDiff, ids: ReadonlySet<number>): [Map<number, readonly SimFlow[]>, Map<number, readonly SimFlow[]>] {
  const older = new Map<number, readonly SimFlow[]>();
  for (const [id, flows] of tableParts(old.flows).clauses) if (ids.has(id)) older.set(id, flows);
  const gone = new Set(removed);
  const newer = new Map([...older].map(([id, flows]) => [id, flows.filter((f) => !gone.has(f))]));
  const joined = clauseFlowsOf(added, ids);
  for (const [id, flows] of joined) newer.set(id, [...(newer.get(id) ?? []), ...flows]);
  return [older, newer];
}

function clauseFlowsOf(flows: readonly SimFlow[], ids: ReadonlySet<number>): Map<number, SimFlow[]> {
  const out = new Map<number, SimFlow[]>();
  for (const flow of flows)
    for (const action of flow.actions) if (action.kind === 'conjunction' && ids.has(action.id)) pushUnder(out, action.id, flow);
  return out;
}

/** False only when two matches cannot print alike: they differ in a field formatMatch always shows. */
function maybeAlike(a: FlowMatch, b: FlowMatch): boolean {
  return a.ethType === b.ethType && a.ipProto === b.ipProto && a.conjId === b.conjId && a.tpDst?.value === b.tpDst?.value && hasAddress(a) === hasAddress(b);
}
