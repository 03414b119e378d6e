import { intern } from '../arrays';
import { formatMatch, isConjunctive, type FlowMatch, type SimFlow } from '../simulator/flow-model';
import type { Interval } from './service-set';

/**
 * Numbers the atoms of one port protocol (runs of destination ports no flow tells apart, in
 * order) so that atoms with the same number get the same answer from the switch, and returns
 * those numbers; or null when the tables do not let atoms share one.
 *
 * Why it is exact: the simulator's actions never read or write a port, so a port changes a
 * lookup only through which of the flows naming a destination port match. Two such flows that
 * differ only in the port value they name (same table, priority, other match fields, port mask
 * and actions) act alike: as clause flows they supply the same conjunction clauses, as hard
 * flows they run the same actions, and two of them match the same packet only with the same
 * match, so they hide (or do not hide) the same flows. Atoms whose matching port flows come to
 * the same set of such kinds therefore meet, table by table, the same outcome. The exception is
 * a tie: hard flows of one priority are chosen between by text order, which the kinds do not
 * keep, so a table where a hard port flow shares its priority with a hard flow of other actions
 * gets no sharing at all.
 *
 * An edge of 10,000 single ports gives 20,000 atoms of two kinds: two simulations instead of
 * 20,000 for each pair it joins.
 */
export function portAtomClasses(tables: Iterable<readonly SimFlow[]>, protocolNumber: number, atoms: readonly Interval[], kinds: PortKinds): Int32Array | null {
  // Each event one number, sorted natively: where it falls, then its kind and whether a match starts or stops there.
  const events: number[] = [];
  for (const flows of tables) {
    if (hasPortTie(flows, protocolNumber)) return null;
    for (const flow of flows) {
      if (!flow.match.tpDst || !namesProtocol(flow.match, protocolNumber)) continue;
      const { kind, toggles } = kinds.of(flow);
      for (let i = 0; i < toggles.length; i++) events.push(toggles[i]! * EVENT_SPAN + kind * 2 + (i % 2));
    }
  }
  const sorted = Float64Array.from(events).sort();

  const classes = new Int32Array(atoms.length);
  const classIds = new Map<string, number>();
  const counts = new Int32Array(kinds.count);
  const active = new Set<number>();
  let next = 0;
  let current = -1;
  for (let i = 0; i < atoms.length; i++) {
    const from = atoms[i]![0];
    let changed = current < 0;
    // The atoms are cut at every toggle, so none falls inside one: all up to its start apply.
    for (; next < sorted.length && Math.floor(sorted[next]! / EVENT_SPAN) <= from; next++) {
      const event = sorted[next]! % EVENT_SPAN;
      const kind = event >>> 1;
      const enters = (event & 1) === 0;
      const count = counts[kind]! + (enters ? 1 : -1);
      counts[kind] = count;
      if (enters && count === 1) active.add(kind);
      else if (!enters && count === 0) active.delete(kind);
      else continue;
      changed = true;
    }
    if (changed) current = intern(classIds, [...active].sort((a, b) => a - b).join(','));
    classes[i] = current;
  }
  return classes;
}

/** Kind numbers stay below 2^29, so an event's kind and direction fit below this. */
const EVENT_SPAN = 2 ** 30;

/** Whether a flow's port match concerns the protocol: a flow naming another protocol never matches its packets. */
function namesProtocol(match: FlowMatch, protocolNumber: number): boolean {
  return match.ipProto === undefined || match.ipProto === protocolNumber;
}

/**
 * Numbers what port flows are, port value apart; once per flow object, since an analysis
 * reduces the same tables for many pairs. Kept by its analysis, as the flows' shapes are.
 */
export class PortKinds {
  private readonly ids = new Map<string, number>();
  private readonly byFlow = new WeakMap<SimFlow, PortKind>();

  /** Kinds numbered so far: every number is below it. */
  get count(): number {
    return this.ids.size;
  }

  /** A port flow's kind and the ports where its match starts and stops holding. */
  of(flow: SimFlow): PortKind {
    let known = this.byFlow.get(flow);
    if (known === undefined) {
      const tpDst = flow.match.tpDst!;
      const actions = isConjunctive(flow)
        ? flow.actions.map((a) => (a.kind === 'conjunction' ? `${a.id}.${a.clause}.${a.clauses}` : '')).join(';')
        : actionsOf(flow);
      const kind = intern(this.ids, `${flow.table}|${flow.priority}|${matchWithoutPort(flow.match)}|${tpDst.mask}|${actions}`);
      known = { kind, toggles: toggles(tpDst.value, tpDst.mask) };
      this.byFlow.set(flow, known);
    }
    return known;
  }
}

interface PortKind {
  kind: number;
  toggles: readonly number[];
}

const portlessTexts = new WeakMap<FlowMatch, string>();

/** The match printed without its destination port; once per match object, which flows and hosts share. */
function matchWithoutPort(match: FlowMatch): string {
  let text = portlessTexts.get(match);
  if (text === undefined) {
    text = formatMatch({ ...match, tpDst: undefined });
    portlessTexts.set(match, text);
  }
  return text;
}

function actionsOf(flow: SimFlow): string {
  return flow.actionsText ?? flow.text.slice(flow.text.indexOf('actions='));
}

/** Whether a hard flow naming a port shares its priority with a hard flow of other actions, so text order could decide between them. */
function hasPortTie(flows: readonly SimFlow[], protocolNumber: number): boolean {
  const byPriority = new Map<number, { actions: string; port: boolean; mixed: boolean }>();
  for (const flow of flows) {
    if (isConjunctive(flow)) continue;
    const port = flow.match.tpDst !== undefined && namesProtocol(flow.match, protocolNumber);
    const actions = actionsOf(flow);
    const level = byPriority.get(flow.priority);
    if (!level) {
      byPriority.set(flow.priority, { actions, port, mixed: false });
      continue;
    }
    level.port ||= port;
    level.mixed ||= level.actions !== actions;
    if (level.port && level.mixed) return true;
  }
  return false;
}

/**
 * The ports where a match on `value/mask` starts and stops holding, in order, starting with a
 * start. A prefix mask (what the compiler writes) is one aligned block; any other mask is
 * walked port by port, which is exact and rare.
 */
export function toggles(value: number, mask: number): number[] {
  const full = 0xffff;
  const size = (~mask & full) + 1;
  if ((size & (size - 1)) === 0 && (mask | (size - 1)) === full) return [value, value + size];
  const out: number[] = [];
  let inside = false;
  for (let v = 0; v <= full + 1; v++) {
    const now = v <= full && (v & mask) === value;
    if (now !== inside) out.push(v);
    inside = now;
  }
  return out;
}
